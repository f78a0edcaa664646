"""Pieces every service shares: the Secretariat check, a write and its audit record in one step,
dates in words, office checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from ..access import SECRETARIAT, require
from ..audit import audit_record
from ..errors import Conflict, DomainError
from ..models import OfficeRole, PanelAppointment, PanelMeeting, User
from ..panel_rules import latest_day_for_notice, notice_is_enough
from ..selectors import NOTICE_WORKING_DAYS as NOTICE_WORKING_DAYS

# Working Day periods of Clause 7 and Schedule 7.
AGENDA_ADDITION_WORKING_DAYS = 3  # 7.12.2
OBSERVER_NOTICE_WORKING_DAYS = 2  # 7.18
MINUTES_WORKING_DAYS = 5  # 7.21
OBJECTION_WORKING_DAYS = 5  # 7.22
REQUISITION_WORKING_DAYS = 5  # 7.12.1
CONFIRMATION_WORKING_DAYS = 20  # 6.17
SIG_LATE_ISSUE_WORKING_DAYS = 10  # Schedule 7, 8
SIG_AGENDA_DAYS = 10  # Schedule 7, 7
SIG_EMERGENCY_NOTICE_DAYS = 5  # Schedule 7, 6
SIG_MINUTES_WORKING_DAYS = 10  # Schedule 7, 7


def ensure_secretariat(user: User | None, *, doing: str, rule: str = "secretariat_only") -> None:
    """Writes that are the Secretariat's (7.7, 7.36-7.41); refuse anyone else (NotAllowed)."""
    require(user, SECRETARIAT, doing=doing, rule=rule)


M = TypeVar("M", bound=models.Model)


def audited_create(
    model: type[M],
    *,
    by: User | None,
    action: StrEnum,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> M:
    """Create a row and its audit record; call it inside the service's transaction."""
    row = model._default_manager.create(**fields)
    audit_record(actor=by, action=action, target=row, data=data)
    return row


def audited_save(
    row: M,
    fields: Sequence[str],
    *,
    by: User | None,
    action: StrEnum,
    data: dict[str, Any] | None = None,
) -> M:
    """Save the named fields of a row and write its audit record, in the caller's transaction."""
    row.save(update_fields=list(fields))
    audit_record(actor=by, action=action, target=row, data=data)
    return row


def d(day: dt.date) -> str:
    """A day in words: 'Thursday 14 May 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def today() -> dt.date:
    return timezone.localdate()


def ensure_live_member(
    appointment: PanelAppointment, *, on: dt.date, field: str, what: str
) -> None:
    live = appointment.appointed_from <= on and (
        appointment.ended_on is None or appointment.ended_on > on
    )
    if appointment.role != OfficeRole.MEMBER or not live:
        raise DomainError(
            f"{what}: {appointment.display_name} was not a Panel Member on {d(on)}.",
            field=field,
        )


def ensure_notice(
    given_on: dt.date,
    meeting_date: dt.date,
    working_days: int,
    *,
    closures: Iterable[dt.date],
    field: str,
    refusal: Callable[[dt.date], str],
) -> None:
    """Refuse notice given later than `working_days` Working Days before the meeting, next to
    `field`; `refusal(latest)` says why in the clause's words, with the last day it was due."""
    if not notice_is_enough(given_on, meeting_date, working_days, closures):
        latest = latest_day_for_notice(meeting_date, working_days, closures)
        raise DomainError(refusal(latest), field=field)


def ensure_open(meeting: PanelMeeting) -> None:
    if meeting.status == PanelMeeting.Status.CANCELLED:
        raise Conflict(f"{meeting.reference} was cancelled.")
