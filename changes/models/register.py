"""The monthly copies of the Change Register (11.28) and the morning deadline digests."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

User = settings.AUTH_USER_MODEL


class RegisterCopy(models.Model):
    """The copy of the Change Register sent to the Authority each month (11.28)."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    made_on = models.DateField()
    csv = models.TextField()
    html = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "register copies"
        # The copy as sent to the Authority (11.28): only the moment it was sent is added.
        triggers = [
            pgtrigger.ReadOnly(name="read_only", exclude=["sent_at"]),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Change Register {self.month:%B %Y}"


class DeadlineDigest(models.Model):
    """One morning digest of due and overdue deadlines per day (the job is safe to run twice)."""

    day = models.DateField(unique=True)
    due_today = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        triggers = [
            pgtrigger.ReadOnly(name="read_only", exclude=["sent_at"]),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"Deadline digest {self.day}"
