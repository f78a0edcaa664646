"""One-time enrolment codes: a second factor is enrolled with a code the Secretariat issues,
never with the password alone. Only the code's hash is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EnrolmentCode(models.Model):
    """A one-time code that lets `user` enrol a second factor once, before `expires_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=256, help_text="Django password hash of the code.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")),
                name="enrolment_code_expires_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user} issued {self.issued_at:%d %B %Y %H:%M}"
