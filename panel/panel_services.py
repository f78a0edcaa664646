"""Services for the Panel at work: each checks permission, validates, writes, audits in one
transaction, and sends e-mail after commit (Clauses 5-7, 54.3-54.7, Schedule 7).

Change-proposal resolutions are carried out by handlers the changes app registers from its
AppConfig.ready() (`register_resolution_handler`): the panel app never imports changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from .audit import audit_record
from .calendar import WorkingDayCalendar
from .errors import Conflict, DomainError, NotAllowed
from .governance import (
    CLAUSE_54_KINDS,
    AgendaItem,
    AppointedUnder,
    EndReason,
    IssueForm,
    MeetingAttendance,
    MeetingObserver,
    MeetingPaper,
    MinutesObjection,
    OfficeRole,
    PanelAppointment,
    PanelChair,
    PanelMeeting,
    PanelMinutes,
    PanelVacancy,
    Resolution,
    ResolutionConflict,
    ResolutionKind,
    ResolutionVote,
    SigChair,
    SigMeeting,
    SigOutcome,
)
from .models import Party, PartyRepresentative, Role, Suspension, User
from .panel_rules import (
    assess_quorum,
    decide_panel_chair,
    decide_resolution,
    decide_written_resolution,
    latest_day_for_notice,
    missed_in_a_row,
    notice_is_enough,
    seat_holders,
    sig_chair_term_end,
    sig_majority_consensus,
    within_working_days,
)
from .panel_selectors import (
    NOTICE_WORKING_DAYS,
    attendance_records,
    can_manage,
    clause_54_disqualified,
    held_duly_convened_meetings,
    meeting_attendees,
    member_offices,
    next_open_meeting,
    next_sig_meeting,
)

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


class NoQuorum(DomainError):
    http_status = 409


def _d(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _ensure_secretariat(by: User) -> None:
    if not can_manage(by):
        raise NotAllowed("Only the Panel Secretary and the Secretariat may do this (7.7).")


def _today() -> dt.date:
    return timezone.localdate()


def _ensure_live_member(
    appointment: PanelAppointment, *, on: dt.date, field: str, what: str
) -> None:
    live = appointment.appointed_from <= on and (
        appointment.ended_on is None or appointment.ended_on > on
    )
    if appointment.role != OfficeRole.MEMBER or not live:
        raise DomainError(
            f"{what}: {appointment.display_name} was not a Panel Member on {_d(on)}.",
            field=field,
        )


def _ensure_open(meeting: PanelMeeting) -> None:
    if meeting.status == PanelMeeting.Status.CANCELLED:
        raise Conflict(f"{meeting.reference} was cancelled.")


# --- resolution handlers registered by higher apps ---

ResolutionHandler = Callable[[Resolution], str | None]
_HANDLERS: dict[str, ResolutionHandler] = {}


def register_resolution_handler(kind: str, handler: ResolutionHandler) -> None:
    """Let a higher app (changes) carry out a kind of resolution when it passes.

    The handler runs inside the transaction that records the resolution; raising rolls the
    resolution back. It returns a line describing what it did (stored in `Resolution.effect`).
    """
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS or kind == ResolutionKind.PANEL_CHAIR:
        raise ValueError(
            "Suspension, restoration and the Panel Chair are carried out by the panel app itself."
        )
    _HANDLERS[kind] = handler


def unregister_resolution_handler(kind: str) -> None:
    _HANDLERS.pop(kind, None)


# --- the register: appointments and vacancies (Clause 6) ---


def appointment_create(
    *,
    by: User,
    person: User,
    role: str,
    constituency: str,
    seat: int = 1,
    appointed_from: dt.date,
    employer: Party | None = None,
    employer_name: str = "",
    allocated_to: PanelAppointment | None = None,
    appointed_under: str = AppointedUnder.ELECTION,
    elected_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
) -> PanelAppointment:
    """Record an elected or appointed member or Alternate (6.3-6.6, 6.11, 5.8)."""
    _ensure_secretariat(by)
    if role == OfficeRole.ALTERNATE and allocated_to is None:
        raise DomainError(
            "Each Alternate is allocated to a Panel Member for the same Party Category (6.11).",
            field="allocated_to",
        )
    if allocated_to is not None and allocated_to.constituency != constituency:
        raise DomainError(
            "An Alternate is allocated to a Panel Member of the same Party Category (6.11).",
            field="allocated_to",
        )
    try:
        with transaction.atomic():
            appointment = PanelAppointment.objects.create(
                person=person,
                role=role,
                constituency=constituency,
                seat=seat,
                appointed_from=appointed_from,
                employer=employer,
                employer_name=employer_name,
                allocated_to=allocated_to,
                appointed_under=appointed_under,
                elected_on=elected_on,
                confirmed_on=confirmed_on,
            )
            _give_panel_role(person, role)
            audit_record(actor=by, action="panel.appointment.create", target=appointment)
    except IntegrityError as exc:
        raise Conflict(_integrity_message(exc)) from exc
    return appointment


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc)
    if "one_live_panel_office_per_person" in text:
        return "No one person can hold more than one office as a Panel Member (5.6)."
    if "one_live_holder_per_panel_office" in text:
        return "That office already has a holder: end the current appointment first."
    if "panel_seat_within_category_allowance" in text:
        return "5.5 gives 2 DNO, 1 IDNO/OTSO, 2 Supplier and 1 CVA Registrant seats."
    return "The register refused this change."


def _give_panel_role(person: User, role: str) -> None:
    if person.role in (Role.PUBLIC, Role.PANEL_MEMBER, Role.PANEL_ALTERNATE):
        person.role = Role.PANEL_MEMBER if role == OfficeRole.MEMBER else Role.PANEL_ALTERNATE
        person.save(update_fields=["role"])


def appointment_end(
    *,
    by: User | None,
    appointment: PanelAppointment,
    on: dt.date,
    reason: str,
    note: str = "",
) -> PanelVacancy | None:
    """End an office (6.7, 6.8, 6.17, 5.8) and start filling it (6.9, 6.14)."""
    if by is not None:
        _ensure_secretariat(by)
    with transaction.atomic():
        appointment = PanelAppointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.ended_on is not None:
            raise Conflict(
                f"{appointment.display_name}'s office already ended on {_d(appointment.ended_on)}."
            )
        appointment.ended_on = max(on, appointment.appointed_from)
        appointment.end_reason = reason
        appointment.end_note = note
        appointment.save(update_fields=["ended_on", "end_reason", "end_note"])
        audit_record(
            actor=by, action="panel.appointment.end", target=appointment, data={"reason": reason}
        )
        if reason == EndReason.RETIRED:
            return None  # filled by the annual election (6.2-6.7)
        return _fill_vacancy(appointment, by=by)


def _fill_vacancy(vacated: PanelAppointment, *, by: User | None) -> PanelVacancy:
    """6.9: the allocated Alternate, else any other Alternate of the category, else an election."""
    on = vacated.ended_on
    assert on is not None
    outcome = PanelVacancy.Outcome.BY_ELECTION_NEEDED
    filled_by = None
    note = ""
    if vacated.appointed_under == AppointedUnder.AUTHORITY_5_8:
        outcome = PanelVacancy.Outcome.AUTHORITY_MAY_APPOINT
        note = "The Authority may appoint another person (5.8)."
    elif vacated.role == OfficeRole.ALTERNATE:
        note = "An election for the Alternate office is needed, on dates the Panel Secretary directs (6.14)."
    else:
        alternates = (
            PanelAppointment.objects.live_on(on)
            .select_for_update()
            .filter(role=OfficeRole.ALTERNATE, constituency=vacated.constituency)
            .exclude(pk=vacated.pk)
            .order_by("seat", "pk")
        )
        allocated = [a for a in alternates if a.allocated_to_id == vacated.pk]
        chosen = allocated[0] if allocated else next(iter(alternates), None)
        if chosen is None:
            note = "No Alternate in this Party Category: an election is needed (6.9.2)."
        else:
            chosen.ended_on = max(on, chosen.appointed_from)
            chosen.end_reason = EndReason.STEPPED_UP
            chosen.save(update_fields=["ended_on", "end_reason"])
            filled_by = PanelAppointment.objects.create(
                person=chosen.person,
                role=OfficeRole.MEMBER,
                constituency=vacated.constituency,
                seat=vacated.seat,
                employer=chosen.employer,
                employer_name=chosen.employer_name,
                appointed_under=AppointedUnder.STEP_UP,
                replaces=vacated,
                elected_on=on,
                confirmed_on=chosen.confirmed_on,
                appointed_from=on,
                term_ends=vacated.term_ends,  # 6.10: the rest of the term
            )
            PanelAppointment.objects.live_on(on).filter(allocated_to=vacated).update(
                allocated_to=filled_by
            )
            _give_panel_role(chosen.person, OfficeRole.MEMBER)
            outcome = PanelVacancy.Outcome.ALTERNATE_STEPPED_UP
            how = "allocated" if allocated else "another"
            note = (
                f"{chosen.display_name} ({how} Alternate) appointed to the office until "
                f"{_d(vacated.term_ends) if vacated.term_ends else 'the end of the term'} "
                "(6.9, 6.10); the Alternate office needs an election (6.14)."
            )
            PanelVacancy.objects.create(
                vacated=chosen,
                arose_on=chosen.ended_on,
                reason=EndReason.STEPPED_UP,
                outcome=PanelVacancy.Outcome.BY_ELECTION_NEEDED,
                note="An election for the Alternate office is needed (6.14).",
            )
    vacancy = PanelVacancy.objects.create(
        vacated=vacated,
        arose_on=on,
        reason=vacated.end_reason,
        outcome=outcome,
        filled_by=filled_by,
        note=note,
    )
    audit_record(actor=by, action="panel.vacancy", target=vacancy, data={"outcome": outcome})
    return vacancy


def vacancies_detect(*, on: dt.date | None = None, by: User | None = None) -> list[PanelVacancy]:
    """Offices vacated by missed meetings (6.8.2) or no written confirmation (6.17).

    Run after attendance is recorded and nightly; safe to run twice (ended offices are skipped).
    """
    on = on or _today()
    calendar = WorkingDayCalendar.load()
    meetings = held_duly_convened_meetings(on)
    rows = {
        (r.meeting_id, r.appointment_id): r
        for r in MeetingAttendance.objects.filter(meeting__in=[m.pk for m in meetings])
    }
    vacancies: list[PanelVacancy] = []
    # Members first, so an Alternate stepping up is judged afterwards as the new member.
    for appointment in PanelAppointment.objects.live_on(on).order_by("-role", "pk"):
        if appointment.appointed_under == AppointedUnder.AUTHORITY_5_8:
            limit = 3
        else:
            limit = 3 if appointment.role == OfficeRole.MEMBER else 2
        records = attendance_records(appointment, meetings, rows)
        reached = missed_in_a_row(records, limit)
        if reached is not None:
            fresh = PanelAppointment.objects.get(pk=appointment.pk)
            if fresh.ended_on is None:
                vacancy = appointment_end(
                    by=None,
                    appointment=fresh,
                    on=reached.day + dt.timedelta(days=1),  # still in office at that meeting
                    reason=EndReason.MISSED_MEETINGS,
                    note=f"Absent from {limit} consecutive meetings duly convened (6.8.2).",
                )
                if vacancy:
                    vacancies.append(vacancy)
            continue
        if appointment.confirmed_on is None and appointment.elected_on is not None:
            deadline = calendar.add_working_days(appointment.elected_on, CONFIRMATION_WORKING_DAYS)
            if on > deadline:
                vacancy = appointment_end(
                    by=None,
                    appointment=appointment,
                    on=deadline + dt.timedelta(days=1),
                    reason=EndReason.NOT_CONFIRMED,
                    note=f"No written confirmation by {_d(deadline)} (6.17).",
                )
                if vacancy:
                    vacancies.append(vacancy)
    if by is not None and vacancies:
        for v in vacancies:
            audit_record(actor=by, action="panel.vacancy.detected", target=v)
    return vacancies


# --- meetings (7.9-7.18) ---


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
    _ensure_secretariat(by)
    calendar = WorkingDayCalendar.load()
    notice_given_on = notice_given_on or _today()
    if not agenda:
        raise DomainError("The notice must contain an agenda (7.15).", field="agenda")
    if not short_notice_basis and not notice_is_enough(
        notice_given_on, meeting_date, NOTICE_WORKING_DAYS, calendar.closures
    ):
        latest = latest_day_for_notice(meeting_date, NOTICE_WORKING_DAYS, calendar.closures)
        raise DomainError(
            f"Meetings of the Panel are convened on at least five Working Days' notice (7.14): "
            f"for a meeting on {_d(meeting_date)} notice was due by {_d(latest)}. Shorter notice "
            "only where Section 1C requires it: say which requirement.",
            field="meeting_date",
        )
    if requisitioned_by is not None:
        _ensure_live_member(
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
                f"(7.12.1): notice was due by {_d(convene_by)}.",
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
                title=_objection_title(objection),
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
        audit_record(actor=by, action="panel.meeting.convene", target=meeting)
        transaction.on_commit(lambda: _send_notice(meeting.pk))
    return meeting


def _send_notice(meeting_id: int) -> None:
    from .panel_tasks import send_meeting_notice

    send_meeting_notice.delay(meeting_id)


def _objection_title(objection: MinutesObjection) -> str:
    return (
        f"Disagreement with the minutes of {objection.minutes.meeting.reference} "
        f"raised by {objection.by.display_name} (7.22)"
    )


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
    _ensure_secretariat(by)
    requested_on = requested_on or _today()
    _ensure_open(meeting)
    _ensure_live_member(
        requested_by,
        on=requested_on,
        field="requested_by",
        what="Additional matters are requested by a Panel Member (7.12.2)",
    )
    closures = WorkingDayCalendar.load().closures
    if not notice_is_enough(
        requested_on, meeting.meeting_date, AGENDA_ADDITION_WORKING_DAYS, closures
    ):
        latest = latest_day_for_notice(meeting.meeting_date, AGENDA_ADDITION_WORKING_DAYS, closures)
        raise DomainError(
            f"Additional matters must be notified at least three Working Days before the meeting "
            f"(7.12.2): for {meeting.reference} on {_d(meeting.meeting_date)} the last day was "
            f"{_d(latest)}.",
            field="requested_on",
        )
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            title=title,
            description=description,
            requested_by=requested_by,
            requested_on=requested_on,
            confidential=confidential,
        )
        audit_record(actor=by, action="panel.agenda.add", target=item)
    return item


def observer_register(
    *, by: User, meeting: PanelMeeting, name: str, party: Party, notice_given_on: dt.date
) -> MeetingObserver:
    """A Party's representative attends as an observer on two Working Days' notice (7.18)."""
    _ensure_secretariat(by)
    _ensure_open(meeting)
    closures = WorkingDayCalendar.load().closures
    if not notice_is_enough(
        notice_given_on, meeting.meeting_date, OBSERVER_NOTICE_WORKING_DAYS, closures
    ):
        latest = latest_day_for_notice(meeting.meeting_date, OBSERVER_NOTICE_WORKING_DAYS, closures)
        raise DomainError(
            f"A Party gives the Panel Secretary two Working Days' notice to send an observer "
            f"(7.18): for this meeting notice was due by {_d(latest)}.",
            field="notice_given_on",
        )
    with transaction.atomic():
        observer = MeetingObserver.objects.create(
            meeting=meeting, name=name, party=party, notice_given_on=notice_given_on
        )
        audit_record(actor=by, action="panel.observer.register", target=observer)
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
    _ensure_secretariat(by)
    if meeting.status == PanelMeeting.Status.CANCELLED:
        raise Conflict(f"{meeting.reference} was cancelled: no attendance to record.")
    today = _today()
    if today < meeting.meeting_date:
        raise DomainError(
            f"{meeting.reference} is on {_d(meeting.meeting_date)}: attendance is recorded once "
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
        meeting.save(update_fields=["status"])
        audit_record(
            actor=by,
            action="panel.attendance.record",
            target=meeting,
            data={"present": [e.appointment.pk for e in entries if e.present]},
        )
        return vacancies_detect(on=meeting.meeting_date, by=by)


# --- resolutions (7.19-7.23, 54.3-54.7) ---


def _next_reference(meeting: PanelMeeting | None, written_on: dt.date) -> str:
    if meeting is not None:
        n = meeting.resolutions.count() + 1
        return f"{meeting.reference} R{n}"
    n = Resolution.objects.filter(written=True, decided_on__year=written_on.year).count() + 1
    return f"Written {written_on.year}-W{n}"


def resolution_take(
    *,
    by: User,
    meeting: PanelMeeting,
    kind: str,
    title: str,
    votes: Mapping[int, str],
    text: str = "",
    payload: dict[str, Any] | None = None,
    target_ids: Sequence[int] = (),
    target_party: Party | None = None,
) -> Resolution:
    """Record a resolution with each Panel Member's vote; refused without a quorum (7.10).

    `votes` maps each Panel Member office (appointment id) present to FOR/AGAINST/ABSTAIN.
    """
    _ensure_secretariat(by)
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS and target_party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        offices = member_offices(meeting.meeting_date)
        attendees = meeting_attendees(meeting)
        quorum = assess_quorum(seat_holders(offices, attendees))
        if not quorum.quorate:
            raise NoQuorum(
                "No business may be transacted without a quorum (7.10). " + quorum.explanation,
                rule="7.10",
            )
        disqualified: set[int] = set()
        if kind in CLAUSE_54_KINDS:
            assert target_party is not None
            disqualified = clause_54_disqualified(target_party.pk, meeting.meeting_date)
            quorum = assess_quorum(seat_holders(offices, attendees, disqualified))
            if not quorum.quorate:
                raise NoQuorum(
                    "Without the Panel Members disqualified under 54.7 there is no quorum. "
                    + quorum.explanation,
                    rule="54.7",
                )
        acting = {h.member_id: h for h in quorum.holders}
        missing = [h.acting_name for h in quorum.holders if h.member_id not in votes]
        if missing:
            raise DomainError(
                "Record how each Panel Member present voted (7.23): missing "
                + ", ".join(missing)
                + ".",
                field="votes",
            )
        extra = set(votes) - set(acting)
        if extra:
            raise DomainError(
                "Votes were given for offices not acting at this meeting (absent, or "
                "disqualified under 54.7).",
                field="votes",
            )
        if kind == ResolutionKind.PANEL_CHAIR:
            decision = decide_panel_chair(len(offices), votes)
        else:
            decision = decide_resolution(len(acting), votes)
        resolution = Resolution.objects.create(
            meeting=meeting,
            reference=_next_reference(meeting, meeting.meeting_date),
            kind=kind,
            title=title,
            text=text,
            payload=payload or {},
            target_ids=list(target_ids),
            target_party=target_party,
            passed=decision.passed,
            present=decision.present,
            votes_for=decision.votes_for,
            votes_against=decision.votes_against,
            abstentions=decision.abstentions,
            outcome=decision.outcome,
            decided_on=meeting.meeting_date,
            recorded_by=by,
        )
        ResolutionVote.objects.bulk_create(
            ResolutionVote(
                resolution=resolution,
                member_id=member_id,
                cast_by_id=acting[member_id].acting_id,
                choice=choice,
            )
            for member_id, choice in votes.items()
        )
        present_ids = {a.appointment_id for a in attendees}
        ResolutionConflict.objects.bulk_create(
            ResolutionConflict(
                resolution=resolution,
                appointment_id=pk,
                note="Employed by the Breaching Party or an Affiliate: does not act (54.7).",
                excluded=True,
            )
            for pk in sorted(disqualified & present_ids)
        )
        audit_record(
            actor=by,
            action="panel.resolution.take",
            target=resolution,
            data={"kind": kind, "passed": decision.passed, "votes": dict(votes)},
        )
        if decision.passed:
            _carry_out(resolution, by=by)
    return resolution


def written_resolution_take(
    *,
    by: User,
    kind: str,
    title: str,
    signed_for: Sequence[int],
    decided_on: dt.date | None = None,
    text: str = "",
    payload: dict[str, Any] | None = None,
    target_ids: Sequence[int] = (),
    target_party: Party | None = None,
    refuse_unless_all_signed: bool = False,
) -> Resolution:
    """A resolution in writing signed by or on behalf of all the Panel Members (7.20).

    `signed_for`: the Panel Member offices (appointment ids) whose signature was received.
    With `refuse_unless_all_signed` an incomplete one is refused rather than recorded as not passed.
    """
    _ensure_secretariat(by)
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS and target_party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    if kind == ResolutionKind.PANEL_CHAIR:
        raise DomainError("Choose the Panel Chair at a meeting (7.1).", field="kind")
    decided_on = decided_on or _today()
    with transaction.atomic():
        live = member_offices(decided_on)
        offices = [o.member_id for o in live]
        decision = decide_written_resolution(offices, signed_for)
        if refuse_unless_all_signed and not decision.passed:
            unsigned = [o.name for o in live if o.member_id not in set(signed_for)]
            raise DomainError(
                "A written resolution is valid only when signed by or on behalf of all the "
                "Panel Members (7.20): not signed by " + ", ".join(unsigned or ["anyone"]) + ".",
                field="signed_for",
                rule="7.20",
            )
        resolution = Resolution.objects.create(
            meeting=None,
            written=True,
            reference=_next_reference(None, decided_on),
            kind=kind,
            title=title,
            text=text,
            payload=payload or {},
            target_ids=list(target_ids),
            target_party=target_party,
            passed=decision.passed,
            present=decision.present,
            votes_for=decision.votes_for,
            outcome=decision.outcome,
            decided_on=decided_on,
            recorded_by=by,
        )
        ResolutionVote.objects.bulk_create(
            ResolutionVote(resolution=resolution, member_id=pk, cast_by_id=pk, choice="FOR")
            for pk in sorted(set(signed_for) & set(offices))
        )
        audit_record(actor=by, action="panel.resolution.written", target=resolution)
        if decision.passed:
            _carry_out(resolution, by=by)
    return resolution


def _carry_out(resolution: Resolution, *, by: User) -> None:
    if resolution.kind == ResolutionKind.SUSPENSION:
        effect = _suspend(resolution)
    elif resolution.kind == ResolutionKind.RESTORATION:
        effect = _restore(resolution)
    elif resolution.kind == ResolutionKind.PANEL_CHAIR:
        effect = _appoint_panel_chair(resolution)
    else:
        handler = _HANDLERS.get(resolution.kind)
        if handler is None:
            effect = (
                "Resolution recorded only: no handler is registered for "
                f"'{resolution.get_kind_display()}' resolutions."
            )
        else:
            effect = handler(resolution) or "Carried out."
    resolution.effect = effect
    resolution.save(update_fields=["effect"])
    audit_record(
        actor=by, action="panel.resolution.effect", target=resolution, data={"effect": effect}
    )


def _payload_date(resolution: Resolution, key: str, default: dt.date | None) -> dt.date | None:
    value = resolution.payload.get(key)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(f"'{key}' must be a date (YYYY-MM-DD).", field=key) from exc


def _suspend(resolution: Resolution) -> str:
    """The Breaching Party may not exercise election and voting rights for the period (54.3)."""
    party = resolution.target_party
    assert party is not None
    start = _payload_date(resolution, "valid_from", resolution.decided_on)
    end = _payload_date(resolution, "valid_to", None)
    assert start is not None
    if Suspension.objects.filter(party=party, valid_to__isnull=True).exists():
        raise Conflict(f"{party.name}'s rights are already suspended.")
    suspension = Suspension.objects.create(
        party=party,
        valid_from=start,
        valid_to=end,
        panel_resolution=resolution.reference,
        reason=str(resolution.payload.get("reason", resolution.title)),
    )
    audit_record(actor=resolution.recorded_by, action="panel.suspension.create", target=suspension)
    transaction.on_commit(lambda: _notify_54(resolution.pk))
    until = f" until {_d(end)}" if end else " until the Panel restores them (54.4)"
    return f"{party.name}'s election and voting rights suspended from {_d(start)}{until} (54.3)."


def _restore(resolution: Resolution) -> str:
    """No Event of Default continues: the restrictions cease (54.4)."""
    party = resolution.target_party
    assert party is not None
    restored = _payload_date(resolution, "restored_on", resolution.decided_on)
    assert restored is not None
    live = list(
        Suspension.objects.select_for_update().filter(party=party).exclude(valid_to__lt=restored)
    )
    if not live:
        raise Conflict(f"{party.name}'s rights are not suspended.")
    for suspension in live:
        # valid_to is the last day suspended: rights are back on the day of restoration.
        suspension.valid_to = max(restored - dt.timedelta(days=1), suspension.valid_from)
        suspension.reason = (suspension.reason + f"\nRestored by {resolution.reference}.").strip()
        suspension.save(update_fields=["valid_to", "reason"])
        audit_record(actor=resolution.recorded_by, action="panel.suspension.end", target=suspension)
    transaction.on_commit(lambda: _notify_54(resolution.pk))
    return f"{party.name}'s election and voting rights restored on {_d(restored)} (54.4)."


def _notify_54(resolution_id: int) -> None:
    from .panel_tasks import notify_clause_54_resolution

    notify_clause_54_resolution.delay(resolution_id)


# --- minutes (7.21-7.22) ---


def minutes_draft(
    *, by: User, meeting: PanelMeeting, text: str, confidential: bool = False
) -> PanelMinutes:
    """The Panel Secretary keeps minutes of the meeting (7.7.3); a draft until circulated."""
    _ensure_secretariat(by)
    if _today() < meeting.meeting_date:
        raise DomainError(
            f"Minutes are kept of a meeting held (7.7.3): {meeting.reference} is on "
            f"{_d(meeting.meeting_date)}.",
            field="text",
        )
    if not text.strip():
        raise DomainError("Write the minutes.", field="text")
    with transaction.atomic():
        existing = PanelMinutes.objects.select_for_update().filter(meeting=meeting).first()
        if existing is not None and existing.circulated_on is not None:
            raise Conflict(
                f"The minutes of {meeting.reference} were circulated on "
                f"{_d(existing.circulated_on)}: a Panel Member's disagreement is recorded as an "
                "objection and goes first on the next agenda (7.22).",
                field="text",
            )
        minutes, _ = PanelMinutes.objects.update_or_create(
            meeting=meeting, defaults={"text": text, "confidential": confidential}
        )
        audit_record(actor=by, action="panel.minutes.draft", target=minutes)
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
    _ensure_secretariat(by)
    circulated_on = circulated_on or _today()
    if circulated_on < meeting.meeting_date:
        raise DomainError(
            f"Minutes are circulated following the meeting (7.21): {meeting.reference} is on "
            f"{_d(meeting.meeting_date)}.",
            field="circulated_on",
        )
    due = within_working_days(
        meeting.meeting_date, MINUTES_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    with transaction.atomic():
        existing = PanelMinutes.objects.select_for_update().filter(meeting=meeting).first()
        if existing is not None and existing.circulated_on is not None:
            raise Conflict(
                f"The minutes of {meeting.reference} were circulated on "
                f"{_d(existing.circulated_on)}: disagreements go first on the next agenda (7.22).",
                field="circulated_on",
            )
        minutes, _ = PanelMinutes.objects.update_or_create(
            meeting=meeting,
            defaults={"text": text, "confidential": confidential, "circulated_on": circulated_on},
        )
        audit_record(
            actor=by,
            action="panel.minutes.circulate",
            target=minutes,
            data={"due": due.isoformat(), "late": circulated_on > due},
        )
    return minutes


def minutes_objection_record(
    *,
    by: User,
    minutes: PanelMinutes,
    member: PanelAppointment,
    items: str,
    received_on: dt.date | None = None,
) -> MinutesObjection:
    """A Panel Member's disagreement within five Working Days goes first on the next agenda (7.22)."""
    _ensure_secretariat(by)
    received_on = received_on or _today()
    if minutes.circulated_on is None:
        raise DomainError("These minutes have not been circulated yet.")
    last_day = within_working_days(
        minutes.circulated_on, OBJECTION_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    if received_on > last_day:
        raise DomainError(
            f"Disagreements with the minutes are notified within five Working Days of receipt "
            f"(7.22): the minutes of {minutes.meeting.reference} were circulated on "
            f"{_d(minutes.circulated_on)}, so the last day was {_d(last_day)}.",
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
                title=_objection_title(objection),
                description=items,
                minutes_objection=True,
            )
            objection.save(update_fields=["agenda_item"])
        audit_record(actor=by, action="panel.minutes.objection", target=objection)
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
    _ensure_secretariat(by)
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
                f"{_d(minutes.approved_on)}."
            )
        if at_meeting.pk == minutes.meeting_id or at_meeting.meeting_date < minutes.circulated_on:
            raise DomainError(
                f"The minutes of {minutes.meeting.reference} were circulated on "
                f"{_d(minutes.circulated_on)}: they are approved at a later meeting, after "
                "members have had them (7.21-7.22).",
                field="at_meeting",
            )
        minutes.approved_at = at_meeting
        minutes.approved_on = approved_on
        minutes.published_on = approved_on if publish and not minutes.confidential else None
        minutes.save(update_fields=["approved_at", "approved_on", "published_on"])
        audit_record(actor=by, action="panel.minutes.approve", target=minutes)
    return minutes


