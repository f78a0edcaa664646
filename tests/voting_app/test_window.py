"""The window is the window (12.4.1): fixed when the vote opens (15 Working Days by default, at
least 5 unless the Authority directs otherwise), never cut short; the Secretariat closes by hand
only a vote whose closing time has passed, with a reason, after a confirmation page; a vote is
ended otherwise only by voiding it on the Authority's send-back (13.11A), which the Authority's
decision does by itself."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from changes.services import proposal_authority_decide
from changes.states import State
from panel.errors import Conflict, DomainError
from panel.models import AuditRecord, Role
from voting.audit import VotingAction
from voting.models import Ballot, BallotStatus, Declaration
from voting.services import ballot_close, ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, entry, open_vote, proposal_ballot
from .factories import login_verified, staff

DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=5)
# Five Working Days after Monday 1 March 2027: Monday 8 March 2027, 17:00.
FIVE_WD = timezone.make_aware(dt.datetime(2027, 3, 8, 17, 0))


def test_a_24_minute_window_is_refused_without_the_authoritys_direction(world) -> None:
    with pytest.raises(DomainError) as refused:
        open_vote(world, closes_at=OPENS + dt.timedelta(minutes=24))
    assert refused.value.rule == "12.4.1" and refused.value.field == "closes_at"
    assert "at least 5 Working Days" in refused.value.message
    assert "17:00 on 8 March 2027" in refused.value.message
    assert not Ballot.objects.exists()
    assert not AuditRecord.objects.filter(action=VotingAction.BALLOT_OPEN).exists()


def test_five_working_days_is_the_shortest_window_the_secretariat_may_set(world) -> None:
    with pytest.raises(DomainError):
        open_vote(world, closes_at=FIVE_WD - dt.timedelta(minutes=1))
    ballot = open_vote(world, closes_at=FIVE_WD)
    assert ballot.closes_at == FIVE_WD and ballot.window_direction == ""


def test_a_shorter_window_is_recorded_with_the_authoritys_direction(world) -> None:
    direction = "Authority letter ref. GEMA/2027/041 of 26 February 2027: 3 Working Days"
    ballot = open_vote(world, closes_at=OPENS + dt.timedelta(days=2), window_direction=direction)
    assert ballot.window_direction == direction
    record = AuditRecord.objects.get(action=VotingAction.BALLOT_OPEN, target_id=str(ballot.pk))
    assert record.data["window_direction"] == direction


def test_the_default_window_is_15_working_days(world, ballot) -> None:
    assert ballot.closes_at == CLOSES


def test_the_secretariat_cannot_close_a_vote_before_its_closing_time(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False), pytest.raises(Conflict) as refused:
        ballot_close(ballot=ballot, by=world.secretariat, reason="The Panel asked for it")
    assert refused.value.rule == "12.4.1"
    assert "open until 17:00 on 22 March 2027" in refused.value.message
    assert "cannot be cut short" in refused.value.message
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.closed_at is None
    assert not Declaration.objects.filter(ballot=ballot).exists()
    assert not AuditRecord.objects.filter(action=VotingAction.BALLOT_CLOSE).exists()


def test_closing_a_vote_whose_time_has_passed_needs_a_reason_and_keeps_it(world, ballot) -> None:
    with time_machine.travel(AFTER, tick=False):
        with pytest.raises(DomainError) as refused:
            ballot_close(ballot=ballot, by=world.secretariat, reason="  ")
        assert refused.value.field == "reason"
        assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN
        closed = ballot_close(
            ballot=ballot, by=world.secretariat, reason="The scheduled close did not run"
        )
    assert closed.status == BallotStatus.DECLARED
    assert closed.closed_at == CLOSES  # the window is the window, not the moment of the click
    assert closed.close_reason == "The scheduled close did not run"
    record = AuditRecord.objects.get(action=VotingAction.BALLOT_CLOSE, target_id=str(ballot.pk))
    assert record.data["reason"] == "The scheduled close did not run"


def test_the_close_page_asks_first_and_offers_nothing_before_the_closing_time(
    world, ballot
) -> None:
    with time_machine.travel(DURING, tick=False):
        client = login_verified(Client(), world.secretariat)
        detail = client.get(f"/votes/ballots/{ballot.pk}/").content.decode()
        assert "Close voting now" not in detail and 'id="close-ballot"' not in detail
        assert "cannot be cut short" in detail
        page = client.get(f"/votes/ballots/{ballot.pk}/close/")
        assert page.status_code == 200
        assert 'id="confirm-close"' not in page.content.decode()
        # The old one-click POST is taken to the question; nothing is closed.
        bare = client.post(f"/votes/ballots/{ballot.pk}/close/")
        assert bare.status_code == 302 and bare["Location"].endswith(f"/{ballot.pk}/close/")
        forced = client.post(
            f"/votes/ballots/{ballot.pk}/close/", {"confirm": "yes", "reason": "Early"}
        )
        assert forced.status_code == 400 and "cannot be cut short" in forced.content.decode()
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN


def test_after_the_closing_time_the_page_asks_are_you_sure_then_closes(world, ballot) -> None:
    with time_machine.travel(AFTER, tick=False):
        client = login_verified(Client(), world.secretariat)
        assert 'id="close-ballot"' in client.get(f"/votes/ballots/{ballot.pk}/").content.decode()
        page = client.get(f"/votes/ballots/{ballot.pk}/close/").content.decode()
        assert "Close the vote on DCP 417?" in page and 'id="confirm-close"' in page
        no_reason = client.post(f"/votes/ballots/{ballot.pk}/close/", {"confirm": "yes"})
        assert no_reason.status_code == 400 and "Say why" in no_reason.content.decode()
        assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN
        done = client.post(
            f"/votes/ballots/{ballot.pk}/close/",
            {"confirm": "yes", "reason": "The beat job was down over the weekend"},
        )
    assert done.status_code == 302
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DECLARED
    assert ballot.close_reason == "The beat job was down over the weekend"


def test_marking_a_vote_void_asks_first_and_needs_the_reason(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False):
        client = login_verified(Client(), world.secretariat)
        page = client.get(f"/votes/ballots/{ballot.pk}/void/").content.decode()
        assert "Mark the vote on DCP 417 void?" in page and 'id="confirm-void"' in page
        bare = client.post(f"/votes/ballots/{ballot.pk}/void/", {"reason": "Authority letter"})
        assert bare.status_code == 302 and bare["Location"].endswith(f"/{ballot.pk}/void/")
        assert Ballot.objects.get(pk=ballot.pk).voided_at is None
        blank = client.post(f"/votes/ballots/{ballot.pk}/void/", {"confirm": "yes"})
        assert blank.status_code == 400 and Ballot.objects.get(pk=ballot.pk).voided_at is None
        client.post(
            f"/votes/ballots/{ballot.pk}/void/",
            {"confirm": "yes", "reason": "Authority direction GEMA/2027/050 (13.11A)"},
        )
        detail = client.get(f"/votes/ballots/{ballot.pk}/").content.decode()
    ballot.refresh_from_db()
    assert ballot.is_void and ballot.void_reason == "Authority direction GEMA/2027/050 (13.11A)"
    assert "This vote is void" in detail and "GEMA/2027/050" in detail


def test_the_admin_close_action_goes_to_the_confirmation_page(world, ballot) -> None:
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    with time_machine.travel(AFTER, tick=False):
        client = login_verified(Client(), world.secretariat)
        response = client.post(
            "/admin/voting/ballot/", {"action": "close_now", ACTION_CHECKBOX_NAME: [ballot.pk]}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/votes/ballots/{ballot.pk}/close/"
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN


def _part1_declared(world) -> tuple:
    p, ballot = proposal_ballot(world, number=None, part=1, categories=("DNO", "SUPPLIER"))
    with time_machine.travel(DURING, tick=False):
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, world.dno[0]),
            by=world.dno_voter,
            answers={q.pk: "accept" for q in ballot.questions.all()},
            second_factor=True,
        )
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY
    return p, Ballot.objects.get(pk=ballot.pk)


def test_the_authoritys_send_back_voids_the_vote_visibly(world) -> None:
    p, ballot = _part1_declared(world)
    authority = staff(Role.AUTHORITY)
    with time_machine.travel(AFTER + dt.timedelta(days=20), tick=False):
        p = proposal_authority_decide(
            proposal=p,
            by=authority,
            decision="send_back",
            reasons="The effect on embedded generation is not assessed",
        )  # taken online: dated by the system's clock, 11 April
    assert p.status == State.DEFINITION
    ballot.refresh_from_db()
    assert ballot.is_void and ballot.status == BallotStatus.DECLARED  # the record stands
    assert ballot.void_reason == (
        "Sent back by the Authority on 11 April 2027 to revise and resubmit (13.11A): "
        "The effect on embedded generation is not assessed"
    )
    record = AuditRecord.objects.get(action=VotingAction.BALLOT_VOID, target_id=str(ballot.pk))
    assert record.actor == authority


def test_a_refused_send_back_voids_nothing(world) -> None:
    p, ballot = _part1_declared(world)
    with pytest.raises(DomainError):  # the reasons are required (13.11A)
        proposal_authority_decide(
            proposal=p, by=staff(Role.AUTHORITY), decision="send_back", reasons=""
        )
    ballot.refresh_from_db()
    assert not ballot.is_void
    assert not AuditRecord.objects.filter(action=VotingAction.BALLOT_VOID).exists()
