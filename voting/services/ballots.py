"""Opening a ballot with its frozen roll and its fixed window (12.4.1), and voiding it (13.11A)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from changes.services import proposal_voting_opened
from panel.access import SECRETARIAT, SECRETARIAT_OR_AUTHORITY, allowed, require
from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
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
from ..wording import when
from .notices import vote_open_notify
from .roll import freeze_roll

DEFAULT_WINDOW_WORKING_DAYS = 15
# The voting period is never shorter, unless the Authority directs otherwise (12.4.1).
MIN_WINDOW_WORKING_DAYS = 5
DEFAULT_CLOSE_TIME = dt.time(17, 0)


def default_reminder_days() -> list[int]:
    return list(getattr(settings, "VOTING_REMINDER_WORKING_DAYS", [3, 1]))


def default_closes_at(
    opens_at: dt.datetime, working_days: int = DEFAULT_WINDOW_WORKING_DAYS
) -> dt.datetime:
    """17:00 (UK time) on the 15th (or `working_days`th) Working Day after the day it opens."""
    local = timezone.localtime(opens_at)
    day = WorkingDayCalendar.load().add_working_days(local.date(), working_days)
    return timezone.make_aware(dt.datetime.combine(day, DEFAULT_CLOSE_TIME))


def _ensure_secretariat(user: User, action: str) -> None:
    require(user, SECRETARIAT, doing=action, rule="13.4")


def _window(
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    *,
    direction: str = "",
    minimum: bool = False,
) -> tuple[dt.datetime, dt.datetime]:
    """The window, fixed at the opening: at least 5 Working Days for a Party vote (`minimum`)
    unless the Authority's direction (`direction`, its reference) allows a shorter one."""
    opens_at = opens_at or timezone.now()
    closes_at = closes_at or default_closes_at(opens_at)
    if closes_at <= opens_at:
        raise DomainError("The voting window must close after it opens.", field="closes_at")
    earliest = default_closes_at(opens_at, MIN_WINDOW_WORKING_DAYS)
    if minimum and closes_at < earliest and not direction:
        raise DomainError(
            f"The voting period is at least {MIN_WINDOW_WORKING_DAYS} Working Days, so voting "
            f"closes no earlier than {when(earliest)}, unless the "
            "Authority directs otherwise: record its written direction and reference (12.4.1).",
            field="closes_at",
            rule="12.4.1",
        )
    return opens_at, closes_at


def _direction(by: User, direction: str) -> str:
    """The Authority's direction on the window: only the Authority, or the Secretariat recording
    its written direction with the reference, sets it."""
    direction = (direction or "").strip()
    if direction and not allowed(by, SECRETARIAT_OR_AUTHORITY):
        raise NotAllowed(
            "Only the Authority, or the Secretariat recording its written direction, may set "
            "a shorter voting period (12.4.1).",
            field="window_direction",
            rule="12.4.1",
        )
    if len(direction) > 300:
        raise DomainError(
            "Give the direction's reference and date in at most 300 characters.",
            field="window_direction",
        )
    return direction


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
    window_direction: str = "",
) -> Ballot:
    """Put a Change Report to the vote of the Parties (12.4-12.6, 11.23).

    Questions: the variation (accept/reject, or reject all / exactly one of the proposal and up to
    two alternatives) and the implementation date; `date_only` for a re-vote on a new date (14.3).
    The window is fixed here: 15 Working Days by default, at least 5 unless the Authority's
    direction (`window_direction`, its reference) allows less; it is never cut short. Each Party
    and each authorised voter is told the period (12.4.1), after the commit.
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
    direction = _direction(by, window_direction)
    opens_at, closes_at = _window(opens_at, closes_at, direction=direction, minimum=True)
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
            window_direction=direction,
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
                "window_direction": direction,
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
        vote_open_notify(ballot=ballot)
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
    window_direction: str = "",
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
    alternatives = list(
        report.alternatives.exclude(letter="").filter(voided_on=None).order_by("letter")
    )
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
        window_direction=window_direction,
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
    """Mark a vote null and void on the Authority's send-back (13.11A): the reason and the date are
    kept and every page treats it as void; a declared ballot stays declared (its record stands).

    Nothing is deleted: the roll, the votes, the log and any declaration stay as evidence.
    """
    require(by, SECRETARIAT_OR_AUTHORITY, doing="void a vote", rule="13.11A")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Say why the vote is void (e.g. the Authority's direction).", field="reason"
        )
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        return _void(ballot, by, reason)


def _void(ballot: Ballot, by: User | None, reason: str) -> Ballot:
    if ballot.voided_at is not None:
        raise Conflict(f"The vote on {ballot.reference} is already void.", field="status")
    ballot.voided_at = timezone.now()
    ballot.void_reason = reason
    if ballot.status == BallotStatus.OPEN:
        ballot.status = BallotStatus.CLOSED
        ballot.closed_at = ballot.voided_at
        ballot.closed_by = by
        ballot.close_reason = reason
    ballot.save()
    audit_record(actor=by, action=VotingAction.BALLOT_VOID, target=ballot, data={"reason": reason})
    return ballot


def ballots_void_on_send_back(*, proposal: Any, by: User | None, reasons: str, on: dt.date) -> int:
    """The Authority sent the proposal back to revise and resubmit (13.11A.1): the vote it was
    recommended on is null and void. Called by the changes app in the send-back's transaction
    (registered in VotingConfig.ready); how many ballots were voided."""
    ballots = list(
        Ballot.objects.select_for_update()
        .filter(proposal=proposal, kind=BallotKind.PARTY_VOTE, voided_at__isnull=True)
        .order_by("pk")
    )
    why = f"Sent back by the Authority on {on:%d %B %Y} to revise and resubmit (13.11A)"
    reason = f"{why}: {reasons.strip()}" if reasons.strip() else f"{why}."
    for ballot in ballots:
        _void(ballot, by, reason)
    return len(ballots)