def minutes_publish(
    *, by: User, minutes: PanelMinutes, published_on: dt.date | None = None
) -> PanelMinutes:
    """Put approved, non-confidential minutes on the Website (5.3.10, Schedule 14, 57.1)."""
    _ensure_secretariat(by)
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
                f"The minutes of {reference} were published on {_d(minutes.published_on)}."
            )
        minutes.published_on = published_on or _today()
        minutes.save(update_fields=["published_on"])
        audit_record(actor=by, action="panel.minutes.publish", target=minutes)
    return minutes


# --- the Panel Chair (7.1-7.4) ---


def panel_chair_choose(
    *,
    by: User,
    meeting: PanelMeeting,
    candidate: PanelAppointment,
    votes: Mapping[int, str],
    authority_consent: bool = False,
) -> Resolution:
    """Appoint the Panel Chair by a simple majority of the Panel Members (7.1); no casting vote (7.4).

    A Panel Member removed from the office is reappointed only with the Authority's prior
    consent (7.2). Each member's vote is recorded as for any resolution (7.23).
    """
    _ensure_secretariat(by)
    _ensure_live_member(
        candidate,
        on=meeting.meeting_date,
        field="candidate",
        what="The Panel Chair is a Panel Member (7.1)",
    )
    removed = PanelChair.objects.filter(
        appointment__person=candidate.person,
        end_reason__in=[
            PanelChair.EndReason.REMOVED_BY_PANEL,
            PanelChair.EndReason.REMOVED_BY_AUTHORITY,
        ],
    ).exists()
    if removed and not authority_consent:
        raise DomainError(
            f"{candidate.display_name} was removed from the office of Panel Chair and may not be "
            "reappointed without the Authority's prior consent (7.2).",
            field="authority_consent",
            rule="7.2",
        )
    current = PanelChair.objects.filter(ended_on__isnull=True).first()
    if current is not None and current.appointment_id == candidate.pk:
        raise Conflict(f"{candidate.display_name} is already the Panel Chair.", field="candidate")
    return resolution_take(
        by=by,
        meeting=meeting,
        kind=ResolutionKind.PANEL_CHAIR,
        title=f"Appointment of {candidate.display_name} as Panel Chair",
        votes=votes,
        payload={"appointment_id": candidate.pk, "authority_consent": authority_consent},
    )


