"""The log is the vote (12.4.6): votes edited in the database, behind the services, are detected
at the close, by the scheduled check and by `manage.py verify_ballot`; nothing is declared until
the Secretariat records a decision on the faults (declare from the log, or void)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pgtrigger
import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, Role
from voting.audit import VotingAction
from voting.chain import chain_hash
from voting.models import (
    Ballot,
    BallotCheck,
    BallotStatus,
    CheckOccasion,
    Declaration,
    FaultDecision,
    FaultOutcome,
    Vote,
    VoteLogEntry,
)
from voting.receipts import verify_chain
from voting.services import ballot_declare, ballots_close_due
from voting.services.faults import ballot_fault_decide
from voting.services.integrity import ballot_findings, ballots_verify_open
from voting.tasks import verify_open_ballots

from .conftest import AFTER, DURING, entry, proposal_ballot, vote
from .factories import login_verified, staff


def cast_votes(world, ballot):
    """DNO 1 and the Supplier group accept both; Lone Supply rejects, then accepts the variation
    (entries 1-4)."""
    vote(ballot, world.dno_voter, world.dno[0], variation="accept", date="accept")
    vote(ballot, world.big_voter, world.big1, variation="accept", date="accept")
    vote(ballot, world.lone_voter, world.lone, variation="reject", date="accept")
    vote(ballot, world.lone_voter, world.lone, variation="accept")


def edit_vote_row(ballot, party, choice):
    """Someone with the database's keys turns its refusal off and edits a current vote."""
    question = ballot.questions.get(position=1)
    with pgtrigger.ignore("voting.Vote:read_only"):
        edited = Vote.objects.filter(
            roll_entry=entry(ballot, party), question=question, superseded_at=None
        ).update(choice=choice)
    assert edited == 1


def edit_log_payload(entry_row, payload):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER may run
        cursor.execute("ALTER TABLE voting_votelogentry DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE voting_votelogentry SET payload = %s WHERE id = %s",
            [json.dumps(payload), entry_row.pk],
        )
        cursor.execute("ALTER TABLE voting_votelogentry ENABLE TRIGGER USER")


def close(capture):
    mail.outbox.clear()
    with time_machine.travel(AFTER, tick=False), capture(execute=True):
        ballots_close_due()


