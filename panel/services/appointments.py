"""Panel offices: appointments, their end, and the filling of vacancies (Clause 6, 5.8)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q

from ..audit import PanelAction, audit_record
from ..calendar import WorkingDayCalendar
from ..errors import Conflict, DomainError
from ..models import (
    AppointedUnder,
    EndReason,
    MeetingAttendance,
    OfficeRole,
    PanelAppointment,
    PanelVacancy,
    Party,
    Role,
    User,
)
from ..panel_rules import missed_in_a_row
from ..selectors import attendance_records, held_duly_convened_meetings
from .common import (
    CONFIRMATION_WORKING_DAYS,
    audited_create,
    audited_save,
    d,
    ensure_secretariat,
    today,
)


def appointment_check(
    *, role: str, constituency: str, allocated_to: PanelAppointment | None
) -> None:
    """Raise DomainError if an Alternate is not allocated within its category (6.11)."""
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
    ensure_secretariat(by, doing="record a Panel appointment (7.7.2)")
    appointment_check(role=role, constituency=constituency, allocated_to=allocated_to)
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
            audit_record(actor=by, action=PanelAction.APPOINTMENT_CREATED, target=appointment)
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


def _take_panel_role(person: User, *, by: User | None) -> None:
    """Access follows the office: a person left with no live office loses the Panel role."""
    if person.role not in (Role.PANEL_MEMBER, Role.PANEL_ALTERNATE):
        return
    live = Q(ended_on__isnull=True) | Q(ended_on__gt=today())
    if PanelAppointment.objects.filter(live, person=person).exists():
        return
    old, person.role = person.role, Role.PUBLIC
    audited_save(
        person,
        ["role"],
        by=by,
        action=PanelAction.USER_ROLE_CHANGED,
        data={"from": old, "to": Role.PUBLIC, "why": "office ended"},
    )


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
        ensure_secretariat(by, doing="end a Panel Member's office (7.7.2)")
    with transaction.atomic():
        appointment = PanelAppointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.ended_on is not None:
            raise Conflict(
                f"{appointment.display_name}'s office already ended on {d(appointment.ended_on)}."
            )
        appointment.ended_on = max(on, appointment.appointed_from)
        appointment.end_reason = reason
        appointment.end_note = note
        audited_save(
            appointment,
            ["ended_on", "end_reason", "end_note"],
            by=by,
            action=PanelAction.APPOINTMENT_ENDED,
            data={"reason": reason},
        )
        if reason == EndReason.RETIRED:
            vacancy = None  # filled by the annual election (6.2-6.7)
        else:
            vacancy = _fill_vacancy(appointment, by=by)
        _take_panel_role(appointment.person, by=by)
        return vacancy


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
                f"{d(vacated.term_ends) if vacated.term_ends else 'the end of the term'} "
                "(6.9, 6.10); the Alternate office needs an election (6.14)."
            )
            PanelVacancy.objects.create(
                vacated=chosen,
                arose_on=chosen.ended_on,
                reason=EndReason.STEPPED_UP,
                outcome=PanelVacancy.Outcome.BY_ELECTION_NEEDED,
                note="An election for the Alternate office is needed (6.14).",
            )
    vacancy = audited_create(
        PanelVacancy,
        by=by,
        action=PanelAction.VACANCY_ARISEN,
        data={"outcome": outcome},
        vacated=vacated,
        arose_on=on,
        reason=vacated.end_reason,
        outcome=outcome,
        filled_by=filled_by,
        note=note,
    )
    return vacancy


def vacancies_detect(*, on: dt.date | None = None, by: User | None = None) -> list[PanelVacancy]:
    """Offices vacated by missed meetings (6.8.2) or no written confirmation (6.17).

    Run after attendance is recorded and nightly; safe to run twice (ended offices are skipped).
    """
    on = on or today()
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
                    note=f"No written confirmation by {d(deadline)} (6.17).",
                )
                if vacancy:
                    vacancies.append(vacancy)
    if by is not None and vacancies:
        for v in vacancies:
            audit_record(actor=by, action=PanelAction.VACANCY_DETECTED, target=v)
    return vacancies