def _appoint_panel_chair(resolution: Resolution) -> str:
    candidate = PanelAppointment.objects.select_related("person").get(
        pk=resolution.payload["appointment_id"]
    )
    on = resolution.decided_on
    PanelChair.objects.select_for_update().filter(ended_on__isnull=True).update(
        ended_on=on, end_reason=PanelChair.EndReason.REPLACED
    )
    chair = PanelChair.objects.create(
        appointment=candidate,
        resolution=resolution,
        appointed_on=on,
        authority_consent=bool(resolution.payload.get("authority_consent")),
    )
    audit_record(actor=resolution.recorded_by, action="panel.chair.appoint", target=chair)
    return f"{candidate.display_name} appointed Panel Chair from {_d(on)} (7.1)."


# --- DCUSA Standing Issues Group (Schedule 7) ---


def sig_chair_appoint(
    *,
    by: User,
    name: str,
    appointed_on: dt.date,
    person: User | None = None,
    appointing_resolution: str = "",
) -> SigChair:
    """The Panel appoints an independent Chair for a 12-month term (Schedule 7, 4)."""
    _ensure_secretariat(by)
    with transaction.atomic():
        SigChair.objects.select_for_update().filter(ended_on__isnull=True).update(
            ended_on=appointed_on
        )
        chair = SigChair.objects.create(
            name=name,
            person=person,
            appointed_on=appointed_on,
            term_ends=sig_chair_term_end(appointed_on),
            appointing_resolution=appointing_resolution,
        )
        audit_record(actor=by, action="sig.chair.appoint", target=chair)
    return chair


