"""Working Days (definition of Working Day; Electricity Act 1989 s.64).

A Working Day is any day other than a Saturday, a Sunday, Christmas Day, Good Friday or a day
that is a bank holiday in England and Wales. That is the whole definition: a day the
Secretariat's office is closed (`panel.models.ClosureDay`) is still a Working Day, so it never
stretches a Party's window or a deadline of the agreement. The pure functions still take a set
of further days to skip, for planning the Secretariat's own work.

Counting convention used by every deadline: "within N Working Days of day D" ends on
`add_working_days(D, N)`: the N-th Working Day after D (D itself is not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from dateutil.easter import easter

NO_CLOSURES: frozenset[dt.date] = frozenset()


@lru_cache(maxsize=64)
def statutory_non_working_days(year: int) -> frozenset[dt.date]:
    """Bank holidays in England and Wales, plus Christmas Day and Good Friday in any case.

    Christmas Day and Good Friday are named in s.64 itself, so they are excluded even in a year
    where the holiday calendar moves the public holiday to a substitute day.
    """
    days = set(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
    days.add(dt.date(year, 12, 25))
    days.add(easter(year) - dt.timedelta(days=2))
    return frozenset(days)


def is_working_day(day: dt.date, closures: Iterable[dt.date] = NO_CLOSURES) -> bool:
    if day.weekday() >= 5:
        return False
    if day in statutory_non_working_days(day.year):
        return False
    return day not in closures


def add_working_days(day: dt.date, n: int, closures: Iterable[dt.date] = NO_CLOSURES) -> dt.date:
    """The n-th Working Day after `day` (before it when n is negative); `day` itself for n=0."""
    closures = frozenset(closures)
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current, closures):
            remaining -= 1
    return current


def next_working_day(day: dt.date, closures: Iterable[dt.date] = NO_CLOSURES) -> dt.date:
    """`day` if it is a Working Day, else the next one."""
    closures = frozenset(closures)
    while not is_working_day(day, closures):
        day += dt.timedelta(days=1)
    return day


def working_days_between(
    start: dt.date, end: dt.date, closures: Iterable[dt.date] = NO_CLOSURES
) -> int:
    """Working Days d with start < d <= end (negative when end is before start)."""
    closures = frozenset(closures)
    if end < start:
        return -working_days_between(end, start, closures)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, closures):
            count += 1
    return count


def first_working_day_of_month(
    year: int, month: int, closures: Iterable[dt.date] = NO_CLOSURES
) -> dt.date:
    return next_working_day(dt.date(year, month, 1), closures)


# The register (panel.models.closure_days) installs the reader of the Secretariat's closure days.
_closure_loader: list[Callable[[], Iterable[dt.date]]] = [lambda: NO_CLOSURES]


def install_closure_loader(loader: Callable[[], Iterable[dt.date]]) -> None:
    """Tell `WorkingDayCalendar.load` where the closure days are kept."""
    _closure_loader[0] = loader


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Working Day arithmetic; `office()` also skips the Secretariat's closure days."""

    closures: frozenset[dt.date] = field(default=NO_CLOSURES)

    @classmethod
    def load(cls) -> WorkingDayCalendar:
        """The calendar of the agreement's Working Days: the statutory definition only (no query).
        The Secretariat's closure days do not change it (see the module's docstring)."""
        return cls()

    @classmethod
    def office(cls) -> WorkingDayCalendar:
        """The Secretariat's own working calendar: Working Days less its closure days."""
        return cls(frozenset(_closure_loader[0]()))

    def is_working_day(self, day: dt.date) -> bool:
        return is_working_day(day, self.closures)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        return add_working_days(day, n, self.closures)

    def next_working_day(self, day: dt.date) -> dt.date:
        return next_working_day(day, self.closures)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        return working_days_between(start, end, self.closures)

    def first_working_day_of_month(self, year: int, month: int) -> dt.date:
        return first_working_day_of_month(year, month, self.closures)
