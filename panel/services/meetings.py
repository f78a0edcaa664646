"""Panel meetings: convening with notice, agenda additions, observers, attendance (7.9-7.19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..audit import PanelAction, audit_record
from ..calendar import WorkingDayCalendar
from ..errors import Conflict, DomainError
from ..models import (
    AgendaItem,
    MeetingAttendance,
    MeetingObserver,
    MeetingPaper,
    MinutesObjection,
    OfficeRole,
    PanelAppointment,
    PanelMeeting,
    PanelVacancy,
    Party,
    User,
)
from ..panel_rules import within_working_days
from .appointments import vacancies_detect
from .common import (
    AGENDA_ADDITION_WORKING_DAYS,
    NOTICE_WORKING_DAYS,
    OBSERVER_NOTICE_WORKING_DAYS,
    REQUISITION_WORKING_DAYS,
    audited_create,
    audited_save,
    d,
    ensure_live_member,
    ensure_notice,
    ensure_open,
    ensure_secretariat,
    today,
)
from .notices import meeting_notice_send


def objection_title(objection: MinutesObjection) -> str:
    return (
        f"Disagreement with the minutes of {objection.minutes.meeting.reference} "
        f"raised by {objection.by.display_name} (7.22)"
    )


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    description: str = ""
    confidential: bool = False


@dataclass(frozen=True)
class PaperEntry:
    title: str
    summary: str = ""
    document_url: str = ""
    confidential: bool = False


def meeting_schedule(
    *,
    by: User,
    reference: str,
    meeting_date: dt.date,
    venue: str,
    agenda: Sequence[AgendaEntry],
    papers: Sequence[PaperEntry] = (),
    starts_at: dt.time = dt.time(10, 0),
    notice_given_on: dt.date | None = None,
    short_notice_basis: str = "",
    requisitioned_by: PanelAppointment | None = None,
    requisition_received_on: dt.date | None = None,
) -> PanelMeeting:
    """Convene a meeting with its notice, agenda and papers (7.12, 7.14-7.15, 7.22)."""
    ensure_secretariat(by, doing="convene a Panel meeting (7.14)")
    calendar = WorkingDayCalendar.load()
    notice_given_on = notice_given_on or today()
    if not agenda:
        raise DomainError("The notice must contain an agenda (7.15).", field="agenda")
    if not short_notice_basis:
        ensure_notice(
            notice_given_on,
            meeting_date,
            NOTICE_WORKING_DAYS,
            closures=calendar.closures,
            field="meeting_date",
            refusal=lambda latest: (
                "Meetings of the Panel are convened on at least five Working Days' notice "
                f"(7.14): for a meeting on {d(meeting_date)} notice was due by {d(latest)}. "
                "Shorter notice only where Section 1C requires it: say which requirement."
            ),
        )
    if requisitioned_by is not None:
        ensure_live_member(
            requisitioned_by,
            on=requisition_received_on or notice_given_on,
            field="requisitioned_by",
            what="A meeting is requisitioned by a Panel Member (7.12.1)",
        )
        if requisition_received_on is None:
            raise DomainError(
                "Say when the requisition was received.", field="requisition_received_on"
            )
        convene_by = within_working_days(
            requisition_received_on, REQUISITION_WORKING_DAYS, calendar.closures
        )
        if notice_given_on > convene_by:
            raise DomainError(
                f"A requisitioned meeting is convened within five Working Days of the request "
                f"(7.12.1): notice was due by {d(convene_by)}.",
                field="notice_given_on",
            )
    try:
        with transaction.atomic():
            meeting = PanelMeeting.objects.create(
                reference=reference,
                meeting_date=meeting_date,
                starts_at=starts_at,
                venue=venue,
                status=PanelMeeting.Status.NOTICE_GIVEN,
                notice_given_on=notice_given_on,
                short_notice_basis=short_notice_basis,
                requisitioned_by=requisitioned_by,
                requisition_received_on=requisition_received_on,
            )
    except IntegrityError as exc:
        raise Conflict(f"A meeting {reference} already exists.", field="reference") from exc
    with transaction.atomic():
        pending = list(
            MinutesObjection.objects.filter(agenda_item__isnull=True).select_related(
                "minutes__meeting", "by__person"
            )
        )
        position = 0
        for objection in pending:  # 7.22: first item for resolution
            position += 1
            objection.agenda_item = AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=objection_title(objection),
                description=objection.items,
                minutes_objection=True,
            )
            objection.save(update_fields=["agenda_item"])
        for entry in agenda:
            position += 1
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=entry.title,
                description=entry.description,
                confidential=entry.confidential,
            )
        for paper in papers:
            MeetingPaper.objects.create(
                meeting=meeting,
                title=paper.title,
                summary=paper.summary,
                document_url=paper.document_url,
                confidential=paper.confidential,
                circulated_on=notice_given_on,
            )
        audit_record(actor=by, action=PanelAction.MEETING_CONVENED, target=meeting)
        meeting_notice_send(meeting, by=by)
    return meeting


def agenda_item_add(
    *,
    by: User,
    meeting: PanelMeeting,
    title: str,
    requested_by: PanelAppointment,
    requested_on: dt.date | None = None,
    description: str = "",
    confidential: bool = False,
) -> AgendaItem:
    """A Panel Member's additional matter, if notified at least 3 Working Days before (7.12.2)."""
    ensure_secretariat(by, doing="add to the agenda (7.12.2)")
    requested_on = requested_on or today()
    ensure_open(meeting)
    ensure_live_member(
        requested_by,
        on=requested_on,
        field="requested_by",
        what="Additional matters are requested by a Panel Member (7.12.2)",
    )
    ensure_notice(
        requested_on,
        meeting.meeting_date,
        AGENDA_ADDITION_WORKING_DAYS,
        closures=WorkingDayCalendar.load().closures,
        field="requested_on",
        refusal=lambda latest: (
            "Additional matters must be notified at least three Working Days before the meeting "
            f"(7.12.2): for {meeting.reference} on {d(meeting.meeting_date)} the last day was "
            f"{d(latest)}."
        ),
    )
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
        item = audited_create(
            AgendaItem,
            by=by,
            action=PanelAction.AGENDA_ITEM_ADDED,
            meeting=meeting,
            position=last + 1,
            title=title,
            description=description,
            requested_by=requested_by,
            requested_on=requested_on,
            confidential=confidential,
        )
    return item