def sig_meeting_schedule(
    *,
    by: User,
    reference: str,
    meeting_date: dt.date,
    emergency: bool = False,
    notice_given_on: dt.date | None = None,
    agenda_circulated_on: dt.date | None = None,
) -> SigMeeting:
    """Monthly meetings, agenda 10 days ahead; emergency meetings on 5 days' notice (Sch 7, 6-7)."""
    _ensure_secretariat(by)
    notice_given_on = notice_given_on or _today()
    if emergency and (meeting_date - notice_given_on).days < SIG_EMERGENCY_NOTICE_DAYS:
        raise DomainError(
            "The Chair gives at least 5 days' notice of an emergency meeting (Schedule 7, 6): "
            f"notice was due by {_d(meeting_date - dt.timedelta(days=SIG_EMERGENCY_NOTICE_DAYS))}.",
            field="meeting_date",
        )
    if (
        not emergency
        and agenda_circulated_on is not None
        and (meeting_date - agenda_circulated_on).days < SIG_AGENDA_DAYS
    ):
        raise DomainError(
            "The agenda is circulated at least 10 days before the meeting (Schedule 7, 7): "
            f"it was due by {_d(meeting_date - dt.timedelta(days=SIG_AGENDA_DAYS))}.",
            field="agenda_circulated_on",
        )
    try:
        with transaction.atomic():
            meeting = SigMeeting.objects.create(
                reference=reference,
                meeting_date=meeting_date,
                emergency=emergency,
                notice_given_on=notice_given_on,
                agenda_circulated_on=agenda_circulated_on,
            )
            audit_record(actor=by, action="sig.meeting.schedule", target=meeting)
    except IntegrityError as exc:
        raise Conflict(f"A meeting {reference} already exists.", field="reference") from exc
    return meeting


