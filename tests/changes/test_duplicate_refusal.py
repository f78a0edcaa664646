"""Refusing a proposal as a duplicate (10.13) names an earlier proposal that is still pending, or
was rejected within the two months before the Panel's meeting."""

import datetime as dt

import pytest

from changes import services
from changes.models import ChangeProposal, ProposalEvent
from changes.states import State
from panel.errors import DomainError, NotAllowed
from tests.changes.factories import proposal_in

D = dt.date
MEETING = D(2027, 3, 1)

pytestmark = pytest.mark.django_db


def _with_panel(rep, party):
    return proposal_in(
        State.WITH_PANEL, raised_by=rep, party=party, today=MEETING, submitted_on=D(2027, 2, 15)
    )


def _refuse(p, by, duplicate_of):
    return services.proposal_transition(
        proposal=p,
        action="panel_refuse",
        by=by,
        reason="Same effect as an earlier proposal.",
        ground="duplicate",
        duplicate_of=duplicate_of,
        today=MEETING,
    )


def _earlier(rep, party, state, **fields):
    return proposal_in(
        state, raised_by=rep, party=party, today=MEETING, submitted_on=D(2026, 11, 2), **fields
    )


def test_a_pending_earlier_proposal_is_a_ground_and_is_recorded_by_reference(
    rep, party, secretariat
):
    earlier = _earlier(rep, party, State.DEFINITION)
    p = _refuse(_with_panel(rep, party), secretariat, f"dcp-{earlier.number}")
    assert p.status == State.REFUSED
    event = ProposalEvent.objects.get(proposal=p, action="panel_refuse")
    assert event.data["duplicate_of"] == f"DCP {earlier.number}"


def test_only_the_panel_refuses(rep, party):
    earlier = _earlier(rep, party, State.DEFINITION)
    with pytest.raises(NotAllowed):
        _refuse(_with_panel(rep, party), rep, f"DCP {earlier.number}")


@pytest.mark.parametrize("typed", ["DCP 999", "the other one", ""])
def test_a_reference_to_no_proposal_is_refused_with_the_field_named(rep, party, secretariat, typed):
    p = _with_panel(rep, party)
    with pytest.raises(DomainError, match="10.13") as refused:
        _refuse(p, secretariat, typed)
    assert refused.value.field == "duplicate_of"
    assert ChangeProposal.objects.get(pk=p.pk).status == State.WITH_PANEL


def test_one_rejected_long_ago_is_no_ground_but_one_rejected_within_two_months_is(
    rep, party, secretariat
):
    old = _earlier(rep, party, State.REJECTED)
    ProposalEvent.objects.create(
        proposal=old,
        on=D(2026, 12, 31),  # two months before 1 March 2027 is 1 January
        action="authority_reject",
        from_state=State.AWAITING_AUTHORITY,
        to_state=State.REJECTED,
    )
    p = _with_panel(rep, party)
    with pytest.raises(DomainError, match="more than two months") as refused:
        _refuse(p, secretariat, f"DCP {old.number}")
    assert refused.value.field == "duplicate_of"
    recent = _earlier(rep, party, State.REJECTED)
    ProposalEvent.objects.create(
        proposal=recent,
        on=D(2027, 1, 1),
        action="authority_reject",
        from_state=State.AWAITING_AUTHORITY,
        to_state=State.REJECTED,
    )
    assert _refuse(p, secretariat, f"DCP {recent.number}").status == State.REFUSED


def test_an_approved_or_later_proposal_is_no_ground(rep, party, secretariat):
    approved = _earlier(rep, party, State.APPROVED)
    with pytest.raises(DomainError, match="not yet accepted or rejected") as refused:
        _refuse(_with_panel(rep, party), secretariat, f"DCP {approved.number}")
    assert refused.value.field == "duplicate_of"


def test_a_proposal_submitted_later_is_no_ground(rep, party, secretariat):
    later = proposal_in(
        State.DEFINITION, raised_by=rep, party=party, today=MEETING, submitted_on=D(2027, 2, 20)
    )
    with pytest.raises(DomainError, match="not submitted before") as refused:
        _refuse(_with_panel(rep, party), secretariat, f"DCP {later.number}")
    assert refused.value.field == "duplicate_of"
