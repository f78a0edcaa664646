"""Implementation plans, their actions and Authority-directed date changes (14.6-14.11)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from .decisions import AuthorityDecision
from .proposals import ChangeProposal

User = settings.AUTH_USER_MODEL


class ImplementationPlan(models.Model):
    """The Panel's actions and timetable for an accepted variation (14.6-14.11)."""

    proposal = models.OneToOneField(
        ChangeProposal, on_delete=models.PROTECT, related_name="implementation_plan"
    )
    implementation_date = models.DateField()
    set_on = models.DateField(help_text="The Panel meeting that set the plan.")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.proposal.reference} implementation by {self.implementation_date}"


class ImplementationAction(models.Model):
    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    superseded_on = models.DateField(
        null=True, blank=True, help_text="Replaced when the Panel set the plan again (14.6)."
    )

    class Meta:
        ordering = ["due_on", "pk"]
        triggers = [
            pgtrigger.ReadOnly(name="read_only", fields=["plan", "description", "due_on"]),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.description


class ImplementationDateChange(models.Model):
    """A new implementation date by Authority direction (14.9-14.11); the history is kept."""

    class Basis(models.TextChoices):
        PANEL_REQUEST = "panel_request", "On the Panel's request (14.9)"
        PARTY_REPRESENTATIONS = "party_representations", "On Party representations (14.10)"
        AUTHORITY_CHANGE = "authority_change", "Authority Change Proposal (14.11)"

    plan = models.ForeignKey(
        ImplementationPlan, on_delete=models.CASCADE, related_name="date_changes"
    )
    old_date = models.DateField()
    new_date = models.DateField()
    basis = models.CharField(max_length=32, choices=Basis.choices)
    directed_on = models.DateField()
    authority_decision = models.ForeignKey(
        AuthorityDecision, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["directed_on", "pk"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.old_date} -> {self.new_date}"
