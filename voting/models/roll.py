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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll_entry", "party"], name="one_member_row_per_party")
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.party_id} in {self.roll_entry}"
