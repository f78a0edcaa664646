"""The Secretariat's decision on a vote that cannot be declared (its log and its current votes
disagree, or the chain is broken): declare from the standing entries of the log, or void the vote.
Recorded, with its reason and the faults it answers, and audited; nothing else unblocks a ballot.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.models import User

from ..audit import VotingAction
from ..models import Ballot, BallotStatus, FaultDecision, FaultOutcome
from .ballots import ballot_void
from .declaring import ballot_declare


def ballot_fault_decide(*, ballot: Ballot, by: User, outcome: str, reason: str) -> FaultDecision:
    """Record the decision on a blocked ballot's faults, then carry it out: declare from the log
    (the declaration counts the standing entries of the log, 13.4) or void the vote (the roll, the
    log and the votes stay as evidence)."""
    require(by, SECRETARIAT, doing="decide on a vote that cannot be declared", rule="12.4.6")
    reason = (reason or "").strip()
    if outcome not in FaultOutcome.values:
        raise DomainError(
            "Choose: declare from the standing entries of the log, or void the vote.",
            field="outcome",
        )
    if not reason:
        raise DomainError("Say why (the decision is published with the faults).", field="reason")
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != BallotStatus.BLOCKED or ballot.voided_at is not None:
            raise Conflict(
                f"The vote on {ballot.reference} is not waiting for a decision on faults.",
                field="status",
            )
        decision = FaultDecision.objects.create(
            ballot=ballot,
            decided_at=timezone.now(),
            decided_by=by,
            outcome=outcome,
            reason=reason,
            faults=ballot.faults,
        )
        audit_record(
            actor=by,
            action=VotingAction.BALLOT_FAULT_DECIDED,
            target=ballot,
            data={"outcome": outcome, "reason": reason, "faults": len(ballot.faults)},
        )
        if outcome == FaultOutcome.VOID:
            ballot_void(
                ballot=ballot,
                by=by,
                reason=f"The vote log and the current votes disagreed; the Secretariat "
                f"decided to void the vote: {reason}",
            )
            return decision
        ballot.status = BallotStatus.CLOSED
        ballot.save(update_fields=["status"])
    # Its own transaction: if the proposal cannot move on, the decision stays recorded and the
    # ballot closed with the reason (NotDeclared), to be declared again later.
    ballot_declare(ballot=ballot, by=by)
    return decision
