"""The Panel's rules as pure functions: quorum, majority, who acts, deadlines (Clauses 6, 7, 54.7).

No Django here: callers fetch rows, convert them to these types, call, and store the result.

Counting "at least N Working Days' notice" (7.14, 7.12.2, 7.18) and "less than 10 Working Days
before" (Schedule 7, 8): we count clear Working Days, i.e. Working Days strictly between the day
notice is given and the day of the meeting. "Within N Working Days of D" (7.21, 7.22, 6.17,
Schedule 7, 7) ends on the N-th Working Day after D (`add_working_days`), as in panel.calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .calendar import NO_CLOSURES, add_working_days, working_days_between

QUORUM = 4  # 7.10
DNO = "DNO"
SUPPLIER = "SUPPLIER"

FOR, AGAINST, ABSTAIN = "FOR", "AGAINST", "ABSTAIN"


# --- who acts for each office, and the quorum (6.12-6.13, 7.10, 54.7) ---


@dataclass(frozen=True)
class MemberOffice:
    """A live Panel Member office on the day of the meeting."""

    member_id: int
    name: str
    constituency: str
    allocated_alternate_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Attendee:
    appointment_id: int
    name: str
    is_alternate: bool
    constituency: str
    acting_for: int | None = None  # for an Alternate: the absent member's office


@dataclass(frozen=True)
class SeatHolder:
    member_id: int
    constituency: str
    acting_id: int
    acting_name: str
    by_alternate: bool


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    holders: tuple[SeatHolder, ...]
    reasons: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.holders)

    @property
    def explanation(self) -> str:
        if self.quorate:
            return (
                f"Quorate: {self.count} Panel Members present, including at least one elected "
                "by the DNO Parties and one elected by the Supplier Parties (7.10)."
            )
        return " ".join(self.reasons)


def seat_holders(
    offices: Sequence[MemberOffice],
    attendees: Sequence[Attendee],
    disqualified: Iterable[int] = (),
) -> tuple[SeatHolder, ...]:
    """Who acts for each office: the member if present, else the Alternate acting for them.

    `disqualified` (54.7): appointment ids that may not act on a Clause 54 resolution; the
    member's Alternate present at the meeting acts in their place unless also disqualified.
    """
    barred = set(disqualified)
    present = {a.appointment_id: a for a in attendees}
    acting_for = {a.acting_for: a for a in attendees if a.is_alternate and a.acting_for}
    free_alternates = {a.appointment_id for a in attendees if a.is_alternate and not a.acting_for}
    holders: list[SeatHolder] = []
    for office in offices:
        candidates: list[Attendee] = []
        if office.member_id in present:
            candidates.append(present[office.member_id])
        if office.member_id in acting_for:
            candidates.append(acting_for[office.member_id])
        if office.member_id in present:  # 54.7: a present member's Alternate may step in
            candidates += [
                present[i] for i in office.allocated_alternate_ids if i in free_alternates
            ]
        chosen = next((c for c in candidates if c.appointment_id not in barred), None)
        if chosen is None:
            continue
        holders.append(
            SeatHolder(
                member_id=office.member_id,
                constituency=office.constituency,
                acting_id=chosen.appointment_id,
                acting_name=chosen.name,
                by_alternate=chosen.appointment_id != office.member_id,
            )
        )
    return tuple(holders)


def assess_quorum(holders: Sequence[SeatHolder]) -> QuorumResult:
    """Four Panel Members, at least one DNO-elected and one Supplier-elected (7.10, 6.12)."""
    reasons: list[str] = []
    if len(holders) < QUORUM:
        reasons.append(
            f"No quorum: {len(holders)} Panel Member{'s' if len(holders) != 1 else ''} present; "
            "the quorum is four Panel Members (7.10)."
        )
    constituencies = {h.constituency for h in holders}
    if DNO not in constituencies:
        reasons.append("No quorum: no Panel Member elected by the DNO Parties is present (7.10).")
    if SUPPLIER not in constituencies:
        reasons.append(
            "No quorum: no Panel Member elected by the Supplier Parties is present (7.10)."
        )
    return QuorumResult(quorate=not reasons, holders=tuple(holders), reasons=tuple(reasons))


# --- resolutions (7.4, 7.19, 7.20) ---


@dataclass(frozen=True)
class Decision:
    passed: bool
    present: int
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: str


def decide_resolution(present: int, choices: Mapping[int, str]) -> Decision:
    """Passed when a simple majority of the Panel Members present vote for it (7.19).

    The Chair has no casting vote (7.4): a tie fails. Abstaining counts as not voting for.
    """
    votes_for = sum(1 for c in choices.values() if c == FOR)
    against = sum(1 for c in choices.values() if c == AGAINST)
    abstain = sum(1 for c in choices.values() if c == ABSTAIN)
    passed = 2 * votes_for > present
    needed = present // 2 + 1
    if passed:
        outcome = f"Passed: {votes_for} of {present} Panel Members present voted for (7.19)."
    elif 2 * votes_for == present:
        outcome = (
            f"Not passed: {votes_for} of {present} voted for, a tie; the Panel Chair has no "
            "casting vote (7.4)."
        )
    else:
        outcome = (
            f"Not passed: {votes_for} of {present} Panel Members present voted for; "
            f"a simple majority needs {needed} (7.19)."
        )
    return Decision(passed, present, votes_for, against, abstain, outcome)


def decide_panel_chair(member_offices: int, choices: Mapping[int, str]) -> Decision:
    """The Panel Chair is appointed by a simple majority of the Panel Members (7.1).

    A majority of all the Panel Members in office, not only of those present; the Chair has no
    casting vote (7.4), so half of them is not enough.
    """
    votes_for = sum(1 for c in choices.values() if c == FOR)
    against = sum(1 for c in choices.values() if c == AGAINST)
    abstain = sum(1 for c in choices.values() if c == ABSTAIN)
    passed = 2 * votes_for > member_offices
    needed = member_offices // 2 + 1
    if passed:
        outcome = (
            f"Appointed: {votes_for} of the {member_offices} Panel Members voted for, "
            "a simple majority of the Panel Members (7.1)."
        )
    else:
        outcome = (
            f"Not appointed: {votes_for} of the {member_offices} Panel Members voted for; the "
            f"Panel Chair needs a simple majority of all the Panel Members, {needed} (7.1), and "
            "no one has a casting vote (7.4)."
        )
    return Decision(passed, len(choices), votes_for, against, abstain, outcome)


def decide_written_resolution(office_ids: Iterable[int], signed: Iterable[int]) -> Decision:
    """Valid only when signed by or on behalf of all the Panel Members (7.20)."""
    offices = set(office_ids)
    signatures = set(signed) & offices
    passed = bool(offices) and signatures == offices
    missing = len(offices - signatures)
    outcome = (
        f"Passed in writing: signed on behalf of all {len(offices)} Panel Members (7.20)."
        if passed
        else f"Not passed: a written resolution needs every Panel Member; {missing} did not sign (7.20)."
    )
    return Decision(passed, len(offices), len(signatures), 0, 0, outcome)


# --- vacancies (6.8.2) ---


@dataclass(frozen=True)
class MeetingRecord:
    """A duly convened meeting the person was due to attend, oldest first."""

    meeting_id: int
    day: dt.date
    attended: bool


def missed_in_a_row(records: Sequence[MeetingRecord], limit: int) -> MeetingRecord | None:
    """The meeting at which `limit` consecutive absences were reached (3 member, 2 Alternate)."""
    run = 0
    for record in records:
        run = 0 if record.attended else run + 1
        if run >= limit:
            return record
    return None


# --- deadlines ---


def clear_working_days(given: dt.date, meeting: dt.date, closures: Iterable[dt.date]) -> int:
    """Working Days strictly between the day notice is given and the day of the meeting."""
    if meeting <= given:
        return 0
    return working_days_between(given, meeting - dt.timedelta(days=1), closures)


def latest_day_for_notice(
    meeting: dt.date, working_days: int, closures: Iterable[dt.date] = NO_CLOSURES
) -> dt.date:
    """The last Working Day on which notice leaves `working_days` clear Working Days."""
    closures = frozenset(closures)
    nth_before = add_working_days(meeting, -working_days, closures)
    return add_working_days(nth_before, -1, closures)


def notice_is_enough(
    given: dt.date, meeting: dt.date, working_days: int, closures: Iterable[dt.date] = NO_CLOSURES
) -> bool:
    return clear_working_days(given, meeting, closures) >= working_days


def within_working_days(
    start: dt.date, working_days: int, closures: Iterable[dt.date] = NO_CLOSURES
) -> dt.date:
    """The last day of a period "within N Working Days of" start."""
    return add_working_days(start, working_days, closures)


def next_meeting_due_by(last_meeting: dt.date) -> dt.date:
    """The Panel meets at least once every three months (7.9)."""
    return last_meeting + relativedelta(months=3)


def sig_chair_term_end(appointed_on: dt.date) -> dt.date:
    """A 12-month term (Schedule 7, 4)."""
    return appointed_on + relativedelta(months=12)


def sig_majority_consensus(attending: int, in_favour: int) -> bool:
    """Recommendations by majority consensus of those attending (Schedule 7, 9)."""
    return attending > 0 and 2 * in_favour > attending
