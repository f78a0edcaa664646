"""Significant Code Reviews set by the Authority (10.22-10.23)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

User = settings.AUTH_USER_MODEL


class SignificantCodeReview(models.Model):
    """A Significant Code Review Phase set by the Authority (definitions; 10.22-10.23)."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=250)
    scope = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="scr_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_live_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
