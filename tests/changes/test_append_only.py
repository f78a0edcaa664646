"""Append-only records of the change process are protected by PostgreSQL itself: a raw UPDATE or
DELETE fails, apart from the column a service is allowed to set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from changes.models import (
    AppealRecord,
    AuthorityDecision,
    DeadlineDigest,
    ImplementationAction,
    ImplementationDateChange,
    ImplementationPlan,
    ProposalEvent,
    RegisterCopy,
)
from changes.states import State

from .factories import proposal_in

pytestmark = pytest.mark.django_db

D = dt.date


def _refused(sql: str, *params: object) -> None:
    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _allowed(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def p(rep, party):
    return proposal_in(State.IMPLEMENTING, raised_by=rep, party=party)


@pytest.fixture
def decision(p):
    return AuthorityDecision.objects.create(
        proposal=p, kind="authority_accept", decided_on=D(2027, 3, 1), reasons="Better."
    )


def test_proposal_events_cannot_be_updated_or_deleted(p):
    event = ProposalEvent.objects.create(
        proposal=p, on=D(2027, 3, 1), action="mark_implemented", to_state=State.IMPLEMENTED
    )
    table = ProposalEvent._meta.db_table
    _refused(f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", event.pk)
    _refused(f"UPDATE {table} SET to_state = 'rejected' WHERE id = %s", event.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", event.pk)
    event.refresh_from_db()
    assert event.reason == "" and event.to_state == State.IMPLEMENTED


def test_authority_decisions_cannot_be_updated_or_deleted(decision):
    table = AuthorityDecision._meta.db_table
    _refused(f"UPDATE {table} SET reasons = 'other' WHERE id = %s", decision.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", decision.pk)
    assert AuthorityDecision.objects.get(pk=decision.pk).reasons == "Better."


def test_implementation_date_changes_cannot_be_updated_or_deleted(p, decision):
    plan = ImplementationPlan.objects.create(
        proposal=p, implementation_date=D(2027, 6, 1), set_on=D(2027, 3, 1)
    )
    change = ImplementationDateChange.objects.create(
        plan=plan,
        old_date=D(2027, 6, 1),
        new_date=D(2027, 9, 1),
        basis="panel_request",
        directed_on=D(2027, 3, 1),
        authority_decision=decision,
    )
    table = ImplementationDateChange._meta.db_table
    _refused(f"UPDATE {table} SET new_date = '2028-01-01' WHERE id = %s", change.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", change.pk)


def test_implementation_actions_are_never_deleted_and_keep_what_was_planned(p):
    plan = ImplementationPlan.objects.create(
        proposal=p, implementation_date=D(2027, 6, 1), set_on=D(2027, 3, 1)
    )
    action = ImplementationAction.objects.create(
        plan=plan, description="Publish the text", due_on=D(2027, 5, 1)
    )
    table = ImplementationAction._meta.db_table
    _refused(f"UPDATE {table} SET description = 'other' WHERE id = %s", action.pk)
    _refused(f"UPDATE {table} SET due_on = '2027-05-20' WHERE id = %s", action.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", action.pk)
    _allowed(f"UPDATE {table} SET done_on = '2027-04-01' WHERE id = %s", action.pk)
    _allowed(f"UPDATE {table} SET superseded_on = '2027-04-02' WHERE id = %s", action.pk)
    action.refresh_from_db()
    assert (action.description, action.done_on) == ("Publish the text", D(2027, 4, 1))


def test_an_appeal_keeps_what_was_lodged_and_only_gains_its_decision(rep, party):
    p = proposal_in(State.UNDER_APPEAL, raised_by=rep, party=party)
    appeal = AppealRecord.objects.create(
        proposal=p,
        appellant_name=party.name,
        lodged_on=D(2027, 3, 1),
        against="accepted",
        reasons="Unfairly prejudiced (13.20.1).",
    )
    table = AppealRecord._meta.db_table
    _refused(f"UPDATE {table} SET reasons = 'softer' WHERE id = %s", appeal.pk)
    _refused(f"UPDATE {table} SET lodged_on = '2027-01-01' WHERE id = %s", appeal.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", appeal.pk)
    _allowed(
        f"UPDATE {table} SET outcome = 'dismissed', decided_on = '2027-03-20', "
        "decision_reasons = 'No grounds' WHERE id = %s",
        appeal.pk,
    )
    appeal.refresh_from_db()
    assert appeal.outcome == "dismissed" and appeal.reasons.startswith("Unfairly")


@pytest.mark.parametrize("model", [RegisterCopy, DeadlineDigest])
def test_register_copies_and_digests_only_gain_the_moment_they_were_sent(model):
    if model is RegisterCopy:
        row = RegisterCopy.objects.create(
            month=D(2027, 1, 1), made_on=D(2027, 1, 4), csv="a", html="b"
        )
        column = "csv"
    else:
        row = DeadlineDigest.objects.create(day=D(2027, 1, 4), due_today=1)
        column = "due_today"
    table = model._meta.db_table
    value = "'edited'" if column == "csv" else "7"
    _refused(f"UPDATE {table} SET {column} = {value} WHERE id = %s", row.pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", row.pk)
    _allowed(f"UPDATE {table} SET sent_at = now() WHERE id = %s", row.pk)
    row.refresh_from_db()
    assert row.sent_at is not None
