"""The hand-off from the vote: the ballot opened (12.4-12.5), the declaration (13.4-13.7, 14.3).

The voting app calls these in the transaction that opens the ballot or records the declaration;
a proposal that cannot move raises a DomainError naming the rule, so nothing is opened or declared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from panel.errors import DomainError
from panel.models import User

from ..models import ChangeProposal
from .steps import proposal_transition

PART1_OUTCOMES = ("recommend_accept", "recommend_reject")
PART2_OUTCOMES = ("accepted", "rejected")


def _accepts(outcome: str) -> bool:
    return outcome in ("accepted", "recommend_accept")


def _declaration_step(
    part: int | None, variation_outcome: str | None, date_outcome: str, *, deemed_part1: bool
) -> str:
    """The step a declaration takes: a Part 1 recommendation (13.5, 13.7), a rejection whatever
    the date (14.4), a date re-assessment (14.3) or an acceptance (13.6)."""
    if deemed_part1 or part == 1:
        return "vote_declared_recommendation"
    if not _accepts(variation_outcome or ""):
        return "vote_declared_rejected"
    if not _accepts(date_outcome):
        return "vote_declared_date_rejected"
    return "vote_declared_accepted"


def proposal_voting_opened(
    *,
    proposal: ChangeProposal,
    by: User | None,
    ballot_reference: str = "",
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> ChangeProposal:
    """The voting app opened the ballot (12.4-12.5)."""
    return proposal_transition(
        proposal=proposal,
        action="voting_open",
        by=by,
        ballot_reference=ballot_reference,
        opens_at=opens_at.isoformat() if opens_at else None,
        closes_at=closes_at.isoformat() if closes_at else None,
    )


def proposal_vote_declared(
    *,
    proposal: ChangeProposal,
    by: User | None,
    variation_outcome: str | None,
    date_outcome: str,
    deemed_part1: bool = False,
    accepted_alternative: str = "",
    declared_on: dt.date | None = None,
    results: dict[str, Any] | None = None,
) -> ChangeProposal:
    """The Secretariat declared the vote (13.4.3); combined per 14.3-14.4.

    Part 1: `recommend_accept`/`recommend_reject` → awaiting the Authority (13.2, 13.9).
    Part 2: `accepted`/`rejected`; `deemed_part1` (13.7) → Part 1, recommendation to reject.
    Variation accepted, date rejected → re-assess a new date only (14.3).
    Variation rejected → rejected whatever the date (14.4). In a date-only re-vote
    `variation_outcome` is None (the variation was accepted before).
    """
    proposal.refresh_from_db()
    part = proposal.part
    date_only = proposal.date_only_vote
    allowed = PART1_OUTCOMES if part == 1 else PART2_OUTCOMES
    if deemed_part1 and part != 2:
        raise DomainError("Only a Part 2 vote can be deemed a Part 1 Matter (13.7).", rule="13.7")
    if date_only:
        variation_outcome = "recommend_accept" if part == 1 else "accepted"
    if (
        variation_outcome not in allowed
        or date_outcome not in allowed + PART1_OUTCOMES + PART2_OUTCOMES
    ):
        raise DomainError(
            f"{proposal.reference} is a Part {part} Matter: the outcome is one of "
            f"{', '.join(allowed)} (13.5-13.6).",
            field="variation_outcome",
            rule="13.4",
        )
    data: dict[str, Any] = {
        "variation_outcome": variation_outcome,
        "date_outcome": date_outcome,
        "deemed_part1": deemed_part1,
        "accepted_alternative": accepted_alternative,
        "date_only_vote": date_only,
        "results": results or {},
    }
    if deemed_part1:
        data["variation_outcome"] = "recommend_reject"
    action = _declaration_step(part, variation_outcome, date_outcome, deemed_part1=deemed_part1)
    return proposal_transition(proposal=proposal, action=action, by=by, today=declared_on, **data)
