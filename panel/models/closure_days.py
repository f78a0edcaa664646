"""Days the Secretariat's office is closed. They are still Working Days under the agreement's
definition (so no window or deadline moves); `WorkingDayCalendar.office()` skips them."""

from __future__ import annotations

from django.db import models

from ..calendar import install_closure_loader


class ClosureDay(models.Model):
    """A day the Secretariat's office is closed (not a change to the Working Days)."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.reason})"


install_closure_loader(lambda: ClosureDay.objects.values_list("day", flat=True))
