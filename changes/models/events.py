"""The append-only steps in the life of a proposal, and the deadlines each state starts."""

from __future__ import annotations

import datetime as dt

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import AppendOnlyModel

from ..states import State
from .documents import ChangeDocument
from .proposals import ChangeProposal

User = settings.AUTH_USER_MODEL


class ProposalEvent(AppendOnlyModel):
    """One step in the life of a proposal: the register and timeline are read from these."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    on = models.DateField(help_text="The day the step took effect (Working Day counting).")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=48, db_index=True)
    from_state = models.CharField(max_length=32, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=32, choices=State.choices)
    reason = models.TextField(blank=True)
    documents = models.ManyToManyField(ChangeDocument, blank=True, related_name="events")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} {self.action} {self.on}"


class Deadline(models.Model):
    """What is due on a proposal, by when, under which rule; one open at a time."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.CASCADE, related_name="deadlines")
    state = models.CharField(max_length=32, choices=State.choices)
    what = models.CharField(max_length=250)
    rule = models.CharField(max_length=40)
    opened_on = models.DateField()
    due_on = models.DateField(db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True, help_text="Closed on or before the due date.")
    overdue_flagged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(closed_on__isnull=True),
                name="one_open_deadline_per_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} by {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.closed_on is None and today > self.due_on
