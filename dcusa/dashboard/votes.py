"""Open votes with their turnout, and the latest declarations (13.4.3).

Turnout is Groups voted / Groups on the roll per category, as `voting.selectors.turnout` counts
it: never a choice, a weight or an N (12.4; N is commercially sensitive).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from panel.calendar import WorkingDayCalendar
from panel.models import Category
from voting.models import Ballot, BallotKind, BallotStatus, Declaration, RollEntry
from voting.selectors import COMBINED_LABELS, OUTCOME_LABELS, CategoryTurnout

from .links import vote_url

RECENT_DECLARATIONS = 8
CATEGORY_ORDER = [c.value for c in Category]


@dataclass(frozen=True)
class OpenVote:
    pk: int
    reference: str
    title: str
    kind_label: str
    is_election: bool
    closes_at: dt.datetime
    working_days_left: int
    categories: tuple[CategoryTurnout, ...]
    url: str

    @property
    def groups_voted(self) -> int:
        return sum(c.groups_voted for c in self.categories)

    @property
    def eligible_groups(self) -> int:
        return sum(c.eligible_groups for c in self.categories)


def _turnouts() -> dict[int, list[CategoryTurnout]]:
    """Every open ballot's turnout per category, in one grouped query.

    A live (not superseded) vote by a roll Group on any question of the ballot counts that
    Group as having voted.
    """
    counts: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        RollEntry.objects.filter(ballot__status=BallotStatus.OPEN)
        .order_by()
        .values("ballot_id", "category")
        .annotate(
            total=Count("pk", distinct=True),
            voted=Count(
                "pk", filter=Q(votes__superseded_at=None, votes__isnull=False), distinct=True
            ),
        )
    ):
        counts[row["ballot_id"]][row["category"]] = (row["total"], row["voted"])
    return {
        ballot: [CategoryTurnout(c, Category(c).label, *per[c]) for c in CATEGORY_ORDER if c in per]
        for ballot, per in counts.items()
    }


def open_votes(today: dt.date, calendar: WorkingDayCalendar) -> list[OpenVote]:
    """Open ballots with Groups voted / Groups on the roll per category: two queries."""
    ballots = (
        Ballot.objects.filter(status=BallotStatus.OPEN)
        .only("pk", "kind", "reference", "title", "closes_at")
        .order_by("closes_at", "pk")
    )
    turnouts = _turnouts()
    out = []
    for b in ballots:
        closes_on = timezone.localtime(b.closes_at).date()
        election = b.kind == BallotKind.ELECTION
        out.append(
            OpenVote(
                pk=b.pk,
                reference=b.reference,
                title=b.title,
                kind_label="Panel election" if election else "Party vote",
                is_election=election,
                closes_at=b.closes_at,
                working_days_left=max(calendar.working_days_between(today, closes_on), 0),
                categories=tuple(turnouts.get(b.pk, ())),
                url="" if election else vote_url(b.reference),
            )
        )
    return out


@dataclass(frozen=True)
class DeclarationRow:
    reference: str
    title: str
    declared_at: dt.datetime
    outcome: str
    recommendation: bool
    url: str


def recent_declarations(limit: int = RECENT_DECLARATIONS) -> list[DeclarationRow]:
    """The latest declarations (13.4.3) and their published outcomes (one query)."""
    rows = (
        Declaration.objects.select_related("ballot")
        .defer("cases", "results", "workings")
        .order_by("-declared_at", "-pk")[:limit]
    )
    out = []
    for d in rows:
        outcome = COMBINED_LABELS.get(d.combined_outcome) or OUTCOME_LABELS.get(
            d.variation_outcome, d.variation_outcome or d.date_outcome or "Declared"
        )
        if d.ballot.is_void:
            outcome += " (vote void)"
        out.append(
            DeclarationRow(
                reference=d.ballot.reference,
                title=d.ballot.title,
                declared_at=d.declared_at,
                outcome=outcome,
                recommendation=d.recommendation,
                url=vote_url(d.ballot.reference) if d.ballot.kind == BallotKind.PARTY_VOTE else "",
            )
        )
    return out
