"""A proposal leaving a timetable stage records that stage's end (11.10-11.13), so the next
deadline, the register and the dashboard count only the stages still running."""

import datetime as dt

import pytest

from changes import selectors, services
from changes.models import Deadline
from changes.services import MemberSpec
from changes.states import State
from changes.states.deadlines import end_stages
from dcusa.dashboard.proposals import deadlines_due
from panel.calendar import WorkingDayCalendar
from panel.errors import DomainError

from .factories import TIMETABLE, proposal_in

D = dt.date
pytestmark = pytest.mark.django_db


def _in_working_group(rep, party, secretariat):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party, today=D(2027, 3, 1))
    p = services.proposal_transition(
        proposal=p,
        action="panel_accept",
        by=secretariat,
        part=2,
        definition_procedure=True,
        timetable=TIMETABLE,
        today=D(2027, 3, 1),
    )
    services.working_group_create(
        proposal=p,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=[MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(5)],
        created_on=D(2027, 3, 2),
    )
    return p


def test_past_the_working_group_the_next_stage_is_the_deadline_and_none_is_overdue(
    rep, party, secretariat
):
    p = _in_working_group(rep, party, secretariat)
    assert p.current_deadline.what == "Timetable: Working Group"
    # The Working Group finishes late, on 20 June (planned 20 May; consultation 17 June).
    p = services.proposal_transition(
        proposal=p, action="definition_complete", by=secretariat, today=D(2027, 6, 21)
    )
    assert p.status == State.REPORT_PHASE
    assert [s["actual"] for s in p.timetable] == ["2027-06-21", "2027-06-21", None]
    assert p.current_deadline.what == "Timetable: Change Report"
    assert p.current_deadline.due_on == D(2027, 7, 15)
    ended = Deadline.objects.get(proposal=p, what="Timetable: Working Group")
    assert ended.closed_on == D(2027, 6, 21) and ended.met is False
    # the register and the dashboard show the running stage, and nothing overdue
    row = next(r for r in selectors.register_rows() if r.reference == p.reference)
    assert row.next_deadline == "Timetable: Change Report"
    due = deadlines_due(D(2027, 6, 22), WorkingDayCalendar.load(), within=30)
    assert [(r.what, r.overdue) for r in due if r.reference == p.reference] == [
        ("Timetable: Change Report", False)
    ]
    assert not selectors.deadlines_overdue(D(2027, 6, 22)).filter(proposal=p).exists()


def test_a_stage_still_running_stays_overdue(rep, party, secretariat):
    p = _in_working_group(rep, party, secretariat)
    due = deadlines_due(D(2027, 5, 25), WorkingDayCalendar.load())
    assert [(r.what, r.overdue) for r in due if r.reference == p.reference] == [
        ("Timetable: Working Group", True)
    ]


def test_a_refused_step_records_no_end(rep, party, secretariat):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)  # no Working Group
    with pytest.raises(DomainError, match="11.14"):
        services.proposal_transition(
            proposal=p, action="definition_complete", by=secretariat, today=D(2027, 6, 21)
        )
    p.refresh_from_db()
    assert all(s["actual"] is None for s in p.timetable)


def test_stages_end_in_order_and_a_move_back_ends_nothing():
    stages = [
        {"stage": "Working Group", "planned": "2027-05-20", "actual": None},
        {"stage": "Legal drafting", "planned": "2027-06-01", "actual": None},  # says no phase
        {"stage": "Change Report", "planned": "2027-07-15", "actual": None},
        {"stage": "Panel", "planned": "2027-08-01", "actual": None},
        {"stage": "Voting", "planned": "2027-08-20", "actual": None},
    ]
    day = D(2027, 7, 20)
    issued = end_stages(stages, State.REPORT_PHASE, State.REPORT_ISSUED, day)
    assert [s["actual"] for s in issued] == ["2027-07-20"] * 3 + [None, None]
    assert stages[0]["actual"] is None  # the stored list is not changed in place
    sent_back = end_stages(stages, State.REPORT_ISSUED, State.DEFINITION, day)
    assert sent_back == stages
    withdrawn = end_stages(stages, State.DEFINITION, State.WITHDRAWN, day)
    assert withdrawn == stages
    to_vote = end_stages(issued, State.REPORT_ISSUED, State.AWAITING_VOTE, D(2027, 8, 2))
    assert [s["actual"] for s in to_vote] == ["2027-07-20"] * 3 + ["2027-08-02", None]
