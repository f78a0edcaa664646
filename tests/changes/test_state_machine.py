"""Every step of the state machine: the right person in the right state succeeds; a wrong
person or a wrong state is refused with a message naming the rule (parametrised over the table)."""

import datetime as dt

import pytest
import time_machine

from changes.models import ChangeReport, ImplementationAction, ImplementationPlan, WorkingGroup
from changes.services import proposal_transition
from changes.states import TRANSITIONS, Actor, State
from panel.errors import Conflict, NotAllowed

from .factories import TIMETABLE, proposal_in

TODAY = dt.date(2027, 3, 1)  # a Monday
PAST = dt.date(2027, 2, 1)

CASES = [(t.action, source) for t in TRANSITIONS for source in sorted(t.sources)]


def arrange(action, source, users, party, other_party):
    """A proposal in `source`, with what `action` needs, and the step's data."""
    fields = {}
    data = {}
    due_on = None
    if source in (State.WITHDRAWN, State.SCR_SUSPENDED):
        fields["resume_status"] = State.DEFINITION
    if source in (State.ACCEPTED_APPEAL_WINDOW, State.UNDER_APPEAL):
        fields["vote_outcome"] = "accepted"
    if source == State.UNDER_APPEAL:
        fields["appeal_window_ends"] = TODAY + dt.timedelta(days=5)
    if action in ("appeal_window_close", "withdrawal_lapse"):
        due_on = PAST
    if action == "ask_authority":
        fields["refusal_ground"] = "out_of_scope"
        due_on = TODAY + dt.timedelta(days=14)
    if action == "authority_timetable_direction":
        fields["urgent"] = True
    if action == "veto_timetable_variation":
        fields["previous_timetable"] = TIMETABLE
    p = proposal_in(
        source, raised_by=users["rep"], party=party, due_on=due_on, today=TODAY, **fields
    )
    if source == State.UNDER_APPEAL:
        p.appeal_window_ends = TODAY + dt.timedelta(days=5)
        p.save()
    if action == "definition_complete":
        WorkingGroup.objects.create(
            proposal=p, name="WG", terms_of_reference="ToR", created_on=TODAY
        )
    if action in ("issue_change_report", "submit_to_vote"):
        ChangeReport.objects.create(
            proposal=p,
            version=1,
            eligible_categories=["DNO", "SUPPLIER"],
            variation="v",
            effects="e",
            implementation_date=dt.date(2027, 11, 4),
            sent_to_authority_on=TODAY - dt.timedelta(days=8),
        )
    if action == "implementation_plan_set":
        plan = ImplementationPlan.objects.create(
            proposal=p, implementation_date=dt.date(2027, 11, 4), set_on=TODAY
        )
        ImplementationAction.objects.create(plan=plan, description="Publish", due_on=TODAY)
    if action == "mark_implemented":  # 14.7: every action of the plan done
        plan = ImplementationPlan.objects.create(
            proposal=p, implementation_date=dt.date(2027, 11, 4), set_on=TODAY
        )
        ImplementationAction.objects.create(
            plan=plan, description="Publish", due_on=TODAY, done_on=TODAY
        )
    data.update(
        {
            "refer_to_panel": {"initial_assessment": "Likely effect: modest."},
            "scr_direction": {"within_scope": False},
            "panel_accept": {"part": 2, "definition_procedure": True, "timetable": TIMETABLE},
            "panel_refuse": {"ground": "out_of_scope"},
            "vary_timetable": {"timetable": TIMETABLE},
            "authority_timetable_direction": {"timetable": TIMETABLE},
            "authority_part_opinion": {"part": 1},
            "vote_declared_recommendation": {
                "variation_outcome": "recommend_accept",
                "date_outcome": "recommend_accept",
            },
            "vote_declared_accepted": {"variation_outcome": "accepted", "date_outcome": "accepted"},
            "vote_declared_rejected": {"variation_outcome": "rejected", "date_outcome": "accepted"},
            "vote_declared_date_rejected": {
                "variation_outcome": "accepted",
                "date_outcome": "rejected",
            },
            "appeal_lodged": {"in_writing": True, "copied_to_secretariat_and_panel": True},
            "adopt": {"party": other_party},
        }.get(action, {})
    )
    if action == "scr_flag":
        from changes.models import SignificantCodeReview

        data["significant_code_review"] = SignificantCodeReview.objects.create(
            reference="SCR-1", title="Access", starts_on=dt.date(2026, 1, 1)
        )
    return p, data


