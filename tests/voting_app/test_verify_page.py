"""/votes/verify/ (12.4.6): a person checks the short receipt code or the full receipt; the page
says whether the vote stands or was superseded (and when), and after the declaration whether it
was counted. Before the declaration it never shows the choice (13.4)."""

from __future__ import annotations

import datetime as dt

import time_machine

from voting.models import VoteLogEntry
from voting.receipts_code import short_receipt
from voting.services import ballot_void, ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, entry

DAY_ONE = OPENS + dt.timedelta(days=1)  # Tuesday 2 March 2027, 09:00
DAY_TWO = OPENS + dt.timedelta(days=2, hours=1, minutes=30)  # Wednesday 3 March, 10:30


def page(client, receipt: str) -> str:
    response = client.get("/votes/verify/", {"receipt": receipt})
    assert response.status_code == 200
    return response.content.decode()


def cast(world, ballot, party, user, when, **answers: str) -> str:
    """Cast for `party`'s Group at `when`; answers by question kind (variation=, date=)."""
    by_kind = {q.kind: q.pk for q in ballot.questions.all()}
    with time_machine.travel(when, tick=False):
        return vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, party),
            by=user,
            answers={by_kind[kind]: choice for kind, choice in answers.items()},
            second_factor=True,
        ).receipt


def declare(ballot) -> None:
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        ballots_close_due()


def test_the_short_code_is_ten_characters_of_the_receipt_in_two_groups(world, ballot) -> None:
    receipt = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept")
    code = short_receipt(receipt)
    assert code == f"{receipt[:5]}-{receipt[5:10]}"


def test_the_short_code_is_found_in_any_case_with_spaces_or_dashes(world, ballot, client) -> None:
    receipt = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept")
    code = short_receipt(receipt)
    for typed in (code, code.upper(), code.replace("-", " "), f"  {receipt[:10].upper()} "):
        body = page(client, typed)
        assert "Found." in body and "entry 1 of the vote log" in body, typed
        assert receipt in body  # the full receipt, one click away


def test_the_full_receipt_is_found_in_any_case_with_dashes(world, ballot, client) -> None:
    receipt = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept")
    dashed = "-".join(receipt[i : i + 8] for i in range(0, 64, 8)).upper()
    assert "Found." in page(client, dashed)
    assert "Not found." in page(client, receipt[:63] + ("0" if receipt[63] != "0" else "1"))


def test_before_the_declaration_a_superseded_vote_says_when_but_never_the_choice(
    world, ballot, client
) -> None:
    first = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="reject")
    cast(world, ballot, world.big1, world.big_voter, DAY_ONE, variation="accept")
    second = cast(world, ballot, world.lone, world.lone_voter, DAY_TWO, variation="accept")

    body = page(client, short_receipt(first))
    assert "changed its vote later" in body
    assert "superseded by the cast recorded at 10:30:00 on 3 March 2027 (entry 3)" in body
    assert "Reject" not in body and "Accept" not in body
    assert "closes at 17:00 on 22 March 2027" in body

    body = page(client, short_receipt(second))
    assert "standing vote" in body and "changed its vote later" not in body
    assert "Reject" not in body and "Accept" not in body and "Counted." not in body


def test_after_the_declaration_the_standing_vote_was_counted(world, ballot, client) -> None:
    first = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="reject")
    second = cast(world, ballot, world.lone, world.lone_voter, DAY_TWO, variation="accept")
    declare(ballot)
    declaration = ballot.declaration
    assert declaration.chain_length == 2  # the close records how much of the log it counted

    body = page(client, short_receipt(second))
    assert "<strong>Counted.</strong>" in body and "counted entries 1 to 2 of the log" in body
    assert "Choice: <strong>Accept</strong>" in body
    assert "The whole vote log of DCP 417 verifies: 2 entries" in body

    body = page(client, first)
    assert "<strong>Not counted.</strong>" in body and "the later vote counts instead" in body
    assert "Choice: <strong>Reject</strong>" in body  # published with the declaration


def test_a_vote_changed_on_one_question_only_is_partly_counted(world, ballot, client) -> None:
    first = cast(
        world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept", date="accept"
    )
    cast(world, ballot, world.lone, world.lone_voter, DAY_TWO, variation="reject")
    before = page(client, first)
    assert "The proposed variation: the Group changed its vote later" in before
    assert "The proposed implementation date: it is the Group's standing vote" in before
    declare(ballot)
    after = page(client, first)
    assert "<strong>Partly counted.</strong>" in after


def test_a_short_code_shared_by_two_entries_asks_for_the_full_receipt(
    world, ballot, client
) -> None:
    receipt = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept")
    # Two receipts agreeing in ten hex characters are rare (1 in 10^12); make one to see it.
    twin = receipt[:10] + ("0" * 54 if receipt[10:] != "0" * 54 else "1" * 54)
    VoteLogEntry.objects.create(
        ballot=ballot,
        sequence=99,
        previous_hash=receipt,
        entry_hash=twin,
        payload=VoteLogEntry.objects.get(entry_hash=receipt).payload,
        recorded_at=DAY_TWO,
    )
    body = page(client, short_receipt(receipt))
    assert "More than one vote has a receipt starting" in body
    assert "Enter the full receipt" in body and "Found." not in body
    assert "entry 1 of the vote log" in page(client, receipt)


def test_what_is_not_a_receipt_is_told_so_not_a_server_error(world, ballot, client) -> None:
    assert "only the digits 0-9 and the letters a-f" in page(client, "DCP 417")
    assert "has 10 characters" in page(client, "3f9c2")
    assert "A full receipt has 64 characters" in page(client, "a" * 65)
    assert "Not found." in page(client, "0" * 64)
    blank = page(client, "")
    assert "Found." not in blank and "Not found." not in blank


def test_checking_a_receipt_reads_a_fixed_number_of_queries(
    world, ballot, client, django_assert_max_num_queries
) -> None:
    for when in (DAY_ONE, DAY_TWO):
        cast(world, ballot, world.lone, world.lone_voter, when, variation="reject")
        cast(world, ballot, world.big1, world.big_voter, when, variation="accept")
    last = cast(world, ballot, world.lone, world.lone_voter, DAY_TWO, variation="accept")
    declare(ballot)
    with django_assert_max_num_queries(10):
        assert "Counted." in page(client, short_receipt(last))


def test_a_receipt_of_a_vote_declared_void_says_so(world, ballot, client) -> None:
    receipt = cast(world, ballot, world.lone, world.lone_voter, DAY_ONE, variation="accept")
    declare(ballot)
    ballot.refresh_from_db()
    ballot_void(ballot=ballot, by=world.secretariat, reason="Sent back by the Authority")
    body = page(client, short_receipt(receipt))
    assert "was declared void" in body and "Sent back by the Authority" in body
    assert "<strong>Counted.</strong>" not in body
