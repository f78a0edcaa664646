"""Suspension of a Party's election and voting rights (54.3-54.4)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .parties import Party, PeriodQuerySet


class Suspension(models.Model):
    """Suspension of a Party's election and voting rights by Panel resolution (54.3-54.4)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="suspensions")
    valid_from = models.DateField("suspended from")
    valid_to = models.DateField(
        "last day suspended",
        null=True,
        blank=True,
        help_text="Rights are restored on the following day; empty while the suspension lasts.",
    )
    panel_resolution = models.CharField(
        max_length=200, help_text="The Panel resolution that decided it, e.g. 'Panel 2026-05 R4'."
    )
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="suspension_period_ordered",
                violation_error_message="The last day suspended cannot be before the first.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party.short_code} suspended from {self.valid_from}"