def verify_command(*args):
    out = io.StringIO()
    try:
        call_command("verify_ballot", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_a_current_vote_edited_in_the_database_blocks_the_declaration(
    world, django_capture_on_commit_callbacks
) -> None:
    p, ballot = proposal_ballot(world)
    cast_votes(world, ballot)
    # The Supplier group's Accept becomes Reject in voting_vote (the finding on DCP 10).
    edit_vote_row(ballot, world.big1, "reject")
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok  # the log alone still verifies
    close(django_capture_on_commit_callbacks)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.BLOCKED
    assert ballot.faults == [
        {
            "kind": "vote",
            "sequence": 2,
            "detail": "Big Energy Group, question 1: the choice differs from entry 2",
        }
    ]
    assert not Declaration.objects.filter(ballot=ballot).exists()
    p.refresh_from_db()
    assert p.status == State.VOTING  # the proposal did not move
    check = BallotCheck.objects.get(ballot=ballot)
    assert check.occasion == CheckOccasion.CLOSE and not check.ok and check.faults == ballot.faults
    assert check.chain_length == 4 and check.chain_head == ballot.chain_head
    assert AuditRecord.objects.filter(
        action=VotingAction.BALLOT_BLOCKED, target_id=str(ballot.pk)
    ).exists()
    assert not AuditRecord.objects.filter(action=VotingAction.BALLOT_DECLARE).exists()
    told = [m for m in mail.outbox if "cannot be declared" in m.subject]
    assert len(told) == 1 and "DCP 417" in told[0].subject
    assert "the choice differs from entry 2" in told[0].body
    assert f"/votes/ballots/{ballot.pk}/faults/" in told[0].body
    assert "reject" not in told[0].body.lower()  # a fault never shows the choice (13.4)
    assert "accept" not in told[0].body.lower()
    assert not [m for m in mail.outbox if "declaration" in m.subject.lower()]  # no 13.8 notice
    with time_machine.travel(AFTER, tick=False), pytest.raises(Conflict) as refused:
        ballot_declare(ballot=ballot, by=world.secretariat)
    assert refused.value.rule == "12.4.6"
    assert not Declaration.objects.filter(ballot=ballot).exists()


def test_an_altered_log_entry_blocks_the_close_and_verify_ballot_reports_it(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    cast_votes(world, ballot)
    second = VoteLogEntry.objects.get(ballot=ballot, sequence=2)
    payload = dict(second.payload)
    payload["answers"] = [dict(a, choice="reject") for a in payload["answers"]]
    edit_log_payload(second, payload)
    code, out = verify_command("DCP 417")
    assert code == 1
    assert "[chain] entry 2 was altered" in out
    assert "Big Energy Group, question 1: the choice differs from entry 2" in out
    command_check = BallotCheck.objects.get(ballot=ballot, occasion=CheckOccasion.COMMAND)
    assert not command_check.ok
    close(django_capture_on_commit_callbacks)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.BLOCKED
    assert {"kind": "chain", "sequence": 2, "detail": "entry 2 was altered"} in ballot.faults
    assert not Declaration.objects.filter(ballot=ballot).exists()
    assert verify_command("--all")[0] == 1


def test_a_log_rewritten_whole_is_caught_by_the_head_an_earlier_check_recorded(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    """An owner of the database who rewrites an entry, every later hash, the head and the vote
    row makes a log that verifies on its own; it no longer passes through the head that the
    half-hourly check recorded."""
    cast_votes(world, ballot)
    with time_machine.travel(DURING, tick=False):
        assert ballots_verify_open() == 0
    recorded = BallotCheck.objects.get(ballot=ballot, occasion=CheckOccasion.SCHEDULE)
    assert recorded.ok and recorded.chain_length == 4
    entries = list(VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence"))
    entries[1].payload["answers"][0]["choice"] = "reject"
    previous = entries[0].entry_hash
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE voting_votelogentry DISABLE TRIGGER USER")
        for e in entries[1:]:
            e.entry_hash = chain_hash(previous, e.sequence, e.payload)
            cursor.execute(
                "UPDATE voting_votelogentry SET payload = %s, previous_hash = %s, entry_hash = %s "
                "WHERE id = %s",
                [json.dumps(e.payload), previous, e.entry_hash, e.pk],
            )
            previous = e.entry_hash
        cursor.execute("ALTER TABLE voting_votelogentry ENABLE TRIGGER USER")
    Ballot.objects.filter(pk=ballot.pk).update(chain_head=previous)
    edit_vote_row(ballot, world.big1, "reject")
    rewritten = Ballot.objects.get(pk=ballot.pk)
    assert verify_chain(rewritten).ok  # the rewrite is self-consistent
    findings = ballot_findings(rewritten)
    assert [f["kind"] for f in findings.faults] == ["head"]
    close(django_capture_on_commit_callbacks)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.BLOCKED
    assert not Declaration.objects.filter(ballot=ballot).exists()


def test_declaring_from_the_log_counts_the_log_not_the_edited_vote(
    world, django_capture_on_commit_callbacks
) -> None:
    p, ballot = proposal_ballot(world)
    cast_votes(world, ballot)
    edit_vote_row(ballot, world.big1, "reject")
    close(django_capture_on_commit_callbacks)
    ballot.refresh_from_db()
    faults = ballot.faults
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        decision = ballot_fault_decide(
            ballot=ballot,
            by=world.secretariat,
            outcome=FaultOutcome.DECLARE_FROM_LOG,
            reason="The log's entry 2 matches the Group's receipt; the table was edited.",
        )
    assert decision.faults == faults and decision.decided_by == world.secretariat
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DECLARED
    declaration = Declaration.objects.get(ballot=ballot)
    variation = str(ballot.questions.get(position=1).pk)
    suppliers = next(
        c for c in declaration.cases[variation]["categories"] if c["category"] == "SUPPLIER"
    )
    votes = {g["group"]: g["vote"] for g in suppliers["groups"]}
    assert votes == {"Big Energy Group": "proposal", "Lone Supply Ltd": "proposal"}  # the log's
    assert declaration.chain_head == ballot.chain_head and declaration.chain_length == 4
    assert isinstance(declaration.roll_notes, list)
    p.refresh_from_db()
    assert p.status != State.VOTING  # the proposal moved on with the declaration
    assert AuditRecord.objects.filter(action=VotingAction.BALLOT_FAULT_DECIDED).count() == 1
    # The edited row is still there; the command says the decision answered it.
    code, out = verify_command("DCP-417")
    assert code == 0 and "answered by the Secretariat's decision" in out


def test_only_the_secretariat_decides_with_a_reason_and_once(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    cast_votes(world, ballot)
    edit_vote_row(ballot, world.big1, "reject")
    close(django_capture_on_commit_callbacks)
    ballot.refresh_from_db()
    with pytest.raises(NotAllowed):
        ballot_fault_decide(ballot=ballot, by=world.dno_voter, outcome="void", reason="x")
    with pytest.raises(NotAllowed):
        ballot_fault_decide(
            ballot=ballot, by=staff(Role.AUTHORITY), outcome="void", reason="Authority says"
        )
    with pytest.raises(DomainError) as no_reason:
        ballot_fault_decide(ballot=ballot, by=world.secretariat, outcome="void", reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError) as bad_outcome:
        ballot_fault_decide(ballot=ballot, by=world.secretariat, outcome="ignore", reason="x")
    assert bad_outcome.value.field == "outcome"
    assert not FaultDecision.objects.exists()
    ballot_fault_decide(
        ballot=ballot, by=world.secretariat, outcome=FaultOutcome.VOID, reason="Cannot trust it"
    )
    ballot.refresh_from_db()
    assert ballot.is_void and "Cannot trust it" in ballot.void_reason
    assert ballot.status == BallotStatus.BLOCKED  # never declared
    assert not Declaration.objects.filter(ballot=ballot).exists()
    with pytest.raises(Conflict):
        ballot_fault_decide(
            ballot=ballot, by=world.secretariat, outcome=FaultOutcome.DECLARE_FROM_LOG, reason="x"
        )
    assert FaultDecision.objects.count() == 1


def test_the_half_hourly_check_tells_the_secretariat_once_per_failure(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    cast_votes(world, ballot)
    mail.outbox.clear()
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert verify_open_ballots() == 0
    assert not mail.outbox
    edit_vote_row(ballot, world.big1, "reject")
    for minutes in (30, 60, 90):
        with (
            time_machine.travel(DURING + dt.timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert verify_open_ballots() == 1
    assert BallotCheck.objects.filter(ballot=ballot, occasion=CheckOccasion.SCHEDULE).count() == 4
    assert len(mail.outbox) == 1
    assert "its vote log and its current votes disagree" in mail.outbox[0].subject
    assert "The vote is still open" in mail.outbox[0].body
    assert AuditRecord.objects.filter(action=VotingAction.BALLOT_CHECK_FAILED).count() == 1
    # A new fault is a new failure: told again.
    edit_vote_row(ballot, world.dno[0], "reject")
    with time_machine.travel(DURING, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert ballots_verify_open() == 1
    assert len(mail.outbox) == 2
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN  # it stays open


def test_a_sound_close_records_the_check_and_the_head_on_the_declaration(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    cast_votes(world, ballot)
    close(django_capture_on_commit_callbacks)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DECLARED and ballot.faults == []
    declaration = Declaration.objects.get(ballot=ballot)
    assert (declaration.chain_head, declaration.chain_length) == (ballot.chain_head, 4)
    check = BallotCheck.objects.get(ballot=ballot, occasion=CheckOccasion.CLOSE)
    assert check.ok and check.chain_head == ballot.chain_head
    assert not [m for m in mail.outbox if "disagree" in m.subject]
    code, out = verify_command("DCP 417")
    assert code == 0 and f"4 entries, head {ballot.chain_head}: agrees" in out
    assert verify_command()[0] == 2  # neither a reference nor --all


def test_a_declaration_edited_in_the_database_is_reported(world, ballot) -> None:
    cast_votes(world, ballot)
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    declaration = Declaration.objects.get(ballot=ballot)
    cases = declaration.cases
    variation = str(ballot.questions.get(position=1).pk)
    for category in cases[variation]["categories"]:
        for group in category["groups"]:
            if group["group"] == "Big Energy Group":
                group["vote"] = "reject"
    with pgtrigger.ignore("voting.Declaration:append_only"):
        Declaration.objects.filter(pk=declaration.pk).update(cases=cases)
    code, out = verify_command("DCP 417")
    assert code == 1
    assert "[declaration] Big Energy Group, question 1: the declaration counted a vote" in out


def test_the_faults_page_is_the_secretariats_and_records_its_decision(
    world, ballot, client, django_capture_on_commit_callbacks
) -> None:
    cast_votes(world, ballot)
    edit_vote_row(ballot, world.big1, "reject")
    close(django_capture_on_commit_callbacks)
    url = f"/votes/ballots/{ballot.pk}/faults/"
    assert client.get(url).status_code == 302  # sign in first
    login_verified(client, world.dno_voter)
    assert client.get(url).status_code == 403
    login_verified(client, staff(Role.AUTHORITY, username="ofgem"))
    page = client.get(url)
    assert page.status_code == 200 and b"the choice differs from entry 2" in page.content
    assert b'id="decide"' not in page.content  # the Authority reads, the Secretariat decides
    assert client.post(url, {"outcome": "void", "reason": "x"}).status_code == 403
    login_verified(client, world.secretariat)
    page = client.get(url).content.decode()
    assert "Cannot be declared" in page and 'id="decide"' in page
    refused = client.post(url, {"outcome": FaultOutcome.DECLARE_FROM_LOG, "reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    assert not FaultDecision.objects.exists()
    with time_machine.travel(AFTER, tick=False), django_capture_on_commit_callbacks(execute=True):
        login_verified(client, world.secretariat)  # signed in on the day of the decision
        done = client.post(url, {"outcome": FaultOutcome.DECLARE_FROM_LOG, "reason": "Log holds"})
    assert done.status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DECLARED
    page = client.get(url).content.decode()
    assert "Declare from the standing entries of the log" in page and "Log holds" in page
    assert 'id="decide"' not in page
