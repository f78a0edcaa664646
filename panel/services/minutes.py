"""Minutes of Panel meetings: kept, circulated, objected to, approved, published (7.21-7.22)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F

from ..audit import PanelAction, audit_record
from ..calendar import WorkingDayCalendar
from ..errors import Conflict, DomainError
from ..models import (
    AgendaItem,
    MinutesObjection,
    PanelAppointment,
    PanelMeeting,
    PanelMinutes,
    User,
)
from ..panel_rules import within_working_days
from ..selectors import next_open_meeting
from .common import (
    MINUTES_WORKING_DAYS,
    OBJECTION_WORKING_DAYS,
    audited_save,
    d,
    ensure_secretariat,
    today,
)
from .meetings import objection_title


def minutes_draft(
    *, by: User, meeting: PanelMeeting, text: str, confidential: bool = False
) -> PanelMinutes:
    """The Panel Secretary keeps minutes of the meeting (7.7.3); a draft until circulated."""
    ensure_secretariat(by, doing="keep the minutes (7.7.3)")
    if today() < meeting.meeting_date:
        raise DomainError(
            f"Minutes are kept of a meeting held (7.7.3): {meeting.reference} is on "
            f"{d(meeting.meeting_date)}.",
            field="text",
        )
    if not text.strip():
        raise DomainError("Write the minutes.", field="text")
    with transaction.atomic():
        return _uncirculated_write(
            by=by,
            meeting=meeting,
            defaults={"text": text, "confidential": confidential},
            action=PanelAction.MINUTES_DRAFTED,
            field="text",
            refusal="a Panel Member's disagreement is recorded as an objection and goes first "
            "on the next agenda (7.22).",
        )


def _uncirculated_write(
    *,
    by: User,
    meeting: PanelMeeting,
    defaults: dict[str, Any],
    action: PanelAction,
    field: str,
    refusal: str,
    data: dict[str, Any] | None = None,
) -> PanelMinutes:
    """Write a meeting's minutes while they are not yet circulated; once they are, a change is
    an objection (7.22) and this is refused with `refusal`. In the caller's transaction."""
    existing = PanelMinutes.objects.select_for_update().filter(meeting=meeting).first()
    if existing is not None and existing.circulated_on is not None:
        raise Conflict(
            f"The minutes of {meeting.reference} were circulated on "
            f"{d(existing.circulated_on)}: {refusal}",
            field=field,
        )
    minutes, _ = PanelMinutes.objects.update_or_create(meeting=meeting, defaults=defaults)
    audit_record(actor=by, action=action, target=minutes, data=data)
    return minutes