def _may_raise_for(user: User, party: Party) -> bool:
    if user.is_secretariat:
        return True
    return PartyRepresentative.objects.filter(user=user, party=party).exists()


def issue_form_raise(
    *,
    by: User,
    title: str,
    description: str,
    party: Party | None = None,
    raised_by_other: str = "",
    raised_on: dt.date | None = None,
) -> IssueForm:
    """Log an Issue Form and add it to the next scheduled meeting (Schedule 7, 8).

    Forms arriving less than 10 Working Days before that meeting wait for the Chair's discretion.
    """
    if not by.is_authenticated:
        raise NotAllowed("Sign in to raise an issue.")
    if party is not None and not _may_raise_for(by, party):
        raise NotAllowed(f"You do not represent {party.name}.")
    if party is None and not (by.is_secretariat and raised_by_other):
        raise DomainError("Say which Party raises the issue.", field="party")
    if not title.strip() or not description.strip():
        raise DomainError("A completed DCUSA Issue Form needs a title and a description.")
    raised_on = raised_on or _today()
    with transaction.atomic():
        meeting = next_sig_meeting(raised_on)
        status = IssueForm.Status.LOGGED
        if meeting is not None:
            on_time = notice_is_enough(
                raised_on,
                meeting.meeting_date,
                SIG_LATE_ISSUE_WORKING_DAYS,
                WorkingDayCalendar.load().closures,
            )
            status = IssueForm.Status.ON_AGENDA if on_time else IssueForm.Status.AWAITING_CHAIR
        count = IssueForm.objects.select_for_update().filter(raised_on__year=raised_on.year)
        reference = f"ISS-{raised_on.year}-{count.count() + 1:03d}"
        issue = IssueForm.objects.create(
            reference=reference,
            title=title.strip(),
            description=description.strip(),
            raised_by_party=party,
            raised_by_other=raised_by_other,
            raised_by_user=by,
            raised_on=raised_on,
            meeting=meeting,
            status=status,
        )
        audit_record(actor=by, action="sig.issue.raise", target=issue)
    return issue


