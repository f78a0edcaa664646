"""The deadline each state starts, in Working Days of the Agreement's calendar (10.12-13.18)."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from panel.calendar import WorkingDayCalendar

from .states import ASSESSMENT_TIMETABLE_STATES, RefusalGround, State


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DeadlineDue:
    what: str
    due_on: dt.date
    rule: str
    data: dict[str, Any] = field(default_factory=dict)


def panel_consideration_due(p: Any, cal: WorkingDayCalendar) -> DeadlineDue:
    """5 Working Days of submission if specified as urgent (10.4.8), else 25 (10.12)."""
    days = 5 if p.urgency_requested else 25
    return DeadlineDue(
        f"Panel to consider the proposal ({days} Working Days of submission)",
        cal.add_working_days(p.submitted_on, days),
        "10.12",
    )


def deadline_for(
    p: Any, state: State, from_state: State, today: dt.date, cal: WorkingDayCalendar
) -> DeadlineDue | None:
    if state in (State.SUBMITTED, State.WITH_PANEL) and not p.authority_directed_acceptance:
        return panel_consideration_due(p, cal)
    if state == State.WITH_PANEL:
        return DeadlineDue(
            "Panel to place the proposal into the Assessment Process as directed",
            cal.add_working_days(today, 25),
            "10.21",
        )
    if state == State.REFUSED and from_state == State.WITH_PANEL:
        if p.refusal_ground in (RefusalGround.DUPLICATE, RefusalGround.OUT_OF_SCOPE):
            return DeadlineDue(
                "Proposer may ask the Authority to direct acceptance",
                cal.add_working_days(today, 10),
                "10.19",
            )
    if state == State.REFERRED_TO_AUTHORITY:
        return DeadlineDue(
            "Authority to direct acceptance or not", cal.add_working_days(today, 10), "10.21"
        )
    if state in (State.ACCEPTED_APPEAL_WINDOW, State.REJECTED_APPEAL_WINDOW):
        return DeadlineDue(
            "Appeals to the Authority close", cal.add_working_days(today, 10), "13.18"
        )
    if state == State.WITHDRAWN:
        return DeadlineDue(
            "Any Party may adopt the withdrawn proposal", cal.add_working_days(today, 10), "11.31"
        )
    if state in ASSESSMENT_TIMETABLE_STATES or state == State.DATE_REASSESSMENT:
        for stage in p.timetable or []:
            if not stage.get("actual"):
                return DeadlineDue(
                    f"Timetable: {stage['stage']}",
                    dt.date.fromisoformat(stage["planned"]),
                    "11.10-11.13",
                )
    return None


# Where each state stands in the Assessment Process (11.10-11.24), in order; the stages of a
# timetable are matched to these by their names (the Panel names them in its own words).
_PHASE_OF_STATE = {
    State.DEFINITION: 1,
    State.REPORT_PHASE: 2,
    State.REPORT_ISSUED: 3,
    State.AWAITING_VOTE: 4,
    State.VOTING: 4,
    State.DATE_REASSESSMENT: 4,
    State.AWAITING_AUTHORITY: 5,
    State.ACCEPTED_APPEAL_WINDOW: 6,
    State.REJECTED_APPEAL_WINDOW: 6,
    State.UNDER_APPEAL: 6,
    State.APPROVED: 6,
    State.IMPLEMENTING: 6,
    State.IMPLEMENTED: 6,
    State.REJECTED: 6,
}
# (words in the stage's name, the phase it belongs to); the first match wins.
_PHASE_OF_STAGE = (
    (("working group", "definition", "consultation", "assessment"), 1),
    (("vot",), 4),
    (("authority", "decision", "determination"), 5),
    (("panel",), 3),
    (("report",), 2),
)


def stage_phase(name: str) -> int | None:
    """The phase a timetable stage belongs to by its name, or None if the name says nothing."""
    words = name.lower()
    for keys, phase in _PHASE_OF_STAGE:
        if any(key in words for key in keys):
            return phase
    return None


def end_stages(timetable: list | None, from_state: State, target: State, on: dt.date) -> list:
    """The timetable with the `actual` end recorded (system date) of each stage the proposal has
    now left (11.10-11.13), so that only stages still running set the deadline.

    A stage ends when the proposal moves on to a later phase than the stage's; a stage whose name
    says nothing of its phase ends when a later stage in the list ends (the list is in order).
    A move back (11.22.1, 13.11A) or out of the process (withdrawal, a Significant Code Review)
    ends nothing: the Panel varies the timetable (11.12) if it must.
    """
    stages = [dict(stage) for stage in timetable or []]
    before, after = _PHASE_OF_STATE.get(from_state), _PHASE_OF_STATE.get(target)
    if after is None or (before is not None and after <= before):
        return stages
    ended = [
        not stage.get("actual")
        and (phase := stage_phase(str(stage.get("stage", "")))) is not None
        and phase < after
        for stage in stages
    ]
    last = max((i for i, e in enumerate(ended) if e), default=-1)
    for i, stage in enumerate(stages):
        if stage.get("actual"):
            continue
        if ended[i] or (i < last and stage_phase(str(stage.get("stage", ""))) is None):
            stage["actual"] = on.isoformat()
    return stages
