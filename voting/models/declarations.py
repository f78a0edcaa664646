"""The declaration of a ballot (13.4.3), and the reminders sent while it was open."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from panel.models import AppendOnlyModel

from .ballots import Ballot
from .roll import RollEntry


class Declaration(AppendOnlyModel):
    """The Secretariat's declaration (13.4.3): made once per ballot, never edited or deleted."""

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="declaration")
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    variation_outcome = models.CharField(max_length=32, blank=True)
    selected_option = models.CharField(max_length=100, blank=True)
    variation_deemed_part1 = models.BooleanField(default=False)
    date_outcome = models.CharField(max_length=32, blank=True)
    date_deemed_part1 = models.BooleanField(default=False)
    combined_outcome = models.CharField(
        max_length=16, blank=True, help_text="accepted, revote_date or rejected (14.3-14.4)."
    )
    combined_clause = models.CharField(max_length=8, blank=True)
    recommendation = models.BooleanField(
        default=False, help_text="A Part 1 (or deemed Part 1) recommendation to the Authority."
    )
    cases = models.JSONField(help_text="The tally-contract input per question (contains N).")
    results = models.JSONField(help_text="The tally-contract result per question.")
    workings = models.JSONField(help_text="The full workings per question (contains N).")
    chain_head = models.CharField(max_length=64, blank=True)
    chain_length = models.PositiveIntegerField(
        default=0, help_text="How many log entries the declaration counted (the published head)."
    )
    roll_notes = models.JSONField(
        default=list,
        blank=True,
        help_text="What happened to Groups during the vote (rights lost, 54.3-54.4, Clause 4).",
    )

    class Meta:
        ordering = ["-declared_at"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"Declaration on {self.ballot}"

    @property
    def deemed_part1(self) -> bool:
        return self.variation_deemed_part1 or self.date_deemed_part1


class Reminder(models.Model):
    """A reminder sent to a Group that had not voted: at most one per Group per day-mark."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="reminders")
    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="+")
    working_days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["roll_entry", "working_days_before"], name="one_reminder_per_mark"
            )
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.roll_entry} ({self.working_days_before} WD before close)"
