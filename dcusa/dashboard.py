"""The Panel at work: what the Panel dashboard shows, read in a fixed number of queries.

For Panel Members and Alternates, the Secretariat and the Authority (the same readers as the
Panel's own business, `panel.panel_selectors.can_read_panel_business`). Every count is made in
the database or from one fetch per table; the Working Day arithmetic is done in memory from one
load of the Secretariat's closure days. Turnout is Groups voted / Groups on the roll per
category: never a choice, a weight or an N (12.4; N is commercially sensitive).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from changes.models import ChangeProposal, ProposalEvent
from changes.selectors import deadlines_open
from changes.states import ASSESSMENT_TIMETABLE_STATES, TERMINAL, State
from panel.calendar import WorkingDayCalendar, is_working_day
from panel.governance import PanelMeeting
from panel.models import Category, User
from panel.panel_selectors import can_read_panel_business
from voting.models import Ballot, BallotKind, BallotStatus, Declaration, RollEntry
from voting.selectors import COMBINED_LABELS, OUTCOME_LABELS

DUE_WITHIN_WORKING_DAYS = 10
STAGE_CHART_ROWS = 20
RECENT_DECLARATIONS = 8
UPCOMING_ITEMS = 6


def can_see_dashboard(user: User | None) -> bool:
    """Panel Members, Alternates, the Secretariat and the Authority."""
    return can_read_panel_business(user)


def vote_url(reference: str) -> str:
    return f"/changes/{reference.replace(' ', '-')}/vote/"


def proposal_url(number: int | None) -> str:
    return f"/changes/DCP-{number}/" if number else ""


# -- Working Days counted in memory ------------------------------------------------------------


class WorkingDayCounter:
    """Working Days d with start < d <= end, in O(1) after one pass over the span of dates.

    Same convention as `panel.calendar.working_days_between` (negative when end < start).
    """

    def __init__(self, first: dt.date, last: dt.date, closures: Iterable[dt.date] = ()) -> None:
        self.first = first
        self.closures = frozenset(closures)
        self.cumulative = [0]
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            self.cumulative.append(self.cumulative[-1] + is_working_day(day, self.closures))

    def _upto(self, day: dt.date) -> int:
        index = (day - self.first).days
        if 0 <= index < len(self.cumulative):
            return self.cumulative[index]
        # Outside the prepared span: count the rest day by day (rare: future dates).
        from panel.calendar import working_days_between

        if index < 0:
            return -working_days_between(day, self.first, self.closures)
        last = self.first + dt.timedelta(days=len(self.cumulative) - 1)
        return self.cumulative[-1] + working_days_between(last, day, self.closures)

    def between(self, start: dt.date, end: dt.date) -> int:
        return self._upto(end) - self._upto(start)


# -- proposals by state ------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


def proposals_by_state() -> list[StateCount]:
    """Proposals on the register per state, in the order of the process (one query)."""
    counts = dict(
        ChangeProposal.objects.on_register()
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [StateCount(s.value, s.label, counts[s.value]) for s in State if counts.get(s.value)]


# -- deadlines overdue or due soon -------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    reference: str
    url: str
    title: str
    what: str
    rule: str
    due_on: dt.date
    overdue: bool
    working_days: int  # overdue by, or left

    @property
    def when_label(self) -> str:
        if self.overdue:
            return f"{self.working_days} Working Day{'s' * (self.working_days != 1)} overdue"
        if self.working_days == 0:
            return "due today"
        return f"{self.working_days} Working Day{'s' * (self.working_days != 1)} left"


def deadlines_due(
    today: dt.date, calendar: WorkingDayCalendar, within: int = DUE_WITHIN_WORKING_DAYS
) -> list[DueRow]:
    """Open deadlines overdue, or due within `within` Working Days of today (one query)."""
    horizon = calendar.add_working_days(today, within)
    rows = []
    for d in deadlines_open().filter(due_on__lte=horizon).exclude(proposal__status=State.DRAFT):
        p = d.proposal
        overdue = d.due_on < today
        days = (
            calendar.working_days_between(d.due_on, today)
            if overdue
            else calendar.working_days_between(today, d.due_on)
        )
        rows.append(
            DueRow(
                reference=p.reference,
                url=proposal_url(p.number),
                title=p.title,
                what=d.what,
                rule=d.rule,
                due_on=d.due_on,
                overdue=overdue,
                working_days=days,
            )
        )
    return sorted(rows, key=lambda r: (r.due_on, r.reference))


# -- time in each stage against the timetable ----------------------------------------------------

# Stages of the process as the dashboard groups the states (Clauses 10-14).
PHASES: tuple[tuple[str, str, frozenset[State]], ...] = (
    ("check", "Secretariat check", frozenset({State.SUBMITTED, State.REFUSED_INCOMPLETE})),
    (
        "panel",
        "Panel consideration",
        frozenset({State.WITH_PANEL, State.REFUSED, State.REFERRED_TO_AUTHORITY}),
    ),
    ("definition", "Definition Procedure", frozenset({State.DEFINITION})),
    ("report", "Change Report", frozenset({State.REPORT_PHASE, State.REPORT_ISSUED})),
    (
        "vote",
        "Voting",
        frozenset({State.AWAITING_VOTE, State.VOTING, State.DATE_REASSESSMENT}),
    ),
    (
        "decision",
        "Decision and appeals",
        frozenset(
            {
                State.AWAITING_AUTHORITY,
                State.ACCEPTED_APPEAL_WINDOW,
                State.REJECTED_APPEAL_WINDOW,
                State.UNDER_APPEAL,
            }
        ),
    ),
    ("implementation", "Implementation", frozenset({State.APPROVED, State.IMPLEMENTING})),
    ("paused", "Suspended or withdrawn", frozenset({State.SCR_SUSPENDED, State.WITHDRAWN})),
)
PHASE_OF: dict[str, str] = {s.value: key for key, _, states in PHASES for s in states}
PHASE_LABELS: dict[str, str] = {key: label for key, label, _ in PHASES}


@dataclass(frozen=True)
class StageSpan:
    state: str
    label: str
    phase: str
    entered_on: dt.date
    left_on: dt.date | None  # None: the stage it is in now
    working_days: int


@dataclass(frozen=True)
class StageTimes:
    """One proposal's stages from its events, and its Assessment Process against the timetable.

    The timetable (11.10-11.13) runs from acceptance to the last planned stage; it is compared
    with the Working Days spent in the states whose deadlines the timetable sets
    (`changes.states.ASSESSMENT_TIMETABLE_STATES`: Definition Procedure and Change Report).
    """

    reference: str
    url: str
    title: str
    status_label: str
    spans: tuple[StageSpan, ...]
    planned_working_days: int | None
    assessment_working_days: int
    in_assessment: bool
    working_days_before_assessment: int

    @property
    def total_working_days(self) -> int:
        return sum(s.working_days for s in self.spans)

    @property
    def by_phase(self) -> list[tuple[str, str, int]]:
        """(phase, label, Working Days), in the order of the process, phases visited only."""
        totals: dict[str, int] = defaultdict(int)
        for s in self.spans:
            totals[s.phase] += s.working_days
        return [(k, PHASE_LABELS[k], totals[k]) for k, _, _ in PHASES if k in totals]

    @property
    def phase_cells(self) -> list[tuple[str, str, int | None]]:
        """Every phase in order, None where the proposal has not been (a table row)."""
        visited = {k: days for k, _, days in self.by_phase}
        return [(k, label, visited.get(k)) for k, label, _ in PHASES]

    @property
    def variance(self) -> int | None:
        """Working Days over the plan (positive) or to spare (negative); None without a plan."""
        if self.planned_working_days is None:
            return None
        return self.assessment_working_days - self.planned_working_days

    @property
    def plan_label(self) -> str:
        v = self.variance
        if v is None:
            return "no timetable"
        if v > 0:
            return f"{v} over plan"
        if self.in_assessment:
            return f"on plan, {-v} left"
        return f"within plan by {-v}"

    @property
    def plan_marker(self) -> int | None:
        """Where the plan ends on the stacked bar (Working Days from submission)."""
        if self.planned_working_days is None:
            return None
        return self.working_days_before_assessment + self.planned_working_days


def _spans(
    events: Sequence[tuple[dt.date, str]], today: dt.date, count: WorkingDayCounter
) -> list[StageSpan]:
    """Stages from (day, state entered) rows in append order; a step to the same state is not a
    new stage (e.g. a timetable variation)."""
    entered: list[tuple[str, dt.date]] = []
    for on, to_state in events:
        if to_state == State.DRAFT:
            continue
        if entered and entered[-1][0] == to_state:
            continue
        entered.append((to_state, on))
    spans = []
    for i, (state, on) in enumerate(entered):
        last = i == len(entered) - 1
        left = None if last else entered[i + 1][1]
        end = left if left is not None else (on if state in TERMINAL else today)
        spans.append(
            StageSpan(
                state=state,
                label=State(state).label,
                phase=PHASE_OF.get(state, "paused"),
                entered_on=on,
                left_on=left,
                working_days=max(count.between(on, end), 0),
            )
        )
    return spans


def _planned_end(timetable: object) -> dt.date | None:
    days = []
    for stage in timetable if isinstance(timetable, list) else []:
        try:
            days.append(dt.date.fromisoformat(str(stage["planned"])))
        except (KeyError, TypeError, ValueError):
            continue
    return max(days) if days else None


def stage_times(
    today: dt.date, calendar: WorkingDayCalendar, *, include_closed: bool = False
) -> list[StageTimes]:
    """Live proposals (or all on the register) with their stage times: two queries."""
    proposals = ChangeProposal.objects.on_register()
    if not include_closed:
        proposals = proposals.exclude(status__in=[s.value for s in TERMINAL])
    proposals = proposals.only(
        "pk", "number", "title", "status", "timetable", "accepted_on", "submitted_on"
    ).order_by("number")
    rows = list(proposals)
    events: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for pid, on, to_state in (
        ProposalEvent.objects.filter(proposal__in=proposals.values("pk"))
        .order_by("proposal_id", "at", "pk")
        .values_list("proposal_id", "on", "to_state")
    ):
        events[pid].append((on, to_state))
    starts = [e[0][0] for e in events.values() if e] + [today]
    count = WorkingDayCounter(min(starts), today, calendar.closures)
    out = []
    timed = {s.value for s in ASSESSMENT_TIMETABLE_STATES}
    for p in rows:
        spans = _spans(events.get(p.pk, []), today, count)
        if not spans:
            continue
        in_assessment = [s for s in spans if s.state in timed]
        start = p.accepted_on or (in_assessment[0].entered_on if in_assessment else None)
        planned_end = _planned_end(p.timetable)
        planned = max(count.between(start, planned_end), 0) if start and planned_end else None
        before = count.between(spans[0].entered_on, start) if start else 0
        out.append(
            StageTimes(
                reference=p.reference,
                url=proposal_url(p.number),
                title=p.title,
                status_label=p.get_status_display(),
                spans=tuple(spans),
                planned_working_days=planned,
                assessment_working_days=sum(s.working_days for s in in_assessment),
                in_assessment=p.status in timed,
                working_days_before_assessment=max(before, 0),
            )
        )
    return out


def stage_chart_rows(rows: Sequence[StageTimes], limit: int = STAGE_CHART_ROWS) -> list[StageTimes]:
    """The proposals furthest behind their timetable first, then the longest in the process."""
    return sorted(
        rows,
        key=lambda r: (
            -(r.variance if r.variance is not None else -(10**6)),
            -r.total_working_days,
            r.reference,
        ),
    )[:limit]


# -- open votes and their turnout ------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTurnout:
    category: str
    label: str
    groups_voted: int
    groups_eligible: int


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
    def groups_eligible(self) -> int:
        return sum(c.groups_eligible for c in self.categories)


CATEGORY_ORDER = [c.value for c in Category]


def open_votes(today: dt.date, calendar: WorkingDayCalendar) -> list[OpenVote]:
    """Open ballots with Groups voted / Groups on the roll per category: two queries.

    Counts only: a live (not superseded) vote by a roll Group on any question of the ballot
    counts that Group as having voted, as in `voting.selectors.turnout`.
    """
    ballots = list(
        Ballot.objects.filter(status=BallotStatus.OPEN)
        .only("pk", "kind", "reference", "title", "closes_at")
        .order_by("closes_at", "pk")
    )
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
        counts[row["ballot_id"]][row["category"]] = (row["voted"], row["total"])
    out = []
    for b in ballots:
        per = counts.get(b.pk, {})
        closes_on = timezone.localtime(b.closes_at).date()
        out.append(
            OpenVote(
                pk=b.pk,
                reference=b.reference,
                title=b.title,
                kind_label="Panel election" if b.kind == BallotKind.ELECTION else "Party vote",
                is_election=b.kind == BallotKind.ELECTION,
                closes_at=b.closes_at,
                working_days_left=max(calendar.working_days_between(today, closes_on), 0),
                categories=tuple(
                    CategoryTurnout(c, Category(c).label, per[c][0], per[c][1])
                    for c in CATEGORY_ORDER
                    if c in per
                ),
                url=vote_url(b.reference) if b.kind == BallotKind.PARTY_VOTE else "",
            )
        )
    return out


# -- recent declarations ----------------------------------------------------------------------------


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


# -- upcoming meetings and elections ----------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    kind: str
    title: str
    on: dt.date
    detail: str
    url: str


ELECTION_DATE_FIELDS = ("voting_opens_on", "opens_on", "election_date", "held_on", "starts_on")


def _election_model() -> type | None:
    """The Panel election model, once an engineer adds it (guarded: it may not exist yet)."""
    for app_label in ("panel", "voting"):
        try:
            return apps.get_model(app_label, "Election")
        except LookupError:
            continue
    return None


def _elections_from_model(today: dt.date, limit: int) -> list[Upcoming]:
    model = _election_model()
    if model is None:
        return []
    names = {f.name for f in model._meta.get_fields()}  # type: ignore[attr-defined]
    field = next((n for n in ELECTION_DATE_FIELDS if n in names), None)
    if field is None:
        return []
    try:
        found = model.objects.filter(**{f"{field}__gte": today}).order_by(field)[:limit]  # type: ignore[attr-defined]
        return [
            Upcoming("Panel election", str(e), getattr(e, field), field.replace("_", " "), "")
            for e in found
        ]
    except Exception:  # noqa: BLE001 - a model still being built must not break the dashboard
        return []


def upcoming(today: dt.date, limit: int = UPCOMING_ITEMS) -> list[Upcoming]:
    """Panel meetings not yet held, and Panel elections to come: three queries at most."""
    items = []
    meetings = (
        PanelMeeting.objects.filter(
            meeting_date__gte=today,
            status__in=[PanelMeeting.Status.SCHEDULED, PanelMeeting.Status.NOTICE_GIVEN],
        )
        .annotate(n_papers=Count("papers", distinct=True), n_items=Count("agenda", distinct=True))
        .order_by("meeting_date", "starts_at")[:limit]
    )
    for m in meetings:
        detail = (
            f"{m.starts_at:%H:%M}, {m.venue}; {m.n_items} agenda item{'s' * (m.n_items != 1)}, "
            f"{m.n_papers} paper{'s' * (m.n_papers != 1)}"
        )
        items.append(
            Upcoming(
                "Panel meeting", m.reference, m.meeting_date, detail, f"/panel/meetings/{m.pk}/"
            )
        )
    for b in Ballot.objects.filter(
        kind=BallotKind.ELECTION, status=BallotStatus.OPEN, opens_at__gt=timezone.now()
    ).order_by("opens_at")[:limit]:
        items.append(
            Upcoming(
                "Panel election",
                b.title,
                timezone.localtime(b.opens_at).date(),
                f"voting opens {timezone.localtime(b.opens_at):%H:%M}",
                "",
            )
        )
    items.extend(_elections_from_model(today, limit))
    return sorted(items, key=lambda u: (u.on, u.kind, u.title))[:limit]


# -- everything ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    states: list[StateCount]
    due: list[DueRow]
    stages: list[StageTimes]
    stage_chart: list[StageTimes]
    votes: list[OpenVote]
    declarations: list[DeclarationRow]
    upcoming: list[Upcoming]

    @property
    def on_register(self) -> int:
        return sum(s.count for s in self.states)

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.due if d.overdue)

    @property
    def due_soon(self) -> int:
        return sum(1 for d in self.due if not d.overdue)


def dashboard(today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    calendar = WorkingDayCalendar.load()
    stages = stage_times(today, calendar)
    return Dashboard(
        today=today,
        states=proposals_by_state(),
        due=deadlines_due(today, calendar),
        stages=stages,
        stage_chart=stage_chart_rows(stages),
        votes=open_votes(today, calendar),
        declarations=recent_declarations(),
        upcoming=upcoming(today),
    )
