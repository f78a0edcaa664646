"""Casting and changing a vote (12.4-12.7): who may, when, and the history kept."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from panel.errors import Conflict, DomainError, NotAllowed
from voting.audit import VotingAction
from voting.models import Vote, VoteLogEntry
from voting.services import vote_cast

from .conftest import CLOSES, OPENS, entry
from .factories import login_verified, voter_for

DURING = OPENS + dt.timedelta(days=2)


def answers(ballot, variation="accept", date="accept"):
    v, d = ballot.questions.order_by("position")
    out = {}
    if variation is not None:
        out[v.pk] = variation
    if date is not None:
        out[d.pk] = date
    return out


def cast(ballot, user, party, second_factor=True, **kw):
    reason = kw.pop("reason", "")
    given = kw.pop("answers", None)
    return vote_cast(
        ballot=ballot,
        roll_entry=entry(ballot, party),
        by=user,
        answers=given or answers(ballot, **kw),
        second_factor=second_factor,
        reason=reason,
    )


@time_machine.travel(DURING, tick=False)
def test_authorised_voter_casts_for_the_group_and_gets_a_receipt(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = cast(
            ballot, world.big_voter, world.big1, reason="Better meets General Objective 1"
        )
    assert len(result.receipt) == 64 and not result.changed
    live = Vote.objects.filter(ballot=ballot, superseded_at=None)
    assert sorted(live.values_list("choice", flat=True)) == ["proposal", "proposal"]
    assert live.first().roll_entry.group_name == "Big Energy Group"
    assert [m.to for m in mail.outbox] == [[world.big_voter.email]]
    assert result.receipt in mail.outbox[0].body


@time_machine.travel(DURING, tick=False)
def test_change_of_vote_keeps_every_earlier_version(world, ballot) -> None:
    first = cast(ballot, world.lone_voter, world.lone, variation="accept", date="accept")
    second = cast(ballot, world.lone_voter, world.lone, variation="reject", date=None)
    assert second.changed
    history = Vote.objects.filter(roll_entry=entry(ballot, world.lone)).order_by("question", "pk")
    rows = [(v.question.kind, v.choice, v.superseded_at is None) for v in history]
    assert rows == [
        ("variation", "proposal", False),
        ("variation", "reject", True),
        ("date", "proposal", True),  # the date vote was not re-cast, so it still stands
    ]
    assert first.receipt != second.receipt
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == 2


@time_machine.travel(DURING, tick=False)
def test_voter_of_one_group_cannot_vote_for_another(world, ballot) -> None:
    with pytest.raises(NotAllowed, match="not a confirmed authorised voter"):
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, world.lone),
            by=world.big_voter,
            answers=answers(ballot),
            second_factor=True,
        )
    assert not Vote.objects.exists() and not mail.outbox


@time_machine.travel(DURING, tick=False)
def test_unconfirmed_or_non_voting_representatives_cannot_vote(world, ballot) -> None:
    unconfirmed = voter_for(world.lone, confirmed=False)
    plain = voter_for(world.lone, authorised=False)
    for user in (unconfirmed, plain, world.secretariat):
        with pytest.raises(NotAllowed):
            cast(ballot, user, world.lone)
    assert not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_vote_needs_the_second_factor(world, ballot) -> None:
    with pytest.raises(NotAllowed, match="second factor"):
        cast(ballot, world.lone_voter, world.lone, second_factor=False)


@time_machine.travel(DURING, tick=False)
def test_a_choice_the_ballot_does_not_offer_is_refused_naming_the_field(world, ballot) -> None:
    with pytest.raises(DomainError) as refused:
        cast(ballot, world.lone_voter, world.lone, variation="maybe")
    assert refused.value.field == "choice"
    assert not Vote.objects.exists()


def test_after_the_window_closes_nothing_is_accepted(world, ballot) -> None:
    with time_machine.travel(CLOSES, tick=False):
        with pytest.raises(Conflict) as refused:
            cast(ballot, world.lone_voter, world.lone)
    assert str(refused.value) == (
        "Voting on DCP 417 closed at 17:00 on 22 March 2027; your vote was not recorded."
    )
    assert not Vote.objects.exists() and not mail.outbox


def test_a_second_before_the_close_is_still_in_time(world, ballot) -> None:
    with time_machine.travel(CLOSES - dt.timedelta(seconds=1), tick=False):
        cast(ballot, world.lone_voter, world.lone)
    assert Vote.objects.filter(superseded_at=None).count() == 2


def test_before_the_window_opens_nothing_is_accepted(world, ballot) -> None:
    with time_machine.travel(OPENS - dt.timedelta(minutes=1), tick=False):
        with pytest.raises(Conflict, match="opens at 09:00 on 1 March 2027"):
            cast(ballot, world.lone_voter, world.lone)


@time_machine.travel(DURING, tick=False)
def test_the_audit_trail_never_holds_the_choice(world, ballot) -> None:
    from panel.models import AuditRecord

    cast(ballot, world.lone_voter, world.lone, variation="reject")
    record = AuditRecord.objects.get(action=VotingAction.VOTE_CAST)
    assert "reject" not in str(record.data) and "proposal" not in str(record.data)
    assert timezone.now() == DURING


# -- the web form (12.4.4, 12.6) ----------------------------------------------------------------


def _form(client, ballot, data):
    return client.post(f"/my/votes/{ballot.pk}/", data)


@time_machine.travel(DURING, tick=False)
def test_the_web_form_answers_one_question_and_keeps_the_other_answer(world, ballot) -> None:
    v, d = ballot.questions.order_by("position")
    client = login_verified(Client(), world.lone_voter)

    first = _form(client, ballot, {f"q{d.pk}": "reject"})  # the date only (12.6)
    assert first.status_code == 302
    assert Vote.objects.filter(superseded_at=None).get().question_id == d.pk

    again = _form(client, ballot, {f"q{v.pk}": "proposal"})  # then the variation only
    assert again.status_code == 302
    live = dict(Vote.objects.filter(superseded_at=None).values_list("question_id", "choice"))
    assert live == {v.pk: "proposal", d.pk: "reject"}  # the date answer still stands


@time_machine.travel(DURING, tick=False)
def test_the_web_form_refuses_a_cast_with_no_answer(world, ballot) -> None:
    client = login_verified(Client(), world.lone_voter)
    response = _form(client, ballot, {"reason": "G1"})
    assert response.status_code == 200
    assert "Answer at least one question" in response.content.decode()
    assert not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_single_group_voter_naming_another_group_is_refused_not_switched(world, ballot) -> None:
    v, _ = ballot.questions.order_by("position")
    client = login_verified(Client(), world.lone_voter)
    other = entry(ballot, world.big1).pk

    response = _form(client, ballot, {"group": other, f"q{v.pk}": "proposal"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "you may vote only for a Group whose confirmed authorised voter you are (12.4.5)" in page
    assert not Vote.objects.exists()  # not silently cast for Lone Supply either


@time_machine.travel(DURING, tick=False)
def test_an_ineligible_voter_gets_a_page_naming_the_rule(world, ballot) -> None:
    outsider = voter_for(world.lone, authorised=False, username="notavoter")
    client = login_verified(Client(), outsider)

    response = client.get(f"/my/votes/{ballot.pk}/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "not a confirmed authorised voter of any Group on the roll of DCP 417 (12.4.5)" in page
    assert "Cast vote" not in page


@time_machine.travel(DURING, tick=False)
def test_each_question_is_a_fieldset_with_a_legend_and_labelled_radios(world, ballot) -> None:
    client = login_verified(Client(), world.lone_voter)
    page = client.get(f"/my/votes/{ballot.pk}/").content.decode()
    v, d = ballot.questions.order_by("position")

    assert page.count("<fieldset") == 2
    for question in (v, d):
        assert f"<legend>{question.text}</legend>" in page
        for i in (0, 1):
            radio = f'id="id_q{question.pk}_{i}"'
            assert radio in page and f'<label for="id_q{question.pk}_{i}">' in page


@time_machine.travel(DURING, tick=False)
def test_the_receipt_e_mail_names_the_group_not_its_key(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        cast(ballot, world.big_voter, world.big1)
    [message] = mail.outbox
    assert "for Big Energy Group (Supplier Parties) was recorded" in message.body
    assert "SUPPLIER:corporate:" not in message.body
