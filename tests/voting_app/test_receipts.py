"""Receipts and the hash chain (12.4.6): verify a receipt; detect a tampered log."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template

from voting import receipts_code
from voting.models import Ballot, VoteLogEntry
from voting.receipts import chain_hash, verify_chain
from voting.receipts_code import is_receipt_text, normalise_code, short_receipt
from voting.services import ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, entry

DURING = OPENS + dt.timedelta(days=1)


def cast_some(world, ballot):
    q = ballot.questions.first()
    receipts = []
    with time_machine.travel(DURING, tick=False):
        for user, party, choice in [
            (world.lone_voter, world.lone, "reject"),
            (world.big_voter, world.big1, "accept"),
            (world.lone_voter, world.lone, "accept"),
        ]:
            receipts.append(
                vote_cast(
                    ballot=ballot,
                    roll_entry=entry(ballot, party),
                    by=user,
                    answers={q.pk: choice},
                    second_factor=True,
                ).receipt
            )
    return receipts


def test_receipt_is_the_hash_of_the_vote_and_the_previous_entry(world, ballot) -> None:
    receipts = cast_some(world, ballot)
    entries = list(VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence"))
    assert [e.entry_hash for e in entries] == receipts
    assert entries[0].previous_hash == ""
    assert entries[1].previous_hash == entries[0].entry_hash
    assert chain_hash(entries[1].previous_hash, 2, entries[1].payload) == receipts[1]
    ballot.refresh_from_db()
    assert ballot.chain_head == receipts[-1] and ballot.chain_length == 3
    assert verify_chain(ballot).ok


def test_verify_page_before_declaration_never_shows_the_choice(world, ballot, client) -> None:
    receipts = cast_some(world, ballot)
    page = client.get("/votes/verify/", {"receipt": receipts[0].upper()}).content.decode()
    assert "Found." in page and "DCP 417" in page
    assert "changed its vote later" in page  # the Lone Supply vote was changed
    assert "Reject" not in page and "Accept" not in page
    missing = client.get("/votes/verify/", {"receipt": "0" * 64}).content.decode()
    assert "Not found." in missing


def test_after_declaration_the_choice_and_the_whole_chain_are_verified(
    world, ballot, client
) -> None:
    receipts = cast_some(world, ballot)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        ballots_close_due()
    page = client.get("/votes/verify/", {"receipt": receipts[2]}).content.decode()
    assert "Accept" in page and "Group's standing vote" in page
    assert "The whole vote log of DCP 417 verifies: 3 entries" in page


def test_a_tampered_log_is_detected(world, ballot, client) -> None:
    cast_some(world, ballot)
    first = VoteLogEntry.objects.get(ballot=ballot, sequence=1)
    payload = dict(first.payload)
    payload["answers"] = [{"question": payload["answers"][0]["question"], "choice": "proposal"}]
    # Someone who owns the database turns its refusal off and rewrites a vote.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER may run
        cursor.execute("ALTER TABLE voting_votelogentry DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE voting_votelogentry SET payload = %s WHERE id = %s",
            [json.dumps(payload), first.pk],
        )
    check = verify_chain(Ballot.objects.get(pk=ballot.pk))
    assert not check.ok and check.bad_sequence == 1 and "altered" in check.problem


def test_a_removed_entry_is_detected(world, ballot) -> None:
    cast_some(world, ballot)
    last = VoteLogEntry.objects.get(ballot=ballot, sequence=3)
    with connection.cursor() as cursor:  # the database's refusals turned off by its owner
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER may run
        cursor.execute("ALTER TABLE voting_vote DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE voting_votelogentry DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM voting_vote WHERE log_entry_id = %s", [last.pk])
        cursor.execute("DELETE FROM voting_votelogentry WHERE id = %s", [last.pk])
    check = verify_chain(Ballot.objects.get(pk=ballot.pk))
    assert not check.ok and "head" in check.problem


def test_log_entries_are_append_only(world, ballot) -> None:
    from django.core.exceptions import ValidationError

    cast_some(world, ballot)
    entry_row = VoteLogEntry.objects.first()
    with pytest.raises(ValidationError):
        entry_row.save()
    with pytest.raises(ValidationError):
        entry_row.delete()


def test_the_short_receipt_code_groups_ten_characters_of_the_hash() -> None:
    digest = "3F9C2A81B0" + "d" * 54
    assert short_receipt(digest) == "3f9c2-a81b0"
    assert short_receipt("") == ""
    assert normalise_code(" 3F9C2-a81b0 ") == "3f9c2a81b0"
    assert is_receipt_text("3f9c2 A81B0") and not is_receipt_text("DCP 417")


def test_the_receipt_filter_shows_the_short_code_in_pages_and_mail() -> None:
    rendered = Template("{% load receipts %}{{ h|short_receipt }}").render(
        Context({"h": "3f9c2a81b0" + "0" * 54})
    )
    assert rendered == "3f9c2-a81b0"


def test_the_receipt_code_module_is_pure() -> None:
    """The mail templates, the pages and the offline tool share it: it imports no Django."""
    source = Path(receipts_code.__file__).read_text()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
    }
    assert imported <= {"__future__"}
