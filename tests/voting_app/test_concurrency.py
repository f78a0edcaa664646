"""Races against PostgreSQL with real threads: the database says no (CONVENTIONS 4)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from panel.errors import Conflict
from voting.audit import VotingAction
from voting.models import Ballot, Vote, VoteLogEntry
from voting.receipts import verify_chain
from voting.services import ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, entry, open_vote

WORKERS = 50


def run_together(n: int, work) -> list[object]:
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - every outcome is collected and asserted on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_casts_for_one_group_leave_one_live_vote(world) -> None:
    ballot = open_vote(world)
    question = ballot.questions.get(kind="variation")
    roll_entry = entry(ballot, world.lone)
    with time_machine.travel(OPENS + dt.timedelta(hours=1)):
        results = run_together(
            WORKERS,
            lambda i: vote_cast(
                ballot=ballot,
                roll_entry=roll_entry,
                by=world.lone_voter,
                answers={question.pk: "accept" if i % 2 else "reject"},
                second_factor=True,
            ),
        )
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, Conflict) for e in errors), errors  # never an IntegrityError
    recorded = [r for r in results if not isinstance(r, Exception)]
    assert len(recorded) + len(errors) == WORKERS
    assert (
        Vote.objects.filter(question=question, roll_entry=roll_entry, superseded_at=None).count()
        == 1
    )
    # Every recorded cast is in the chain, in order, and the chain verifies.
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == len(recorded)
    assert Vote.objects.filter(question=question).count() == len(recorded)
    check = verify_chain(Ballot.objects.get(pk=ballot.pk))
    assert check.ok and check.entries == len(recorded)


@pytest.mark.django_db(transaction=True)
def test_concurrent_casts_for_different_groups_share_one_unbroken_chain(world) -> None:
    ballot = open_vote(world)
    voters = [
        (world.lone_voter, world.lone),
        (world.big_voter, world.big1),
        (world.dno_voter, world.dno[0]),
        (world.idno_voter, world.idno),
    ] * 5
    question = ballot.questions.get(kind="date")
    entries = [entry(ballot, party) for _, party in voters]
    with time_machine.travel(OPENS + dt.timedelta(hours=1)):
        results = run_together(
            len(voters),
            lambda i: vote_cast(
                ballot=ballot,
                roll_entry=entries[i],
                by=voters[i][0],
                answers={question.pk: "accept"},
                second_factor=True,
            ),
        )
    assert not [r for r in results if isinstance(r, Exception)]
    sequences = list(VoteLogEntry.objects.filter(ballot=ballot).values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, len(voters) + 1))
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok
    assert Vote.objects.filter(ballot=ballot, superseded_at=None).count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_workers_close_a_due_ballot_exactly_once(world) -> None:
    ballot = open_vote(world)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1)):
        results = run_together(2, lambda i: ballots_close_due())
    assert sorted(results, key=len) == [[], [ballot.pk]]
    ballot.refresh_from_db()
    assert ballot.status == "declared"
    from panel.models import AuditRecord

    assert (
        AuditRecord.objects.filter(
            action=VotingAction.BALLOT_CLOSE, target_id=str(ballot.pk)
        ).count()
        == 1
    )
    assert (
        AuditRecord.objects.filter(
            action=VotingAction.BALLOT_DECLARE, target_id=str(ballot.pk)
        ).count()
        == 1
    )
