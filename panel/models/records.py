"""Records kept as evidence: append-only rows, the audit trail, the outbox of e-mail owed."""

from __future__ import annotations

from typing import Any

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class AppendOnlyModel(models.Model):
    """Rows that are received, never edited or deleted (N data are evidence for a vote)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(f"{self._meta.verbose_name} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(f"{self._meta.verbose_name} records are append-only.")


class AuditRecord(AppendOnlyModel):
    """Who did what, when: written by every service in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["action"], name="panel_audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class OutgoingMail(models.Model):
    """An e-mail owed: written in the same transaction as the change it tells of, sent after it.

    Nothing is lost when the mail server or the task broker is down: unsent rows are retried.
    Only `sent_at`, `attempts` and `last_error` change after the row is written.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    to = models.JSONField(default=list)
    bcc = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        triggers = [
            pgtrigger.ReadOnly(
                name="mail_sent_fields_only", exclude=["sent_at", "attempts", "last_error"]
            ),
            pgtrigger.Protect(name="mail_not_deleted", operation=pgtrigger.Delete),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="panel_mail_unsent_idx", condition=Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({len(self.to) + len(self.bcc)} recipients)"
