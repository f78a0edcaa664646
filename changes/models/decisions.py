"""Authority decisions and directions (13.9-13.14) and appeals (13.17-13.22)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from panel.models import Party

from .documents import ChangeDocument
from .proposals import ChangeProposal

User = settings.AUTH_USER_MODEL


class AuthorityDecision(models.Model):
    """A direction, decision or opinion of the Authority about a proposal."""

    proposal = models.ForeignKey(
        ChangeProposal, on_delete=models.PROTECT, related_name="authority_decisions"
    )
    kind = models.CharField(max_length=48, help_text="The step, e.g. authority_accept.")
    decided_on = models.DateField()
    reasons = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        ChangeDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} {self.kind} {self.decided_on}"


class AppealRecord(models.Model):
    """An appeal to the Authority against a Part 2 acceptance or rejection (13.17-13.22)."""

    class Outcome(models.TextChoices):
        PENDING = "", "Pending"
        SCREENED_OUT = "screened_out", "Does not meet 13.20: the decision stands"
        DISMISSED = "dismissed", "Dismissed: the decision stands (13.21.2(A))"
        QUASHED = "quashed", "Quashed (13.21.2(B)(i))"
        SENT_BACK = "sent_back", "Sent back to the Panel (13.21.2(B)(ii))"

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.PROTECT, related_name="appeals")
    appellant_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appellant_name = models.CharField(max_length=200)
    lodged_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    lodged_on = models.DateField()
    against = models.CharField(max_length=16, help_text="accepted or rejected")
    reasons = models.TextField()
    grounds = models.JSONField(default=list, blank=True, help_text="13.20 criteria relied on.")
    in_writing = models.BooleanField(default=True)
    copied_to_secretariat_and_panel = models.BooleanField(default=True)
    documents = models.ManyToManyField(ChangeDocument, blank=True, related_name="+")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_document = models.ForeignKey(
        ChangeDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interim_directions = models.TextField(
        blank=True, help_text="Interim directions of the Authority pending its decision (13.21.1)."
    )

    class Meta:
        ordering = ["lodged_on", "pk"]
        # The record of an appeal is kept as lodged; only the Authority's decision is added.
        triggers = [
            pgtrigger.ReadOnly(
                name="decision_only",
                exclude=[
                    "outcome",
                    "decided_on",
                    "decision_reasons",
                    "decided_by",
                    "decision_document",
                    "interim_directions",
                ],
            ),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Appeal by {self.appellant_name} on {self.proposal.reference}"
