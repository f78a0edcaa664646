"""Reads that the voting pages, the API, the tasks and the declaration share."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

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


def live_votes(ballot: Ballot) -> QuerySet[Vote]:
    return (
        Vote.objects.filter(ballot=ballot, superseded_at=None)
        .select_related("question", "roll_entry", "log_entry")
        .order_by("roll_entry__category", "roll_entry__group_name", "question__position")
    )


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
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_secretariat or user.is_authority or user.is_panel)


def can_see_turnout(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_secretariat or user.is_panel or user.is_authority)


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


# -- publication (13.4.3) -------------------------------------------------------------------

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


def _public_categories(result: dict[str, Any]) -> list[dict[str, object]]:
    out = []
    for c in result.get("categories", []):
        out.append(
            {
                "category": c["category"],
                "label": Category(c["category"]).label,
                "counted": c["counted"],
                "groups_total": c["groups_total"],
                "groups_voted": c["groups_voted"],
                "options": {
                    label: {
                        "accept_groups": o["accept_groups"],
                        "accept_share": o["accept_share"],
                        "accept_weight": o["accept_weight"],
                        "passes": o["passes"],
                    }
                    for label, o in c.get("options", {}).items()
                },
            }
        )
    return out


def publication(ballot: Ballot, user: User | None) -> dict[str, object]:
    """What the vote page, its JSON and its CSV show to this user.

    Everyone: the window and status; after the declaration the result, per-category results and
    which Groups voted and how (13.4.3). Turnout before the declaration: Secretariat, Panel,
    Authority. N, Basic and Weighted Votes and the workings: Secretariat, Panel and Authority, and a
    Party's representatives for its own Groups only (commercially sensitive).
    """
    questions = list(ballot.questions.order_by("position"))
    data: dict[str, object] = {
        "reference": ballot.reference,
        "title": ballot.title,
        "kind": ballot.kind,
        "matter": ballot.matter,
        "status": ballot.status,
        "opens_at": ballot.opens_at.isoformat(),
        "closes_at": ballot.closes_at.isoformat(),
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "void": {"voided_at": ballot.voided_at.isoformat(), "reason": ballot.void_reason}
        if ballot.voided_at
        else None,
        "questions": [
            {"id": q.pk, "kind": q.kind, "text": q.text, "options": q.options} for q in questions
        ],
        "turnout": None,
        "declaration": None,
        "confidential": None,
    }
    declaration = Declaration.objects.filter(ballot=ballot).first()
    if declaration is None:
        if can_see_turnout(user):
            data["turnout"] = [t.__dict__ for t in turnout(ballot)]
        return data
    data["turnout"] = [t.__dict__ for t in turnout(ballot)]
    by_qid = {q.pk: q for q in questions}
    votes = list(live_votes(ballot))
    per_group: dict[int, dict[str, Any]] = {}
    for v in votes:
        row = per_group.setdefault(
            v.roll_entry_id,
            {
                "group": v.roll_entry.group_name,
                "category": v.roll_entry.category,
                "answers": {},
                "reason": "",
            },
        )
        row["answers"][v.question.kind] = by_qid[v.question_id].choice_label(v.choice)
        if v.reason:
            row["reason"] = v.reason
    data["declaration"] = {
        "declared_at": declaration.declared_at.isoformat(),
        "variation_outcome": declaration.variation_outcome,
        "selected_option": declaration.selected_option,
        "date_outcome": declaration.date_outcome,
        "combined_outcome": declaration.combined_outcome,
        "combined_label": (
            "Deemed a Part 1 Matter (13.7): the Parties are deemed to recommend rejection; "
            "the Authority decides"
            if declaration.variation_deemed_part1
            else COMBINED_LABELS.get(declaration.combined_outcome, "")
        ),
        "deemed_part1": declaration.deemed_part1,
        "recommendation": declaration.recommendation,
        "questions": [
            {
                "id": qid,
                "kind": by_qid[qid].kind,
                "text": by_qid[qid].text,
                "outcome": declaration.results[str(qid)].get("outcome"),
                "outcome_label": OUTCOME_LABELS.get(
                    str(declaration.results[str(qid)].get("outcome")), ""
                ),
                "counts": declaration.results[str(qid)].get("counts"),
                "categories": _public_categories(declaration.results[str(qid)]),
            }
            for qid in sorted(by_qid)
            if str(qid) in declaration.results
        ],
        "votes": sorted(
            per_group.values(), key=lambda r: (CATEGORY_ORDER.index(r["category"]), r["group"])
        ),
    }
    data["confidential"] = confidential_workings(ballot, declaration, user)
    return data


def confidential_workings(
    ballot: Ballot, declaration: Declaration, user: User | None
) -> dict[str, object] | None:
    """Each Group's N, Basic Vote and Weighted Vote, and the workings text, for those allowed."""
    from voting.tally import decide_case
    from voting.workings import explain, render_text

    from .services.declaring import case_labels

    if user is None or not user.is_authenticated:
        return None
    everything = can_see_confidential(user, ballot)
    own = (
        set()
        if everything
        else set(represented_roll_entries(user, ballot).values_list("pk", flat=True))
    )
    if not everything and not own:
        return None
    entries = list(RollEntry.objects.filter(ballot=ballot))
    label_of = case_labels(entries)
    entry_by_label = {(e.category, label_of[e.pk]): e for e in entries}
    questions = {str(q.pk): q for q in ballot.questions.all()}
    rows = []
    for qid, workings in declaration.workings.items():
        for c in workings.get("categories", []):
            for g in c.get("groups", []):
                e = entry_by_label.get((c["category"], g["group"]))
                if e is None or not (everything or e.pk in own):
                    continue
                rows.append(
                    {
                        "question": questions[qid].kind,
                        "group": e.group_name,
                        "category": e.category,
                        "n": e.n,
                        "vote": g.get("vote"),
                        "basic_vote": (g.get("basic_vote") or {}).get("percent"),
                        "weight": (g.get("weight") or {}).get("percent"),
                    }
                )
    text = ""
    if everything and ballot.kind == "PARTY_VOTE":
        text = "\n".join(
            f"== {questions[qid].text}\n{render_text(explain(decide_case(case)))}"
            for qid, case in declaration.cases.items()
        )
    return {"scope": "all" if everything else "own", "groups": rows, "workings_text": text}