def _is_sig_chair(user: User) -> bool:
    return SigChair.objects.filter(ended_on__isnull=True, person=user).exists()


def issue_form_chair_decide(*, by: User, issue: IssueForm, accept: bool) -> IssueForm:
    """The Chair takes a late Issue Form at this meeting, or it waits for the next (Sch 7, 8)."""
    if not (by.is_secretariat or _is_sig_chair(by)):
        raise NotAllowed("Late Issue Forms are accepted at the discretion of the Chair.")
    with transaction.atomic():
        issue = IssueForm.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueForm.Status.AWAITING_CHAIR:
            raise Conflict(f"{issue.reference} is not awaiting the Chair's decision.")
        if accept:
            issue.status = IssueForm.Status.ON_AGENDA
        else:
            following = next_sig_meeting(issue.meeting.meeting_date) if issue.meeting else None
            issue.meeting = following
            issue.status = (
                IssueForm.Status.ON_AGENDA if following else IssueForm.Status.DECLINED_LATE
            )
        issue.save(update_fields=["status", "meeting"])
        audit_record(
            actor=by, action="sig.issue.chair_decision", target=issue, data={"accept": accept}
        )
    return issue


def sig_outcome_record(
    *,
    by: User,
    issue: IssueForm,
    meeting: SigMeeting,
    recommendation: str,
    attending: int,
    in_favour: int,
) -> SigOutcome:
    """Recommendations by majority consensus of those attending (Schedule 7, 9)."""
    _ensure_secretariat(by)
    if in_favour > attending:
        raise DomainError("More in favour than attending.", field="in_favour")
    if issue.status == IssueForm.Status.AWAITING_CHAIR:
        raise DomainError(
            f"{issue.reference} arrived late and the Chair has not accepted it (Schedule 7, 8)."
        )
    with transaction.atomic():
        outcome = SigOutcome.objects.create(
            meeting=meeting,
            issue=issue,
            recommendation=recommendation,
            attending=attending,
            in_favour=in_favour,
            agreed=sig_majority_consensus(attending, in_favour),
        )
        audit_record(actor=by, action="sig.outcome", target=outcome)
    return outcome


