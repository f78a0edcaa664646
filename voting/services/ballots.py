"""Opening a ballot with its frozen roll, and voiding it (13.12.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from changes.services import proposal_voting_opened
from panel.access import SECRETARIAT, SECRETARIAT_OR_AUTHORITY, require
from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError
from panel.models import Category, User
from panel.selectors import Purpose

from ..audit import VotingAction
from ..models import (
    ELIGIBLE_CHOICES,
    Ballot,
    BallotKind,
    BallotStatus,
    Matter,
    Question,
    QuestionKind,
)
from .roll import freeze_roll

DEFAULT_WINDOW_WORKING_DAYS = 15
DEFAULT_CLOSE_TIME = dt.time(17, 0)


def default_reminder_days() -> list[int]:
    return list(getattr(settings, "VOTING_REMINDER_WORKING_DAYS", [3, 1]))


def default_closes_at(opens_at: dt.datetime) -> dt.datetime:
    """17:00 (UK time) on the 15th Working Day after the day the window opens."""
    local = timezone.localtime(opens_at)
    day = WorkingDayCalendar.load().add_working_days(local.date(), DEFAULT_WINDOW_WORKING_DAYS)
    return timezone.make_aware(dt.datetime.combine(day, DEFAULT_CLOSE_TIME))


def _ensure_secretariat(user: User, action: str) -> None:
    require(user, SECRETARIAT, doing=action, rule="13.4")


def _window(
    opens_at: dt.datetime | None, closes_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    opens_at = opens_at or timezone.now()
    closes_at = closes_at or default_closes_at(opens_at)
    if closes_at <= opens_at:
        raise DomainError("The voting window must close after it opens.", field="closes_at")
    return opens_at, closes_at


def _create_ballot(**fields: Any) -> Ballot:
    try:
        with transaction.atomic():
            return Ballot.objects.create(**fields)
    except IntegrityError:
        raise Conflict(
            f"{fields['reference']} already has an open vote; close or void it first.",
            field="reference",
        )


def ballot_open(
    *,
    by: User,
    reference: str,
    matter: str,
    eligible: Sequence[str],
    options: Sequence[str] = ("proposal",),
    option_texts: dict[str, str] | None = None,
    implementation_date: dt.date | None = None,
    title: str = "",
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    reminder_days: Sequence[int] | None = None,
    proposal: Any = None,
    change_report: Any = None,
    date_only: bool = False,
) -> Ballot:
    """Put a Change Report to the vote of the Parties (12.4-12.6, 11.23).

    Questions: the variation (accept/reject, or reject all / exactly one of the proposal and up to
    two alternatives) and the implementation date; `date_only` for a re-vote on a new date (14.3).
    """
    _ensure_secretariat(by, "open a vote")
    if matter not in Matter.values:
        raise DomainError("Say whether this is a Part 1 or a Part 2 Matter.", field="matter")
    eligible = [e for e in dict.fromkeys(eligible)]
    unknown = [e for e in eligible if e not in ELIGIBLE_CHOICES]
    if unknown:
        raise DomainError(f"Unknown Party Category: {', '.join(unknown)}.", field="eligible")
    if not eligible:
        raise DomainError("The Change Report names no eligible Party Category.", field="eligible")
    options = list(options)
    if not options or len(options) > 3 or len(set(options)) != len(options) or "reject" in options:
        raise DomainError(
            "A vote offers the proposal and at most two alternatives (11.23).", field="options"
        )
    opens_at, closes_at = _window(opens_at, closes_at)
    reference = reference.strip()
    with transaction.atomic():
        ballot = _create_ballot(
            kind=BallotKind.PARTY_VOTE,
            reference=reference,
            title=title or f"Party vote on {reference}",
            matter=matter,
            eligible=eligible,
            roll_date=timezone.localtime(opens_at).date(),
            opens_at=opens_at,
            closes_at=closes_at,
            reminder_days=list(
                reminder_days if reminder_days is not None else default_reminder_days()
            ),
            opened_by=by,
            **_changes_links(proposal, change_report),
        )
        questions = []
        if not date_only:
            questions.append(
                Question(
                    ballot=ballot,
                    position=1,
                    kind=QuestionKind.VARIATION,
                    text=(
                        f"Do you accept the proposed variation in {reference}?"
                        if len(options) == 1
                        else f"Reject all, or accept exactly one of the variations in {reference}"
                    ),
                    options=options,
                    option_texts=option_texts or {},
                )
            )
        date_text = f" ({implementation_date:%d %B %Y})" if implementation_date else ""
        questions.append(
            Question(
                ballot=ballot,
                position=2,
                kind=QuestionKind.DATE,
                text=f"Do you accept the proposed implementation date{date_text}?",
                options=["proposal"],
                implementation_date=implementation_date,
            )
        )
        Question.objects.bulk_create(questions)
        roll = freeze_roll(ballot, eligible, Purpose.CHANGE_VOTE)
        audit_record(
            actor=by,
            action=VotingAction.BALLOT_OPEN,
            target=ballot,
            data={
                "eligible": eligible,
                "options": options,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
                "roll_groups": len(roll),
            },
        )
        if proposal is not None:
            # The proposal moves from "awaiting vote" to "voting" in this transaction; if it
            # cannot (a DomainError naming the rule), nothing is opened.
            proposal_voting_opened(
                proposal=proposal,
                by=by,
                ballot_reference=f"ballot {ballot.pk}",
                opens_at=opens_at,
                closes_at=closes_at,
            )
    return ballot


def _changes_links(proposal: Any, change_report: Any) -> dict[str, Any]:
    return {"proposal": proposal, "change_report": change_report}


def ballot_open_for_proposal(
    *,
    proposal: Any,
    by: User,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    reminder_days: Sequence[int] | None = None,
) -> Ballot:
    """Open the vote on a proposal the Panel submitted to the Voting Procedure (11.22.2, 12.4).

    Everything comes from the latest Change Report: eligible categories (IDNO and OTSO
    separately), the variation and its lettered alternatives (11.23), the implementation date.
    The changes app refuses if the proposal is not awaiting its vote (the 7-day wait is its guard).
    """
    report = proposal.reports.order_by("-version").first()
    if report is None:
        raise DomainError(
            f"{proposal.reference} has no Change Report to vote on.", field="proposal"
        )
    if proposal.part not in (1, 2):
        raise DomainError(
            f"The Panel has not decided whether {proposal.reference} is Part 1 or Part 2.",
            field="proposal",
        )
    alternatives = list(report.alternatives.exclude(letter="").order_by("letter"))
    options = ["proposal", *[a.letter for a in alternatives]]
    texts = {"proposal": f"{proposal.reference} as proposed"}
    texts.update({a.letter: f"Alternative {a.letter}: {a.description[:200]}" for a in alternatives})
    return ballot_open(
        by=by,
        reference=proposal.reference,
        title=f"Party vote on {proposal.reference}: {proposal.title}"[:300],
        matter=f"part{proposal.part}",
        eligible=list(report.eligible_categories),
        options=options,
        option_texts=texts,
        implementation_date=report.implementation_date,
        opens_at=opens_at,
        closes_at=closes_at,
        reminder_days=reminder_days,
        proposal=proposal,
        change_report=report,
        date_only=bool(proposal.date_only_vote),
    )


def ballot_open_election(
    *,
    by: User,
    reference: str,
    title: str,
    category: str,
    candidates: Sequence[str],
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Ballot:
    """A Panel election among a category's Groups (6.2): one unweighted vote per Group."""
    _ensure_secretariat(by, "open an election")
    if len(set(candidates)) != len(candidates) or len(candidates) < 2:
        raise DomainError("An election needs two or more different candidates.", field="candidates")
    eligible = ["IDNO", "OTSO"] if category == Category.IDNO_OTSO else [category]
    opens_at, closes_at = _window(opens_at, closes_at)
    with transaction.atomic():
        ballot = _create_ballot(
            kind=BallotKind.ELECTION,
            reference=reference,
            title=title,
            eligible=eligible,
            roll_date=timezone.localtime(opens_at).date(),
            opens_at=opens_at,
            closes_at=closes_at,
            reminder_days=default_reminder_days(),
            opened_by=by,
        )
        Question.objects.create(
            ballot=ballot,
            position=1,
            kind=QuestionKind.ELECTION,
            text=title,
            options=list(candidates),
            weighted=False,
        )
        freeze_roll(ballot, eligible, Purpose.ELECTION)
        audit_record(
            actor=by, action=VotingAction.BALLOT_OPEN, target=ballot, data={"kind": "election"}
        )
    return ballot


def ballot_void(*, ballot: Ballot, by: User, reason: str) -> Ballot:
    """Mark a vote null and void (Authority direction to revise and resubmit, 13.12.1).

    Nothing is deleted: the roll, the votes, the log and any declaration stay as evidence.
    """
    require(by, SECRETARIAT_OR_AUTHORITY, doing="void a vote", rule="13.12")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Say why the vote is void (e.g. the Authority's direction).", field="reason"
        )
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.voided_at is not None:
            raise Conflict(f"The vote on {ballot.reference} is already void.", field="status")
        ballot.voided_at = timezone.now()
        ballot.void_reason = reason
        if ballot.status == BallotStatus.OPEN:
            ballot.status = BallotStatus.CLOSED
            ballot.closed_at = ballot.voided_at
            ballot.closed_by = by
        ballot.save()
        audit_record(
            actor=by, action=VotingAction.BALLOT_VOID, target=ballot, data={"reason": reason}
        )
    return ballot
