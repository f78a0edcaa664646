"""The deadline each state starts, in Working Days of the Agreement's calendar (10.12-13.18)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from panel.calendar import WorkingDayCalendar

from .states import ASSESSMENT_TIMETABLE_STATES, RefusalGround, State


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
