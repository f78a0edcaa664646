"""Rights at the moment of the cast: a Party suspended (54.3-54.4), terminated (Clause 4), out of
its Party Category (12.3) or the CMR Coordinator (12.2) while the vote is open loses its vote; a
Group keeps its vote through another member Party that still has the right; the roll records
what was lost, once, and the declaration lists it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from panel.errors import NotAllowed
from panel.models import AuditRecord, Category, Party, PartyRepresentative
from voting.audit import VotingAction
from voting.models import RightLost, RollRightLost, Vote
from voting.services import vote_cast
from voting.services.roll import rights_lost_at_close

from .conftest import CLOSES, OPENS, entry
from .factories import SuspensionFactory, login_verified, suspend

DURING = OPENS + dt.timedelta(days=2)
TODAY = DURING.date()


def answers(ballot) -> dict[int, str]:
    return {q.pk: "accept" for q in ballot.questions.all()}


def cast(ballot, user, party):
    return vote_cast(
        ballot=ballot,
        roll_entry=entry(ballot, party),
        by=user,
        answers=answers(ballot),
        second_factor=True,
    )


def refused(ballot, user, party) -> NotAllowed:
    with pytest.raises(NotAllowed) as caught:
        cast(ballot, user, party)
    assert caught.value.field == "group"
    return caught.value


def end_category(party: Party, category: str, last_day: dt.date) -> None:
    party.categories.filter(category=category).update(valid_to=last_day)


@time_machine.travel(DURING, tick=False)
def test_a_party_suspended_during_the_vote_is_refused_its_next_cast(world, ballot) -> None:
    cast(ballot, world.lone_voter, world.lone)  # before the suspension: recorded
    suspend(world.lone, since=TODAY)

    error = refused(ballot, world.lone_voter, world.lone)

    assert error.rule == "54.3-54.4"
    assert "Lone Supply Ltd's voting rights are suspended by the Panel (54.3-54.4)" in str(error)
    assert Vote.objects.filter(superseded_at=None).count() == 2  # the earlier vote untouched
    note = RollRightLost.objects.get()
    assert (note.ballot_id, note.reason, note.roll_member.party_id) == (
        ballot.pk,
        RightLost.SUSPENDED,
        world.lone.pk,
    )
    record = AuditRecord.objects.get(action=VotingAction.ROLL_RIGHT_LOST)
    assert record.data["rule"] == "54.3-54.4" and record.data["party"] == world.lone.pk


@time_machine.travel(DURING, tick=False)
def test_a_terminated_party_is_refused_naming_clause_4(world, ballot) -> None:
    Party.objects.filter(pk=world.lone.pk).update(termination_date=TODAY - dt.timedelta(days=1))

    error = refused(ballot, world.lone_voter, world.lone)

    assert error.rule == "4" and "is no longer a Party (Clause 4)" in str(error)
    assert RollRightLost.objects.get().reason == RightLost.TERMINATED
    assert not Vote.objects.exists() and not mail.outbox


@time_machine.travel(DURING, tick=False)
def test_a_party_terminated_today_still_votes_today(world, ballot) -> None:
    Party.objects.filter(pk=world.lone.pk).update(termination_date=TODAY)
    cast(ballot, world.lone_voter, world.lone)
    assert not RollRightLost.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_party_no_longer_in_the_category_is_refused(world, ballot) -> None:
    end_category(world.lone, Category.SUPPLIER, TODAY - dt.timedelta(days=1))

    error = refused(ballot, world.lone_voter, world.lone)

    assert error.rule == "12.3"
    assert "no longer holds the Supplier Parties category (12.3)" in str(error)
    assert RollRightLost.objects.get().reason == RightLost.CATEGORY


@time_machine.travel(DURING, tick=False)
def test_the_cmr_coordinator_never_votes_even_if_marked_behind_the_database(world, ballot) -> None:
    # The database refuses this (panel 0010); its owner turns the refusal off to show the
    # cast does not rely on it alone.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE panel_party DISABLE TRIGGER USER")
        Party.objects.filter(pk=world.lone.pk).update(is_crowded_meter_room_coordinator=True)
        cursor.execute("ALTER TABLE panel_party ENABLE TRIGGER USER")

    error = refused(ballot, world.lone_voter, world.lone)

    assert error.rule == "12.2" and "Crowded Meter Room Coordinator" in str(error)


@time_machine.travel(DURING, tick=False)
def test_a_group_keeps_its_vote_through_a_member_party_that_keeps_the_right(world, ballot) -> None:
    # The Big Energy Group's voter votes for Big Business (suspended) and Big Retail (not).
    PartyRepresentative.objects.create(
        user=world.big_voter, party=world.big1, authorised_voter=True, confirmed_at=OPENS
    )
    suspend(world.big2, since=TODAY)

    result = cast(ballot, world.big_voter, world.big1)

    assert not result.changed and Vote.objects.filter(superseded_at=None).count() == 2
    assert not RollRightLost.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_voter_whose_only_party_lost_the_right_is_refused_though_the_group_keeps_it(
    world, ballot
) -> None:
    suspend(world.big2, since=TODAY)  # the voter votes only through Big Business

    error = refused(ballot, world.big_voter, world.big1)

    assert error.rule == "54.3-54.4" and "Big Business Ltd" in str(error)
    note = RollRightLost.objects.get()
    assert note.roll_member.party_id == world.big2.pk  # Big Retail keeps its right


@time_machine.travel(DURING, tick=False)
def test_a_right_lost_is_noted_once_however_often_the_cast_is_refused(world, ballot) -> None:
    suspend(world.lone, since=TODAY)
    for _ in range(3):
        refused(ballot, world.lone_voter, world.lone)
    assert RollRightLost.objects.count() == 1
    assert AuditRecord.objects.filter(action=VotingAction.ROLL_RIGHT_LOST).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_note_survives_the_refusal_of_the_cast_in_the_database(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False):
        suspend(world.lone, since=TODAY)
        refused(ballot, world.lone_voter, world.lone)
    # A fresh read from the committed database, not the test's own transaction.
    assert RollRightLost.objects.filter(ballot=ballot, reason=RightLost.SUSPENDED).exists()
    assert not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_token_cast_of_a_suspended_party_is_a_403_naming_the_rule(world, ballot) -> None:
    suspend(world.lone, since=TODAY)
    token = Token.objects.get_or_create(user=world.lone_voter)[0].key
    question = ballot.questions.get(kind="variation").pk
    response = Client().post(
        f"/api/v1/ballots/{ballot.pk}/votes/",
        json.dumps(
            {"group": entry(ballot, world.lone).pk, "question": question, "choice": "accept"}
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    body = response.json()
    assert response.status_code == 403, body
    assert (body["field"], body["rule"]) == ("group", "54.3-54.4")
    assert RollRightLost.objects.count() == 1 and not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_web_cast_of_a_terminated_party_shows_the_refusal_beside_the_group(world, ballot) -> None:
    Party.objects.filter(pk=world.lone.pk).update(termination_date=TODAY - dt.timedelta(days=1))
    v, d = ballot.questions.order_by("position")
    client = login_verified(Client(), world.lone_voter)
    response = client.post(f"/my/votes/{ballot.pk}/", {f"q{v.pk}": "proposal"})
    assert response.status_code == 200
    assert "is no longer a Party (Clause 4)" in response.content.decode()
    assert not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_the_re_check_adds_no_query_to_a_cast_that_keeps_its_right(world, ballot) -> None:
    """The right is an Exists() beside the authorised-voter check: the cast stays 9 queries."""
    suspend(world.big2, since=TODAY)  # another Group's Party: nothing to do with this cast
    roll_entry, given = entry(ballot, world.lone), answers(ballot)
    with CaptureQueriesContext(connection) as captured:  # questions, voter and right, append
        vote_cast(
            ballot=ballot,
            roll_entry=roll_entry,
            by=world.lone_voter,
            answers=given,
            second_factor=True,
        )
    assert len([q for q in captured if "SAVEPOINT" not in q["sql"]]) == 9


def test_at_the_close_every_right_lost_is_noted_once_and_listed(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False):
        suspend(world.lone, since=TODAY)
        refused(ballot, world.lone_voter, world.lone)  # noted at the cast
        # Never tried to vote: noted at the close.
        Party.objects.filter(pk=world.dno[2].pk).update(termination_date=TODAY)
        end_category(world.idno, Category.IDNO_OTSO, TODAY)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        notes = rights_lost_at_close(ballot, CLOSES + dt.timedelta(minutes=5))
        again = rights_lost_at_close(ballot, CLOSES + dt.timedelta(minutes=6))

    assert notes == again
    assert sorted((n["party"], n["rule"]) for n in notes) == [
        ("DNO 3 plc", "4"),
        ("Inde Networks Ltd", "12.3"),
        ("Lone Supply Ltd", "54.3-54.4"),
    ]
    lone = next(n for n in notes if n["party"] == "Lone Supply Ltd")
    assert lone == {
        "group": "Lone Supply Ltd",
        "category": "SUPPLIER",
        "party": "Lone Supply Ltd",
        "reason": RightLost.SUSPENDED.label,
        "rule": "54.3-54.4",
    }
    assert RollRightLost.objects.filter(ballot=ballot).count() == 3
    assert AuditRecord.objects.filter(action=VotingAction.ROLL_RIGHT_LOST).count() == 3


def test_a_suspension_that_ended_before_the_close_is_still_noted(world, ballot) -> None:
    SuspensionFactory(
        party=world.lone, valid_from=dt.date(2027, 3, 3), valid_to=dt.date(2027, 3, 5)
    )
    with time_machine.travel(CLOSES, tick=False):
        notes = rights_lost_at_close(ballot, CLOSES)
    assert [(n["party"], n["rule"]) for n in notes] == [("Lone Supply Ltd", "54.3-54.4")]


def test_nothing_lost_nothing_noted(world, ballot) -> None:
    with time_machine.travel(CLOSES, tick=False):
        assert rights_lost_at_close(ballot, CLOSES) == []
    assert not RollRightLost.objects.exists()
