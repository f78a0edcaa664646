"""Demo data for voting: one open vote with a few Groups voted, and one declared vote.

Runs after changes.demo.seed_changes (seed_demo). Idempotent: a proposal that already has a
ballot is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from changes.models import ChangeProposal
from changes.states import State
from panel.models import PartyRepresentative, Role, User

from .models import Ballot, BallotStatus, RollEntry
from .services import ballot_open, ballot_open_for_proposal, ballots_close_due, vote_cast

OPEN_TITLE = "Update references to the Retail Energy Code"
DECLARED_TITLE = "Curtailable connections: charging for non-firm access"


def _secretariat() -> User | None:
    return (
        User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _voter_for(entry: RollEntry) -> User:
    """The Group's first confirmed authorised voter, or a demo one."""
    member = entry.members.select_related("party").order_by("party__name").first()
    assert member is not None
    link = (
        PartyRepresentative.objects.filter(
            party=member.party, authorised_voter=True, confirmed_at__isnull=False
        )
        .select_related("user")
        .first()
    )
    if link is not None:
        return link.user
    user, _ = User.objects.get_or_create(
        username=f"demo-voter-{member.party.short_code.lower()}",
        defaults={
            "role": Role.PARTY_REPRESENTATIVE,
            "email": f"voter@{member.party.short_code.lower()}.example",
        },
    )
    PartyRepresentative.objects.get_or_create(
        user=user,
        party=member.party,
        defaults={"authorised_voter": True, "confirmed_at": timezone.now()},
    )
    return user


def _cast_some(ballot: Ballot, count: int, pattern: list[str]) -> int:
    questions = list(ballot.questions.order_by("position"))
    cast = 0
    for i, entry in enumerate(ballot.roll.order_by("category", "group_name")[:count]):
        choice = pattern[i % len(pattern)]
        answers = {q.pk: (choice if q.kind == "variation" else "accept") for q in questions}
        vote_cast(
            ballot=ballot,
            roll_entry=entry,
            by=_voter_for(entry),
            answers=answers,
            reason="Better facilitates General Objective 1." if choice != "reject" else "",
            second_factor=True,  # seeding acts for the demo voters
        )
        cast += 1
    return cast


def seed_voting(*, stdout: Any = None) -> int:
    secretariat = _secretariat()
    if secretariat is None:
        return 0
    made = 0
    ready = ChangeProposal.objects.filter(title=OPEN_TITLE).first()
    if ready is not None and not Ballot.objects.filter(reference=ready.reference).exists():
        if ready.status == State.AWAITING_VOTE:
            ballot = ballot_open_for_proposal(proposal=ready, by=secretariat)
            _cast_some(ballot, 6, ["accept", "accept", "reject"])
            made += 1
    running = ChangeProposal.objects.filter(title=DECLARED_TITLE).first()
    if running is not None and not Ballot.objects.filter(reference=running.reference).exists():
        report = running.reports.order_by("-version").first()
        now = timezone.now()
        ballot = ballot_open(
            by=secretariat,
            reference=running.reference,
            title=f"Party vote on {running.reference}: {running.title}"[:300],
            matter=f"part{running.part or 2}",
            eligible=list(report.eligible_categories) if report else ["DNO", "SUPPLIER"],
            implementation_date=report.implementation_date if report else None,
            opens_at=now - dt.timedelta(days=21),
            closes_at=now + dt.timedelta(minutes=5),
        )
        # The proposal is already in "voting" in the changes demo: link it without a transition.
        Ballot.objects.filter(pk=ballot.pk).update(proposal=running, change_report=report)
        ballot.refresh_from_db()
        _cast_some(ballot, 12, ["accept", "accept", "accept", "reject"])
        ballots_close_due(now=ballot.closes_at)  # the scheduled close, as at the closing time
        made += 1
    if stdout is not None:
        opened = Ballot.objects.filter(status=BallotStatus.OPEN).count()
        stdout.write(f"Voting: {made} ballots created; {opened} open.")
    return made
