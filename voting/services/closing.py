"""Closing a ballot (once, by the schedule or the Secretariat), then declaring it (13.4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.errors import Conflict
from panel.models import User

from ..audit import VotingAction
from ..models import Ballot, BallotStatus
from .declaring import NotDeclared, ballot_declare


def ballots_close_due(*, now: dt.datetime | None = None) -> list[int]:
    """Close every open ballot whose window has ended, exactly once across concurrent workers.

    Rows another worker is closing are skipped (SKIP LOCKED); a row it has closed no longer
    matches status=open. Each closed ballot is then tallied and declared.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Ballot.objects.select_for_update(skip_locked=True)
            .filter(status=BallotStatus.OPEN, closes_at__lte=now)
            .order_by("pk")
        )
        for ballot in due:
            ballot.status = BallotStatus.CLOSED
            ballot.closed_at = ballot.closes_at
            ballot.save(update_fields=["status", "closed_at"])
            audit_record(
                actor=None,
                action=VotingAction.BALLOT_CLOSE,
                target=ballot,
                data={"by": "schedule"},
            )
    for ballot in due:
        try:
            ballot_declare(ballot=ballot, by=None)
        except NotDeclared:
            continue  # kept on the ballot, audited and sent to the Secretariat; the rest go on
    return [b.pk for b in due]


def ballot_close(*, ballot: Ballot, by: User) -> Ballot:
    """The Secretariat closes a ballot now (e.g. the window has passed and the schedule is down),
    then declares it; `NotDeclared` says why when the proposal cannot move on (the ballot stays
    closed)."""
    require(by, SECRETARIAT, doing="close a vote", rule="13.4")
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.OPEN:
            raise Conflict(f"Voting on {ballot.reference} is already closed.", field="status")
        now = timezone.now()
        ballot.status = BallotStatus.CLOSED
        ballot.closed_at = min(now, ballot.closes_at)
        ballot.closed_by = by
        ballot.save(update_fields=["status", "closed_at", "closed_by"])
        audit_record(
            actor=by, action=VotingAction.BALLOT_CLOSE, target=ballot, data={"by": "secretariat"}
        )
    ballot_declare(ballot=ballot, by=by)
    ballot.refresh_from_db()
    return ballot
