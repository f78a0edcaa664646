"""PostgreSQL itself refuses an UPDATE or DELETE of the voting records (django-pgtrigger): the
roll, votes (bar the one supersession a change of vote makes), the vote log, declarations,
reminders, election rounds and results (bar the appointment publication links)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from voting.models import (
    Ballot,
    BallotKind,
    Declaration,
    Election,
    ElectionResult,
    ElectionRound,
    Nomination,
    Reminder,
    RollEntry,
    RollMember,
    Vote,
    VoteLogEntry,
)
from voting.services import ballot_declare, vote_cast

from .conftest import CLOSES, OPENS, entry
from .factories import UserFactory

DURING = OPENS + dt.timedelta(days=1)


def refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:  # InternalError or ProgrammingError, by psycopg's mapping
        assert "pgtrigger: Cannot" in str(error)
        return True
    return False


def _table(model) -> str:
    return model._meta.db_table


@pytest.fixture
def records(world, ballot):
    with time_machine.travel(DURING, tick=False):
        for choice in ("accept", "reject"):
            vote_cast(
                ballot=ballot,
                roll_entry=entry(ballot, world.lone),
                by=world.lone_voter,
                answers={ballot.questions.get(kind="variation").pk: choice},
                second_factor=True,
            )
    Reminder.objects.create(
        ballot=ballot, roll_entry=entry(ballot, world.big1), working_days_before=3
    )
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        Ballot.objects.filter(pk=ballot.pk).update(status="closed", closed_at=CLOSES)
        ballot_declare(ballot=ballot, by=None)
    election = Election.objects.create(
        year=2026,
        category="SUPPLIER",
        role="MEMBER",
        seat_numbers=[1],
        vacancy_date=dt.date(2026, 12, 1),
        nominations_close=dt.date(2026, 10, 6),
        candidates_notice_by=dt.date(2026, 10, 20),
        planned_voting_closes=dt.date(2026, 11, 3),
    )
    election_ballot = Ballot.objects.create(
        kind=BallotKind.ELECTION,
        reference="PE 2026 SUPPLIER MEMBER",
        title="Supplier Panel Member",
        roll_date=dt.date(2026, 10, 20),
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=10),
    )
    ElectionRound.objects.create(election=election, number=1, ballot=election_ballot)
    nomination = Nomination.objects.create(
        election=election,
        person=UserFactory(),
        employer=world.lone,
        nominated_by=world.lone,
        group_key="SUPPLIER:party:1",
        group_name="Lone Supply Ltd",
        received_on=dt.date(2026, 10, 1),
    )
    ElectionResult.objects.create(
        election=election, nomination=nomination, position=1, rank=1, votes=3
    )
    return ballot


PROTECTED = [
    (RollEntry, "group_name = 'changed'"),
    (RollMember, "n = 1"),
    (VoteLogEntry, "previous_hash = ''"),
    (Declaration, "variation_outcome = 'rejected'"),
    (Reminder, "working_days_before = 9"),
    (ElectionRound, "number = 9"),
    (ElectionResult, "votes = 99"),
    (Vote, "choice = 'accept'"),
]


@pytest.mark.parametrize(
    ("model", "assignment"), PROTECTED, ids=lambda p: getattr(p, "__name__", "")
)
def test_an_update_or_a_delete_of_a_voting_record_fails_in_postgresql(
    records, model, assignment
) -> None:
    assert connection.vendor == "postgresql"
    assert model.objects.exists()
    table = _table(model)
    assert refused(f"UPDATE {table} SET {assignment}", [])
    assert refused(f"DELETE FROM {table}", [])
    assert model.objects.exists()


def test_a_vote_is_superseded_once_and_never_changed_after(records) -> None:
    table = _table(Vote)
    live = Vote.objects.get(superseded_at=None)
    superseded = Vote.objects.exclude(superseded_at=None).get()
    # The casting service's one write: a live vote's superseded_at.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET superseded_at = now() WHERE id = %s", [live.pk])
    assert refused(f"UPDATE {table} SET superseded_at = now() WHERE id = %s", [superseded.pk])
    assert refused(f"UPDATE {table} SET superseded_at = NULL WHERE id = %s", [superseded.pk])


def test_publication_may_link_the_appointment_of_a_result_and_nothing_else(records) -> None:
    table = _table(ElectionResult)
    result = ElectionResult.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET appointment_id = NULL WHERE id = %s", [result.pk])
    assert refused(f"UPDATE {table} SET elected = true WHERE id = %s", [result.pk])
