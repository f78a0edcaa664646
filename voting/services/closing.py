"""Closing a ballot at its closing time (once, by the schedule or, when late, the Secretariat),
then declaring it (12.4.1, 13.4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.models import User

from ..audit import VotingAction
from ..models import Ballot, BallotKind, BallotStatus
from ..wording import when
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


def ballot_close(*, ballot: Ballot, by: User, reason: str = "") -> Ballot:
    """The Secretariat closes a vote whose closing time has passed (the schedule was late), with
    its reason, then declares it; `NotDeclared` says why when the proposal cannot move on (the
    ballot stays closed). The window fixed at the opening is never cut short (12.4.1); a vote is
    ended early only by voiding it on the Authority's send-back (ballot_void)."""
    require(by, SECRETARIAT, doing="close a vote", rule="13.4")
    reason = (reason or "").strip()
    if not reason and ballot.kind == BallotKind.PARTY_VOTE:
        raise DomainError(
            "Say why the vote is closed by hand (e.g. the schedule did not run at the close).",
            field="reason",
            rule="12.4.1",
        )
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.OPEN:
            raise Conflict(f"Voting on {ballot.reference} is already closed.", field="status")
        if timezone.now() < ballot.closes_at:
            raise Conflict(
                f"Voting on {ballot.reference} is open until {when(ballot.closes_at)}; the "
                "voting period fixed when the vote opened cannot be cut short (12.4.1).",
                field="status",
                rule="12.4.1",
            )
        ballot.status = BallotStatus.CLOSED
        ballot.closed_at = ballot.closes_at
        ballot.closed_by = by
        ballot.close_reason = reason or "Closed for the count."
        ballot.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
        audit_record(
            actor=by,
            action=VotingAction.BALLOT_CLOSE,
            target=ballot,
            data={"by": "secretariat", "reason": ballot.close_reason},
        )
    ballot_declare(ballot=ballot, by=by)
    ballot.refresh_from_db()
    return ballot
