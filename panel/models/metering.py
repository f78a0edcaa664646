"""N data: received metering point counts and CVA Registrants' sites (12.11-12.12)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .parties import Category, Party, PeriodQuerySet
from .records import AppendOnlyModel


class MeteringSnapshot(AppendOnlyModel):
    """A received count of metering points for a Party in a category (12.11-12.12).

    DNO: metering points on its networks; Supplier: metering points registered to it.
    N for a vote is the latest snapshot received on or before the day of the vote.
    """

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="metering_snapshots")
    category = models.CharField(max_length=16, choices=Category.choices)
    metering_points = models.PositiveBigIntegerField()
    as_of = models.DateField(help_text="The date the count describes.")
    received_on = models.DateField(help_text="The date the Secretariat received the data.")
    source = models.CharField(max_length=200, help_text="Where the data came from, e.g. a file.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        triggers = [
            pgtrigger.Protect(
                name="snapshot_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]
        indexes = [models.Index(fields=["category", "party", "-received_on"])]

    def __str__(self) -> str:
        return (
            f"{self.party.short_code} {self.category} {self.metering_points} ({self.received_on})"
        )


class CvaSite(models.Model):
    """A CVA Registrant's site in its Party Details, with its capacities in kW (12.11).

    N for a CVA Registrant = sum over its sites, as on the day, of max(export, import).
    A change of capacity closes the old row (valid_to) and opens a new one: history kept.
    """

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="cva_sites")
    site_name = models.CharField(max_length=200)
    maximum_export_capacity_kw = models.PositiveBigIntegerField("Maximum Export Capacity (kW)")
    maximum_import_capacity_kw = models.PositiveBigIntegerField("Maximum Import Capacity (kW)")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["party__name", "site_name", "valid_from"]
        verbose_name = "CVA site"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cva_site_period_ordered",
                violation_error_message="'To' date cannot be before the 'from' date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party.short_code} {self.site_name}"

    @property
    def n_contribution(self) -> int:
        return max(self.maximum_export_capacity_kw, self.maximum_import_capacity_kw)
