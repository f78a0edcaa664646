"""The frozen roll of a ballot: its Groups with N as of the vote (12.3, 12.12), and their member
Parties."""

from __future__ import annotations

import pgtrigger
from django.db import models

from panel.models import Category

from .ballots import Ballot


class RollEntry(models.Model):
    """A Group on the frozen roll of a ballot, with N as of the vote (12.3, 12.12).

    Written once when the ballot opens; later register changes do not touch it.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="roll")
    category = models.CharField(max_length=16, choices=Category.choices)
    group_key = models.CharField(max_length=100)
    group_name = models.CharField(max_length=200)
    n = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ballot", "category", "group_name"]
        verbose_name_plural = "roll entries"
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "category", "group_key"], name="one_roll_entry_per_group"
            )
        ]
        # A cast may name its Group by key (the API): found without reading the whole roll.
        indexes = [models.Index(fields=["ballot", "group_key"], name="roll_entry_by_group_key")]
        # Written once when the ballot opens (12.12): the database refuses any change.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.get_category_display()})"


class RollMember(models.Model):
    """A member Party of a roll Group on the day of the vote; its voters may vote for the Group."""

    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="members")
    party = models.ForeignKey("panel.Party", on_delete=models.PROTECT, related_name="+")
    idno_otso = models.CharField(max_length=4, blank=True)
    n = models.PositiveBigIntegerField(null=True, blank=True)
    snapshot = models.ForeignKey(
        "panel.MeteringSnapshot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The metering snapshot that gave this Party's N (12.12.1); none for CVA sites.",
    )
    n_source = models.CharField(
        max_length=200, blank=True, help_text="Where N came from, in words (12.12)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll_entry", "party"], name="one_member_row_per_party")
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.party_id} in {self.roll_entry}"


class RightLost(models.TextChoices):
    SUSPENDED = "suspended", "Suspended from voting (54.3-54.4)"
    TERMINATED = "terminated", "No longer a Party (Clause 4)"
    CATEGORY = "category", "No longer in the Party Category (12.3)"
    CMR = "cmr", "The Crowded Meter Room Coordinator does not vote (12.2)"


class RollRightLost(models.Model):
    """A member Party of a roll Group lost its right to vote while the ballot was open.

    Written once, when a cast is refused for it or at the close; the declaration lists these.
    """

    roll_member = models.ForeignKey(RollMember, on_delete=models.PROTECT, related_name="+")
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="rights_lost")
    reason = models.CharField(max_length=16, choices=RightLost.choices)
    noted_at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["ballot", "noted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["roll_member", "reason"], name="one_right_lost_note_per_reason"
            )
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.roll_member}: {self.get_reason_display()}"
