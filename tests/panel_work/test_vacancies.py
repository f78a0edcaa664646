"""Vacancies (6.8-6.10, 6.14, 6.17): detected from attendance, filled by the Alternate."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.errors import Conflict
from panel.models import (
    AppointedUnder,
    EndReason,
    OfficeRole,
    PanelAppointment,
    PanelMeeting,
    PanelVacancy,
)
from panel.services import (
    AttendanceEntry,
    appointment_create,
    appointment_end,
    attendance_record,
    vacancies_detect,
)

from .factories import PanelMeetingFactory, appoint

pytestmark = pytest.mark.django_db
D = dt.date
MEETING_DAYS = [D(2026, 1, 14), D(2026, 2, 11), D(2026, 3, 11), D(2026, 4, 15)]


def hold(secretariat, panel, day, absent=(), alternates_present=(), absent_alternates=()):
    meeting = PanelMeetingFactory(meeting_date=day)
    entries = [AttendanceEntry(m) for k, m in panel.members.items() if k not in absent]
    entries += [AttendanceEntry(panel.m(k), present=False) for k in absent]
    entries += [AttendanceEntry(panel.a(k), acting_for=panel.m(k)) for k in alternates_present]
    entries += [AttendanceEntry(panel.a(k), present=False) for k in absent_alternates]
    return attendance_record(by=secretariat, meeting=meeting, entries=entries)


def test_three_missed_meetings_in_a_row_vacate_the_office_and_the_alternate_steps_up(
    secretariat, panel
):
    for day in MEETING_DAYS[:2]:
        assert hold(secretariat, panel, day, absent=["sup1"], alternates_present=["sup1"]) == []
    vacancies = hold(
        secretariat, panel, MEETING_DAYS[2], absent=["sup1"], alternates_present=["sup1"]
    )
    vacated = PanelAppointment.objects.get(pk=panel.m("sup1").pk)
    assert vacated.end_reason == EndReason.MISSED_MEETINGS
    assert vacated.ended_on == D(2026, 3, 12)
    member_vacancy = PanelVacancy.objects.get(vacated=vacated)
    assert member_vacancy.outcome == PanelVacancy.Outcome.ALTERNATE_STEPPED_UP
    successor = member_vacancy.filled_by
    assert successor.person == panel.a("sup1").person
    assert successor.role == OfficeRole.MEMBER
    assert successor.appointed_under == AppointedUnder.STEP_UP
    assert successor.term_ends == vacated.term_ends == D(2027, 12, 1)  # 6.10
    alternate_vacancy = PanelVacancy.objects.get(vacated=panel.a("sup1"))
    assert alternate_vacancy.outcome == PanelVacancy.Outcome.BY_ELECTION_NEEDED  # 6.14
    assert {v.pk for v in vacancies} >= {member_vacancy.pk}


def test_running_detection_again_changes_nothing(secretariat, panel):
    for day in MEETING_DAYS[:3]:
        hold(secretariat, panel, day, absent=["sup1"], alternates_present=["sup1"])
    count = PanelVacancy.objects.count()
    assert vacancies_detect(on=D(2026, 3, 20)) == []
    assert PanelVacancy.objects.count() == count


def test_meetings_not_duly_convened_do_not_count(secretariat, panel):
    hold(secretariat, panel, MEETING_DAYS[0], absent=["sup1"], alternates_present=["sup1"])
    short = PanelMeetingFactory(meeting_date=MEETING_DAYS[1], notice_given_on=D(2026, 2, 10))
    attendance_record(
        by=secretariat,
        meeting=short,
        entries=[AttendanceEntry(m) for k, m in panel.members.items() if k != "sup1"],
    )
    hold(secretariat, panel, MEETING_DAYS[2], absent=["sup1"], alternates_present=["sup1"])
    assert PanelAppointment.objects.get(pk=panel.m("sup1").pk).ended_on is None


def test_an_alternate_missing_two_meetings_it_was_due_to_attend_vacates(secretariat, panel):
    # The member is absent, so its allocated Alternate is due; it does not come either.
    hold(secretariat, panel, MEETING_DAYS[0], absent=["cva"])
    assert PanelAppointment.objects.get(pk=panel.a("cva").pk).ended_on is None
    hold(secretariat, panel, MEETING_DAYS[1], absent=["cva"])
    alternate = PanelAppointment.objects.get(pk=panel.a("cva").pk)
    assert alternate.end_reason == EndReason.MISSED_MEETINGS
    assert PanelVacancy.objects.get(vacated=alternate).outcome == "BY_ELECTION_NEEDED"


def test_an_alternate_not_due_does_not_miss_meetings(secretariat, panel):
    for day in MEETING_DAYS[:3]:
        hold(secretariat, panel, day)
    assert PanelAppointment.objects.filter(ended_on__isnull=False).count() == 0


def test_resignation_without_allocated_alternate_takes_another_alternate_of_the_category(
    secretariat, panel
):
    appointment_end(
        by=secretariat, appointment=panel.a("dno1"), on=D(2026, 5, 1), reason=EndReason.RESIGNED
    )
    vacancy = appointment_end(
        by=secretariat, appointment=panel.m("dno1"), on=D(2026, 6, 1), reason=EndReason.RESIGNED
    )
    assert vacancy.outcome == PanelVacancy.Outcome.ALTERNATE_STEPPED_UP
    assert vacancy.filled_by.person == panel.a("dno2").person


def test_no_alternate_in_the_category_needs_a_by_election(secretariat, panel):
    appointment_end(
        by=secretariat, appointment=panel.a("idno"), on=D(2026, 5, 1), reason=EndReason.RESIGNED
    )
    vacancy = appointment_end(
        by=secretariat,
        appointment=panel.m("idno"),
        on=D(2026, 6, 1),
        reason=EndReason.LEFT_CATEGORY,
    )
    assert vacancy.outcome == PanelVacancy.Outcome.BY_ELECTION_NEEDED
    assert "6.9.2" in vacancy.note


def test_not_confirming_within_20_working_days_vacates_the_office(secretariat, panel):
    appointment_end(
        by=secretariat, appointment=panel.a("cva"), on=D(2026, 11, 1), reason=EndReason.RESIGNED
    )
    newcomer = appoint(
        "New Person",
        "CVA",
        role=OfficeRole.ALTERNATE,
        allocated_to=panel.m("cva"),
        appointed_from=D(2026, 11, 2),
    )
    PanelAppointment.objects.filter(pk=newcomer.pk).update(
        elected_on=D(2026, 11, 2), confirmed_on=None
    )
    # 20 Working Days after Monday 2 November 2026 is Monday 30 November 2026.
    assert vacancies_detect(on=D(2026, 11, 30)) == []
    vacancies_detect(on=D(2026, 12, 1))
    newcomer.refresh_from_db()
    assert newcomer.end_reason == EndReason.NOT_CONFIRMED
    assert newcomer.ended_on == D(2026, 12, 1)


def test_register_keeps_history_and_one_office_per_person(secretariat, panel):
    with pytest.raises(Conflict, match="more than one office"):
        appointment_create(
            by=secretariat,
            person=panel.m("dno1").person,
            role=OfficeRole.MEMBER,
            constituency="AUTHORITY",
            appointed_from=D(2026, 1, 1),
        )
    appointment_end(
        by=secretariat, appointment=panel.m("cva"), on=D(2026, 5, 1), reason=EndReason.RESIGNED
    )
    history = PanelAppointment.objects.filter(constituency="CVA", seat=1, role="MEMBER")
    assert history.count() == 2  # the resigned member stays on the register with its reason
    assert history.get(ended_on__isnull=False).end_reason == EndReason.RESIGNED
    assert PanelMeeting.objects.count() == 0
