"""The Panel at work: what the Panel dashboard shows, read in a fixed number of queries.

One module per part of the page: proposals by state and deadlines (`proposals`), time in each
stage against the timetable (`stages`), open votes and declarations (`votes`), meetings and
elections (`schedule`), the whole page and its readers (`board`), the page and its CSV tables
(`views`), the SVG charts (`charts`). Working Days are counted by `panel.calendar`.
"""

from .board import READERS, Dashboard, dashboard
from .proposals import (
    DUE_WITHIN_WORKING_DAYS,
    DueRow,
    StateCount,
    deadlines_due,
    proposals_by_state,
)
from .schedule import Upcoming, elections, upcoming
from .stages import PHASE_LABELS, PHASES, StageSpan, StageTimes, stage_chart_rows, stage_times
from .votes import DeclarationRow, OpenVote, open_votes, recent_declarations

__all__ = [
    "DUE_WITHIN_WORKING_DAYS",
    "PHASES",
    "PHASE_LABELS",
    "READERS",
    "Dashboard",
    "DeclarationRow",
    "DueRow",
    "OpenVote",
    "StageSpan",
    "StageTimes",
    "StateCount",
    "Upcoming",
    "dashboard",
    "deadlines_due",
    "elections",
    "open_votes",
    "proposals_by_state",
    "recent_declarations",
    "stage_chart_rows",
    "stage_times",
    "upcoming",
]
