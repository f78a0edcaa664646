"""The law of Panel elections as plain data (6.2-6.3): the dates counted back from 1 December in
Working Days, and the ranking of candidates by votes with run-offs among the tied (6.2.7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from panel.calendar import NO_CLOSURES, add_working_days

NOMINATION_WORKING_DAYS = 40  # 6.2.1
NOTICE_WORKING_DAYS = 30  # 6.2.3
VOTING_WORKING_DAYS = 10  # 6.2.6
RUNOFF_WORKING_DAYS = 10  # 6.2.7: "such time period as the Panel Secretary may reasonably specify"


@dataclass(frozen=True)
class ElectionDates:
    vacancy_date: dt.date
    nominations_close: dt.date
    candidates_notice_by: dt.date
    planned_voting_closes: dt.date


def election_dates(year: int, closures: Iterable[dt.date] = NO_CLOSURES) -> ElectionDates:
    """6.2.1, 6.2.3, 6.2.6: counted back from 1 December in Working Days."""
    closures = frozenset(closures)
    december = dt.date(year, 12, 1)
    notice_by = add_working_days(december, -NOTICE_WORKING_DAYS, closures)
    return ElectionDates(
        vacancy_date=december,
        nominations_close=add_working_days(december, -NOMINATION_WORKING_DAYS, closures),
        candidates_notice_by=notice_by,
        planned_voting_closes=add_working_days(notice_by, VOTING_WORKING_DAYS, closures),
    )


@dataclass(frozen=True)
class Ranking:
    """The 6.2.7 list as tiers (candidates still equal after every round), best first."""

    tiers: tuple[tuple[str, ...], ...]
    elected: tuple[str, ...]
    runoff: tuple[str, ...]  # tied for the last office(s): a run-off among these only

    @property
    def decided(self) -> bool:
        return not self.runoff


def _tiers(candidates: Sequence[str], counts: Mapping[str, int]) -> list[tuple[str, ...]]:
    by_votes: dict[int, list[str]] = {}
    for c in candidates:
        by_votes.setdefault(counts.get(c, 0), []).append(c)
    return [tuple(by_votes[v]) for v in sorted(by_votes, reverse=True)]


def rank(candidates: Sequence[str], rounds: Sequence[Mapping[str, int]], seats: int) -> Ranking:
    """Rank by votes; each later round re-orders the tier of exactly its candidates (6.2.7).

    The first `seats` candidates are elected (6.3.2); a tier that straddles the last office
    needs a run-off among its candidates only.
    """
    tiers = _tiers(candidates, rounds[0] if rounds else {})
    for counts in rounds[1:]:
        tied = set(counts)
        split: list[tuple[str, ...]] = []
        for tier in tiers:
            split.extend(_tiers(tier, counts) if set(tier) == tied else [tier])
        tiers = split
    elected: list[str] = []
    runoff: tuple[str, ...] = ()
    remaining = seats
    for tier in tiers:
        if remaining <= 0:
            break
        if len(tier) <= remaining:
            elected.extend(tier)
            remaining -= len(tier)
        else:
            runoff = tier
            break
    return Ranking(tiers=tuple(tiers), elected=tuple(elected), runoff=runoff)
