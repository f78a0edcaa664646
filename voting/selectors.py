"""Reads that the voting pages, the API, the tasks and the declaration share."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from panel.access import PANEL, SECRETARIAT_OR_AUTHORITY, allowed
from panel.models import Category, User

from .models import (
    Ballot,
    BallotStatus,
    Declaration,
    Election,
    ElectionRound,
    ElectionStatus,
    Question,
    RollEntry,
    RollMember,
    Vote,
)

CATEGORY_ORDER = [c.value for c in Category]


def normalise_reference(reference: str) -> str:
    """ "dcp-417", "DCP417", "DCP 417" -> "DCP 417" (the canonical form)."""
    match = re.fullmatch(r"\s*([A-Za-z]+)[\s_-]*(\d+[A-Za-z]?)\s*", reference or "")
    if not match:
        return (reference or "").strip()
    return f"{match.group(1).upper()} {match.group(2).upper()}"


def ballots_for_reference(reference: str) -> QuerySet[Ballot]:
    return (
        Ballot.objects.filter(reference=normalise_reference(reference))
        .select_related("declaration")
        .prefetch_related("questions")
        .order_by("-opens_at", "-pk")
    )


def current_ballot(reference: str) -> Ballot | None:
    """The ballot a proposal's vote page shows: the latest one that is not void, else the latest."""
    ballots = list(ballots_for_reference(reference))
    for ballot in ballots:
        if not ballot.is_void:
            return ballot
    return ballots[0] if ballots else None


def _voter_links_q(user: User, prefix: str = "") -> Q:
    p = f"{prefix}members__party__representatives__"
    return Q(
        **{
            f"{p}user": user,
            f"{p}authorised_voter": True,
            f"{p}confirmed_at__isnull": False,
        }
    )


def voter_roll_entries(user: User, ballot: Ballot | None = None) -> QuerySet[RollEntry]:
    """Roll Groups the user may vote for: a confirmed authorised voter of a member Party (12.4.5)."""
    if user is None or not user.is_authenticated:
        return RollEntry.objects.none()
    qs = RollEntry.objects.filter(_voter_links_q(user))
    if ballot is not None:
        qs = qs.filter(ballot=ballot)
    return (
        RollEntry.objects.filter(pk__in=qs.values("pk"))
        .select_related("ballot")
        .order_by("ballot", "category", "group_name")
    )


def is_authorised_voter_of(user: User, roll_entry: RollEntry) -> bool:
    """One query: is the user a confirmed authorised voter of a member Party of the Group?"""
    if user is None or not user.is_authenticated:
        return False
    return RollMember.objects.filter(
        roll_entry=roll_entry,
        party__representatives__user=user,
        party__representatives__authorised_voter=True,
        party__representatives__confirmed_at__isnull=False,
    ).exists()


def represented_roll_entries(user: User, ballot: Ballot) -> QuerySet[RollEntry]:
    """Roll Groups of a ballot with a member Party the user represents (voter or not)."""
    if user is None or not user.is_authenticated:
        return RollEntry.objects.none()
    return RollEntry.objects.filter(
        ballot=ballot, members__party__representatives__user=user
    ).distinct()


def case_labels(entries: list[RollEntry]) -> dict[int, str]:
    """The name each Group goes by in the case and the workings (unique within its category)."""
    seen: Counter[tuple[str, str]] = Counter((e.category, e.group_name) for e in entries)
    return {
        e.pk: e.group_name if seen[(e.category, e.group_name)] == 1 else f"{e.group_name} #{e.pk}"
        for e in entries
    }


def choices_published(ballot: Ballot) -> bool:
    """How each Group voted (choice and reason) is published with the declaration (13.4.3);
    before it nobody, the Secretariat included, sees a choice: turnout per category only."""
    return ballot.status == BallotStatus.DECLARED


def live_votes(ballot: Ballot) -> QuerySet[Vote]:
    """Every Group's standing vote, for the declaration and the checks; a page or the API reads
    `published_votes`, which is empty until the declaration."""
    return (
        Vote.objects.filter(ballot=ballot, superseded_at=None)
        .select_related("question", "roll_entry", "log_entry")
        .order_by("roll_entry__category", "roll_entry__group_name", "question__position")
    )


def published_votes(ballot: Ballot) -> QuerySet[Vote]:
    """The standing votes as published (13.4.3): none before the declaration (sealed)."""
    if not choices_published(ballot):
        return Vote.objects.none()
    return live_votes(ballot)


@dataclass(frozen=True)
class CategoryTurnout:
    category: str
    label: str
    eligible_groups: int
    groups_voted: int


