"""Checks of a ballot's log against its votes, and the Secretariat's decisions on what they found.

A check recomputes the hash chain and compares the current-vote table with the standing entries
of the log, entry by entry (voting.services.integrity). Every check is kept; a failing check at
the close blocks the declaration until a FaultDecision is recorded.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from .ballots import Ballot


class CheckOccasion(models.TextChoices):
    CLOSE = "close", "At the close"
    SCHEDULE = "schedule", "Scheduled check of an open vote"
    COMMAND = "command", "verify_ballot command"
    PAGE = "page", "When results were shown"


class BallotCheck(models.Model):
    """One verification of a ballot's log: chain, current votes, declaration."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="checks")
    checked_at = models.DateTimeField()
    occasion = models.CharField(max_length=16, choices=CheckOccasion.choices)
    ok = models.BooleanField()
    chain_length = models.PositiveIntegerField()
    chain_head = models.CharField(max_length=64, blank=True)
    faults = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["ballot", "-checked_at"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.ballot.reference} check {'ok' if self.ok else 'FAILED'} {self.checked_at}"


class FaultOutcome(models.TextChoices):
    DECLARE_FROM_LOG = "declare_from_log", "Declare from the standing entries of the log"
    VOID = "void", "Void the vote"


class FaultDecision(models.Model):
    """The Secretariat's recorded decision on a ballot that cannot be declared."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="fault_decisions")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=FaultOutcome.choices)
    reason = models.TextField()
    faults = models.JSONField(default=list, help_text="The faults the decision answers.")

    class Meta:
        ordering = ["ballot", "decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="fault_decision_has_reason",
                violation_error_message="Say why.",
            )
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.ballot.reference}: {self.get_outcome_display()}"