def sig_minutes_circulate(
    *, by: User, meeting: SigMeeting, minutes: str, circulated_on: dt.date | None = None
) -> SigMeeting:
    """Minutes no later than 10 Working Days after the meeting (Schedule 7, 7)."""
    _ensure_secretariat(by)
    circulated_on = circulated_on or _today()
    due = within_working_days(
        meeting.meeting_date, SIG_MINUTES_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    with transaction.atomic():
        meeting.minutes = minutes
        meeting.minutes_circulated_on = circulated_on
        meeting.save(update_fields=["minutes", "minutes_circulated_on"])
        audit_record(
            actor=by,
            action="sig.minutes.circulate",
            target=meeting,
            data={"due": due.isoformat(), "late": circulated_on > due},
        )
    return meeting


def issue_form_mark_converted(*, by: User, issue: IssueForm, change_reference: str) -> IssueForm:
    """Record the Change Proposal raised from the issue (called by the changes app)."""
    with transaction.atomic():
        issue = IssueForm.objects.select_for_update().get(pk=issue.pk)
        if issue.converted_to_reference:
            raise Conflict(
                f"{issue.reference} was already raised as {issue.converted_to_reference}."
            )
        issue.converted_to_reference = change_reference
        issue.status = IssueForm.Status.CONVERTED
        issue.save(update_fields=["converted_to_reference", "status"])
        audit_record(actor=by, action="sig.issue.converted", target=issue)
    return issue