def turnout(ballot: Ballot) -> list[CategoryTurnout]:
    """Groups voted / Groups on the roll, per category: all anyone sees while the window is open."""
    rows = (
        RollEntry.objects.filter(ballot=ballot)
        .values("category")
        .annotate(
            total=Count("pk", distinct=True),
            voted=Count(
                "pk", filter=Q(votes__superseded_at=None, votes__isnull=False), distinct=True
            ),
        )
    )
    by_cat = {r["category"]: r for r in rows}
    out = []
    for category in CATEGORY_ORDER:
        if category in by_cat:
            r = by_cat[category]
            out.append(CategoryTurnout(category, Category(category).label, r["total"], r["voted"]))
    return out


def open_ballots_for_voter(user: User) -> list[tuple[Ballot, list[RollEntry]]]:
    """Open ballots in which the user can vote, with their Groups."""
    entries = voter_roll_entries(user).filter(ballot__status=BallotStatus.OPEN)
    grouped: dict[int, list[RollEntry]] = defaultdict(list)
    ballots: dict[int, Ballot] = {}
    for entry in entries:
        grouped[entry.ballot_id].append(entry)
        ballots[entry.ballot_id] = entry.ballot
    return [(ballots[k], grouped[k]) for k in sorted(ballots, key=lambda k: ballots[k].closes_at)]


def past_ballots_for_voter(user: User) -> QuerySet[Ballot]:
    ids = voter_roll_entries(user).exclude(ballot__status=BallotStatus.OPEN).values("ballot_id")
    return Ballot.objects.filter(pk__in=ids).select_related("declaration").order_by("-closes_at")


def ballot_with_questions(pk: int) -> Ballot:
    return Ballot.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    ).get(pk=pk)


def can_see_confidential(user: User | None, ballot: Ballot) -> bool:
    """N, Basic and Weighted Votes and the workings: Secretariat, Panel and Authority only."""
    return can_see_turnout(user)


def can_see_turnout(user: User | None) -> bool:
    """Turnout before the declaration: the Secretariat, the Authority and the Panel."""
    return allowed(user, SECRETARIAT_OR_AUTHORITY) or allowed(user, PANEL)


def declarations() -> QuerySet[Declaration]:
    return Declaration.objects.select_related("ballot").order_by("-declared_at")


def due_for_close(now: object | None = None) -> QuerySet[Ballot]:
    return Ballot.objects.filter(status=BallotStatus.OPEN, closes_at__lte=now or timezone.now())


# -- Panel elections on the dashboard ----------------------------------------------------------

# A published result stays on the dashboard for this many days after its publication.
ELECTION_RECENT_DAYS = 30


@dataclass(frozen=True)
class ElectionSummary:
    """One Panel election as the dashboard lists it: its voting window, as dates (6.2.4-6.2.6)."""

    title: str
    status_label: str
    opens_at: dt.date
    closes_at: dt.date
    url: str


def _election_window(election: Election) -> tuple[dt.date, dt.date]:
    """The rounds' ballots once opened; before that the planned window (candidates notified by
    the 6.2.3 date, voting for 10 Working Days to the 6.2.6 date)."""
    ballots = [r.ballot for r in election.rounds.all()]
    if not ballots:
        return election.candidates_notice_by, election.planned_voting_closes
    opens = min(timezone.localtime(b.opens_at).date() for b in ballots)
    closes = max(timezone.localtime(b.closes_at).date() for b in ballots)
    return opens, closes


def dashboard_elections(*, today: dt.date) -> list[ElectionSummary]:
    """Elections not yet published (nominations, voting, counted, uncontested), and those whose
    result was published in the last ELECTION_RECENT_DAYS days; soonest window first. Two
    queries."""
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=ELECTION_RECENT_DAYS), dt.time.min)
    )
    elections = Election.objects.filter(
        ~Q(status=ElectionStatus.PUBLISHED) | Q(published_at__gte=since)
    ).prefetch_related(Prefetch("rounds", queryset=ElectionRound.objects.select_related("ballot")))
    out = []
    for election in elections:
        opens, closes = _election_window(election)
        out.append(
            ElectionSummary(
                title=str(election),
                status_label=election.get_status_display(),
                opens_at=opens,
                closes_at=closes,
                url=reverse("voting:election_detail", kwargs={"pk": election.pk}),
            )
        )
    return sorted(out, key=lambda e: (e.opens_at, e.title))


# -- the words of the outcomes (13.4.3) ------------------------------------------------------

OUTCOME_LABELS = {
    "recommend_accept": "Recommended for acceptance (Part 1: the Authority decides)",
    "recommend_reject": "Recommended for rejection (Part 1: the Authority decides)",
    "accepted": "Accepted",
    "rejected": "Rejected",
}
COMBINED_LABELS = {
    "accepted": "Variation and implementation date accepted",
    "revote_date": "Variation accepted, implementation date rejected: a new date goes to a vote (14.3)",
    "rejected": "Variation rejected: the proposal is rejected (14.4)",
}
