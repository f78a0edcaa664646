"""Marking a record entered by mistake void: kept, with who, when and why, no longer counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from panel.errors import Conflict, DomainError
from panel.models import User
from panel.services.common import audited_save

from ..models.voids import Voidable

V = TypeVar("V", bound=Voidable)


def record_void(
    *,
    record: V,
    by: User,
    reason: str,
    on: dt.date | None,
    action: StrEnum,
    missing_reason: str,
    already: Callable[[V], str],
) -> V:
    """The caller has checked who may; this locks the row, refuses a second void, writes the
    reason and the audit record in one transaction."""
    if not reason.strip():
        raise DomainError(missing_reason, field="reason")
    with transaction.atomic():
        row = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if row.voided_on is not None:
            raise Conflict(already(row))
        row.voided_on = on or timezone.localdate()
        row.voided_by = by
        row.void_reason = reason.strip()
        audited_save(
            row,
            ["voided_on", "voided_by", "void_reason"],
            by=by,
            action=action,
            data={"reason": row.void_reason},
        )
    return row