def minutes_circulate(
    *,
    by: User,
    meeting: PanelMeeting,
    text: str,
    confidential: bool = False,
    circulated_on: dt.date | None = None,
) -> PanelMinutes:
    """Circulate the minutes (due within five Working Days of the meeting, 7.21)."""
    ensure_secretariat(by, doing="circulate the minutes (7.21)")
    circulated_on = circulated_on or today()
    if circulated_on < meeting.meeting_date:
        raise DomainError(
            f"Minutes are circulated following the meeting (7.21): {meeting.reference} is on "
            f"{d(meeting.meeting_date)}.",
            field="circulated_on",
        )
    due = within_working_days(
        meeting.meeting_date, MINUTES_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    with transaction.atomic():
        return _uncirculated_write(
            by=by,
            meeting=meeting,
            defaults={"text": text, "confidential": confidential, "circulated_on": circulated_on},
            action=PanelAction.MINUTES_CIRCULATED,
            field="circulated_on",
            refusal="disagreements go first on the next agenda (7.22).",
            data={"due": due.isoformat(), "late": circulated_on > due},
        )


def minutes_objection_record(
    *,
    by: User,
    minutes: PanelMinutes,
    member: PanelAppointment,
    items: str,
    received_on: dt.date | None = None,
) -> MinutesObjection:
    """A Panel Member's disagreement within five Working Days goes first on the next agenda (7.22)."""
    ensure_secretariat(by, doing="record an objection to the minutes (7.22)")
    received_on = received_on or today()
    if minutes.circulated_on is None:
        raise DomainError("These minutes have not been circulated yet.")
    last_day = within_working_days(
        minutes.circulated_on, OBJECTION_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    if received_on > last_day:
        raise DomainError(
            f"Disagreements with the minutes are notified within five Working Days of receipt "
            f"(7.22): the minutes of {minutes.meeting.reference} were circulated on "
            f"{d(minutes.circulated_on)}, so the last day was {d(last_day)}.",
            field="received_on",
        )
    with transaction.atomic():
        objection = MinutesObjection.objects.create(
            minutes=minutes, by=member, items=items, received_on=received_on
        )
        upcoming = next_open_meeting(minutes.meeting.meeting_date)
        if upcoming is not None:
            upcoming = PanelMeeting.objects.select_for_update().get(pk=upcoming.pk)
            items_qs = AgendaItem.objects.filter(meeting=upcoming)
            objections_first = items_qs.filter(minutes_objection=True).count()
            items_qs.update(position=F("position") + 1000)
            items_qs.filter(minutes_objection=False).update(position=F("position") - 999)
            items_qs.filter(minutes_objection=True).update(position=F("position") - 1000)
            objection.agenda_item = AgendaItem.objects.create(
                meeting=upcoming,
                position=objections_first + 1,
                title=objection_title(objection),
                description=items,
                minutes_objection=True,
            )
            objection.save(update_fields=["agenda_item"])
        audit_record(actor=by, action=PanelAction.MINUTES_OBJECTION, target=objection)
    return objection


def minutes_approve(
    *,
    by: User,
    minutes: PanelMinutes,
    at_meeting: PanelMeeting,
    approved_on: dt.date | None = None,
    publish: bool = True,
) -> PanelMinutes:
    """Approved minutes are published on the Website unless confidential (5.3.10, 57.1).

    `publish=False` holds an open copy back to publish later (`minutes_publish`).
    """
    ensure_secretariat(by, doing="record the Panel's approval of minutes (7.22)")
    approved_on = approved_on or at_meeting.meeting_date
    with transaction.atomic():
        minutes = (
            PanelMinutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        )
        if minutes.circulated_on is None:
            raise DomainError(
                f"The minutes of {minutes.meeting.reference} have not been circulated: they go "
                "to everyone entitled to notice before the Panel approves them (7.21-7.22).",
                field="at_meeting",
            )
        if minutes.approved_on is not None:
            raise Conflict(
                f"The minutes of {minutes.meeting.reference} were already approved on "
                f"{d(minutes.approved_on)}."
            )
        if at_meeting.pk == minutes.meeting_id or at_meeting.meeting_date < minutes.circulated_on:
            raise DomainError(
                f"The minutes of {minutes.meeting.reference} were circulated on "
                f"{d(minutes.circulated_on)}: they are approved at a later meeting, after "
                "members have had them (7.21-7.22).",
                field="at_meeting",
            )
        minutes.approved_at = at_meeting
        minutes.approved_on = approved_on
        minutes.published_on = approved_on if publish and not minutes.confidential else None
        audited_save(
            minutes,
            ["approved_at", "approved_on", "published_on"],
            by=by,
            action=PanelAction.MINUTES_APPROVED,
        )
    return minutes


def minutes_publish(
    *, by: User, minutes: PanelMinutes, published_on: dt.date | None = None
) -> PanelMinutes:
    """Put approved, non-confidential minutes on the Website (5.3.10, Schedule 14, 57.1)."""
    ensure_secretariat(by, doing="publish minutes (5.3.10)")
    with transaction.atomic():
        minutes = (
            PanelMinutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        )
        reference = minutes.meeting.reference
        if minutes.approved_on is None:
            raise DomainError(
                f"Only approved minutes are published: the minutes of {reference} are not "
                "approved yet (5.3.10).",
                field="published_on",
            )
        if minutes.confidential:
            raise DomainError(
                f"The minutes of {reference} are confidential: they stay off the Website (57.1).",
                field="published_on",
                rule="57.1",
            )
        if minutes.published_on is not None:
            raise Conflict(
                f"The minutes of {reference} were published on {d(minutes.published_on)}."
            )
        minutes.published_on = published_on or today()
        audited_save(minutes, ["published_on"], by=by, action=PanelAction.MINUTES_PUBLISHED)
    return minutes
