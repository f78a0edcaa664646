"""Time in each stage of the process against the Assessment Process timetable (11.10-11.13).

A proposal's stages are read from its events (the states it entered, in order); each stage's
length is counted in Working Days by `panel.calendar` with the Secretariat's closure days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from changes.models import ChangeProposal, ProposalEvent
from changes.states import ASSESSMENT_TIMETABLE_STATES, TERMINAL, State
from panel.calendar import WorkingDayCalendar

from .links import proposal_url

STAGE_CHART_ROWS = 20

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
    events: Sequence[tuple[dt.date, str]], today: dt.date, calendar: WorkingDayCalendar
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
                working_days=max(calendar.working_days_between(on, end), 0),
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
    out = []
    timed = {s.value for s in ASSESSMENT_TIMETABLE_STATES}
    for p in rows:
        spans = _spans(events.get(p.pk, []), today, calendar)
        if not spans:
            continue
        in_assessment = [s for s in spans if s.state in timed]
        start = p.accepted_on or (in_assessment[0].entered_on if in_assessment else None)
        planned_end = _planned_end(p.timetable)
        planned = (
            max(calendar.working_days_between(start, planned_end), 0)
            if start and planned_end
            else None
        )
        before = calendar.working_days_between(spans[0].entered_on, start) if start else 0
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
