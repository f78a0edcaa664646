"""Proposals on the register by state, and their open deadlines overdue or due soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from changes.models import ChangeProposal
from changes.selectors import deadlines_open
from changes.states import State
from panel.calendar import WorkingDayCalendar

from .links import proposal_url

DUE_WITHIN_WORKING_DAYS = 10


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
