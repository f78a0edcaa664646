"""The whole dashboard, and who may read it: a fixed number of queries whatever the register holds.

Read by Panel Members and Alternates, the Secretariat and the Authority: the readers of the
Panel's own business.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from panel import access
from panel.calendar import WorkingDayCalendar
from voting.selectors import ElectionSummary

from .proposals import DueRow, StateCount, deadlines_due, proposals_by_state
from .schedule import Upcoming, elections, upcoming
from .stages import StageTimes, stage_chart_rows, stage_times
from .votes import DeclarationRow, OpenVote, open_votes, recent_declarations

READERS = access.PANEL_BUSINESS


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
    elections: list[ElectionSummary]

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
        elections=elections(today),
    )