def right_user(t, users):
    order = {
        Actor.SYSTEM: None,
        Actor.SECRETARIAT: users["secretariat"],
        Actor.PANEL: users["secretariat"],
        Actor.AUTHORITY: users["authority"],
        Actor.PROPOSER: users["rep"],
        Actor.PARTY: users["other_rep"],
        Actor.APPELLANT: users["other_rep"],
    }
    return order[t.who[0]]


@pytest.fixture
def users(secretariat, authority, rep, other_rep, public):
    return {
        "secretariat": secretariat,
        "authority": authority,
        "rep": rep,
        "other_rep": other_rep,
        "public": public,
    }


def _transition(action):
    return next(t for t in TRANSITIONS if t.action == action)


@pytest.mark.django_db
@pytest.mark.parametrize("action, source", CASES)
def test_the_right_person_may_take_each_step(action, source, users, party, other_party):
    t = _transition(action)
    p, data = arrange(action, source, users, party, other_party)
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, 0), tick=False):
        result = proposal_transition(
            proposal=p, action=action, by=right_user(t, users), reason="Because.", **data
        )
    expected = t.target_for(result, source) if not callable(t.moves[source]) else None
    if expected is not None:
        assert result.status == expected
    assert result.events.filter(action=action, from_state=source).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("action, source", CASES)
def test_a_wrong_person_is_refused_naming_the_rule(action, source, users, party, other_party):
    t = _transition(action)
    p, data = arrange(action, source, users, party, other_party)
    with pytest.raises(NotAllowed) as refused:
        proposal_transition(proposal=p, action=action, by=users["public"], reason="x", **data)
    assert f"{p.reference} is '{State(source).label}'; only" in refused.value.message
    assert f"({t.clause})" in refused.value.message
    p.refresh_from_db()
    assert p.status == source
    assert not p.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", [t.action for t in TRANSITIONS])
def test_a_step_from_the_wrong_state_is_refused_naming_the_rule(action, users, party):
    t = _transition(action)
    p = proposal_in(State.IMPLEMENTED, raised_by=users["rep"], party=party)
    with pytest.raises(Conflict) as refused:
        proposal_transition(proposal=p, action=action, by=users["secretariat"], reason="x")
    assert f"{p.reference} is 'Implemented'" in refused.value.message
    assert t.clause in refused.value.message


@pytest.mark.django_db
def test_party_representative_may_not_record_a_panel_decision(users, party):
    p = proposal_in(State.WITH_PANEL, raised_by=users["rep"], party=party)
    with pytest.raises(NotAllowed, match=r"only the Panel \(recorded by the Secretariat\) may"):
        proposal_transition(proposal=p, action="panel_accept", by=users["rep"])


@pytest.mark.django_db
def test_every_state_is_reachable_and_every_non_terminal_state_has_a_way_out():
    targets = {State.DRAFT}
    for t in TRANSITIONS:
        targets |= {v for v in t.moves.values() if isinstance(v, State)}
    callables_reach = {State.DEFINITION, State.REPORT_PHASE, State.APPROVED, State.REJECTED}
    assert set(State) == targets | callables_reach
    sources = {s for t in TRANSITIONS for s in t.sources}
    from changes.states import TERMINAL

    assert set(State) - TERMINAL <= sources
