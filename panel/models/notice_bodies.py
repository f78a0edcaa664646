"""The bodies that are not Parties but receive notices (11.2, 13.8, 13.14): their recorded
addresses, whether or not anyone there has an account."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class NoticeBodyKind(models.TextChoices):
    CONSUMER_BODY = "CONSUMER_BODY", "the Consumer Body (13.8.2)"
    NETSO = "NETSO", "the National Electricity Transmission System Operator (13.8.3)"
    DESIGNATED = "DESIGNATED", "a body designated by the Authority under 10.2.4 (13.8.4)"
    AUTHORITY = "AUTHORITY", "the Authority (13.8.5)"


# Every declaration notice must reach one of each of these (13.8.2, 13.8.3, 13.8.5).
REQUIRED_NOTICE_BODIES = (
    NoticeBodyKind.CONSUMER_BODY,
    NoticeBodyKind.NETSO,
    NoticeBodyKind.AUTHORITY,
)


class NoticeBody(models.Model):
    """A recorded notice address of a body that receives the Secretariat's notices."""

    kind = models.CharField(max_length=16, choices=NoticeBodyKind.choices)
    name = models.CharField(max_length=200)
    notice_email = models.EmailField(blank=True)
    notice_address = models.TextField(blank=True)
    designated_on = models.DateField(
        null=True, blank=True, help_text="For a designated body: when the Authority designated it."
    )
    ended_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "notice body"
        verbose_name_plural = "notice bodies"
        constraints = [
            models.CheckConstraint(
                condition=~Q(notice_email="") | ~Q(notice_address=""),
                name="notice_body_has_an_address",
                violation_error_message="Record an e-mail or a postal address for notices.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
