"""The audit trail: every service writes one record in the same transaction as its change.

Each app names its audited events in one enumeration (`panel.audit.PanelAction`,
`changes.audit.ChangeAction`, `voting.audit.VotingAction`); `audit_record` takes a member of one
of them, never a free string, so every event has exactly one name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models

from .models import AuditRecord, User


def audit_record(
    *,
    actor: User | None,
    action: StrEnum | str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditRecord:
    """`label` names the target when only its primary key is at hand (default: str(target))."""
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditRecord.objects.create(
        actor=actor_obj,
        action=str(action),
        target_type=target._meta.label,
        target_id=str(target.pk),
        target_label=(str(target) if label is None else label)[:300],
        data=data or {},
    )