def observer_register(
    *, by: User, meeting: PanelMeeting, name: str, party: Party, notice_given_on: dt.date
) -> MeetingObserver:
    """A Party's representative attends as an observer on two Working Days' notice (7.18)."""
    ensure_secretariat(by, doing="admit an observer (7.18)")
    ensure_open(meeting)
    ensure_notice(
        notice_given_on,
        meeting.meeting_date,
        OBSERVER_NOTICE_WORKING_DAYS,
        closures=WorkingDayCalendar.load().closures,
        field="notice_given_on",
        refusal=lambda latest: (
            "A Party gives the Panel Secretary two Working Days' notice to send an observer "
            f"(7.18): for this meeting notice was due by {d(latest)}."
        ),
    )
    with transaction.atomic():
        observer = audited_create(
            MeetingObserver,
            by=by,
            action=PanelAction.OBSERVER_REGISTERED,
            meeting=meeting,
            name=name,
            party=party,
            notice_given_on=notice_given_on,
        )
    return observer


@dataclass(frozen=True)
class AttendanceEntry:
    appointment: PanelAppointment
    present: bool = True
    acting_for: PanelAppointment | None = None
    due: bool = False


def attendance_record(
    *, by: User, meeting: PanelMeeting, entries: Sequence[AttendanceEntry]
) -> list[PanelVacancy]:
    """Record who attended (6.12-6.13) and flag offices vacated by absences (6.8.2).

    Only on or after the day of the meeting: who was "present at that meeting" (7.19) and who
    "failed to attend" (6.8.2) are facts of a meeting held. Before then the meeting stays as
    convened, and no absence is counted against anyone.
    """
    ensure_secretariat(by, doing="record attendance (7.7)")
    if meeting.status == PanelMeeting.Status.CANCELLED:
        raise Conflict(f"{meeting.reference} was cancelled: no attendance to record.")
    if today() < meeting.meeting_date:
        raise DomainError(
            f"{meeting.reference} is on {d(meeting.meeting_date)}: attendance is recorded once "
            f"the meeting is held, not before (7.19, 6.8.2). It stays "
            f"'{meeting.get_status_display()}' until then.",
            field="meeting_date",
            rule="7.19",
        )
    for e in entries:
        if e.acting_for is not None:
            if e.appointment.role != OfficeRole.ALTERNATE or not e.present:
                raise DomainError(
                    "Only an Alternate present acts for an absent Panel Member (6.12)."
                )
            if e.acting_for.constituency != e.appointment.constituency:
                raise DomainError(
                    "An Alternate acts only for a Panel Member of the same Party Category (6.13).",
                    field="acting_for",
                )
            if any(x.appointment.pk == e.acting_for.pk and x.present for x in entries):
                raise DomainError(
                    f"{e.acting_for.display_name} is present: an Alternate acts only for a Panel "
                    "Member who is not present (6.12).",
                    field="acting_for",
                )
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.resolutions.exists():
            raise Conflict("Resolutions were taken at this meeting: its attendance is fixed.")
        meeting.attendance.all().delete()
        try:
            with transaction.atomic():
                MeetingAttendance.objects.bulk_create(
                    MeetingAttendance(
                        meeting=meeting,
                        appointment=e.appointment,
                        present=e.present,
                        acting_for=e.acting_for,
                        due=e.due,
                    )
                    for e in entries
                )
        except IntegrityError as exc:
            raise Conflict("One Alternate acts for each absent Panel Member (6.12-6.13).") from exc
        meeting.status = PanelMeeting.Status.HELD
        audited_save(
            meeting,
            ["status"],
            by=by,
            action=PanelAction.ATTENDANCE_RECORDED,
            data={"present": [e.appointment.pk for e in entries if e.present]},
        )
        return vacancies_detect(on=meeting.meeting_date, by=by)
