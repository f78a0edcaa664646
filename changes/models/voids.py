"""Records entered by mistake are marked void with the reason, never deleted."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q

User = settings.AUTH_USER_MODEL

M = TypeVar("M", bound=models.Model)


class VoidableManager(models.Manager[M]):
    def standing(self) -> models.QuerySet[M]:
        """The records that count: not marked void."""
        return self.get_queryset().filter(voided_on__isnull=True)


class Voidable(models.Model):
    """A record the Secretariat may mark void (entered by mistake), with who, when and why."""

    voided_on = models.DateField(
        null=True, blank=True, help_text="Marked void: entered by mistake."
    )
    voided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_void(self) -> bool:
        return self.voided_on is not None


def void_has_reason(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(voided_on__isnull=True) | ~Q(void_reason=""),
        name=name,
        violation_error_message="A record is marked void only with the reason.",
    )
