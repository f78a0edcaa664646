"""The Panel's pure rules, hand-worked from the text (7.10, 7.19, 7.4, 7.14, 7.21-7.22)."""

from __future__ import annotations

import datetime as dt

from panel.calendar import is_working_day
from panel.models import term_end_for
from panel.panel_rules import (
    Attendee,
    MeetingRecord,
    MemberOffice,
    assess_quorum,
    decide_panel_chair,
    decide_resolution,
    decide_written_resolution,
    latest_day_for_notice,
    missed_in_a_row,
    notice_is_enough,
    seat_holders,
    sig_chair_term_end,
    sig_majority_consensus,
    within_working_days,
)

D = dt.date
OFFICES = [
    MemberOffice(1, "D1", "DNO", (11,)),
    MemberOffice(2, "D2", "DNO", (12,)),
    MemberOffice(3, "I", "IDNO_OTSO", (13,)),
    MemberOffice(4, "S1", "SUPPLIER", (14,)),
    MemberOffice(5, "S2", "SUPPLIER", (15,)),
    MemberOffice(6, "C", "CVA", (16,)),
]


def member(i: int, c: str) -> Attendee:
    return Attendee(i, f"M{i}", False, c)


def alternate(i: int, c: str, acting_for: int | None) -> Attendee:
    return Attendee(i, f"A{i}", True, c, acting_for)


def test_quorum_is_four_members_including_a_dno_and_a_supplier_elected_member():
    present = [member(1, "DNO"), member(3, "IDNO_OTSO"), member(4, "SUPPLIER"), member(6, "CVA")]
    result = assess_quorum(seat_holders(OFFICES, present))
    assert result.quorate
    assert result.count == 4


def test_four_members_without_a_supplier_elected_member_are_not_quorate_and_say_why():
    present = [member(1, "DNO"), member(2, "DNO"), member(3, "IDNO_OTSO"), member(6, "CVA")]
    result = assess_quorum(seat_holders(OFFICES, present))
    assert not result.quorate
    assert result.explanation == (
        "No quorum: no Panel Member elected by the Supplier Parties is present (7.10)."
    )


def test_three_members_are_not_quorate():
    present = [member(1, "DNO"), member(4, "SUPPLIER"), member(6, "CVA")]
    result = assess_quorum(seat_holders(OFFICES, present))
    assert not result.quorate
    assert "3 Panel Members present; the quorum is four Panel Members (7.10)" in result.explanation


def test_an_alternate_acting_for_an_absent_member_counts_towards_the_quorum():
    present = [
        member(1, "DNO"),
        member(3, "IDNO_OTSO"),
        member(6, "CVA"),
        alternate(14, "SUPPLIER", acting_for=4),
    ]
    result = assess_quorum(seat_holders(OFFICES, present))
    assert result.quorate
    assert {h.member_id for h in result.holders} == {1, 3, 4, 6}
    assert [h.acting_id for h in result.holders if h.member_id == 4] == [14]


def test_an_alternate_beside_its_own_member_adds_nothing_to_the_quorum():
    present = [
        member(1, "DNO"),
        member(4, "SUPPLIER"),
        member(6, "CVA"),
        alternate(11, "DNO", acting_for=None),
    ]
    assert assess_quorum(seat_holders(OFFICES, present)).count == 3


def test_a_disqualified_member_is_replaced_by_its_alternate_if_present_54_7():
    present = [
        member(1, "DNO"),
        member(3, "IDNO_OTSO"),
        member(4, "SUPPLIER"),
        member(6, "CVA"),
        alternate(14, "SUPPLIER", acting_for=None),
    ]
    holders = seat_holders(OFFICES, present, disqualified={4})
    assert [h.acting_id for h in holders if h.member_id == 4] == [14]
    holders = seat_holders(OFFICES, present, disqualified={4, 14})
    assert 4 not in {h.member_id for h in holders}


def test_simple_majority_of_members_present():
    assert decide_resolution(5, {1: "FOR", 2: "FOR", 3: "FOR", 4: "AGAINST", 5: "AGAINST"}).passed
    # abstentions count as not voting for: 2 of 5 present is not a majority
    d = decide_resolution(5, {1: "FOR", 2: "FOR", 3: "ABSTAIN", 4: "ABSTAIN", 5: "AGAINST"})
    assert not d.passed
    assert "a simple majority needs 3" in d.outcome


def test_a_tie_fails_because_the_chair_has_no_casting_vote():
    d = decide_resolution(4, {1: "FOR", 2: "FOR", 3: "AGAINST", 4: "AGAINST"})
    assert not d.passed
    assert "the Panel Chair has no casting vote (7.4)" in d.outcome


def test_written_resolution_needs_every_panel_member():
    assert decide_written_resolution([1, 2, 3], [1, 2, 3]).passed
    assert not decide_written_resolution([1, 2, 3], [1, 2]).passed


def test_terms_end_on_1_december_of_the_second_year_after_appointment_6_7():
    assert term_end_for(D(2025, 12, 1)) == D(2027, 12, 1)
    assert term_end_for(D(2026, 3, 15)) == D(2028, 12, 1)


def test_notice_for_a_meeting_on_6_january_2027_across_christmas_bank_holidays():
    """Five clear Working Days before Wednesday 6 January 2027 (7.14).

    Counting back from the meeting: Tue 5 Jan (1), Mon 4 Jan (2), [Fri 1 Jan New Year's Day],
    Thu 31 Dec (3), Wed 30 Dec (4), Tue 29 Dec (5), [Mon 28 Dec Boxing Day substitute],
    [Sat 26, Sun 27], [Fri 25 Dec Christmas Day]: notice on Thu 24 December leaves five clear
    Working Days; notice on Tue 29 December leaves four.
    """
    for holiday in (D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)):
        assert not is_working_day(holiday)
    meeting = D(2027, 1, 6)
    assert latest_day_for_notice(meeting, 5) == D(2026, 12, 24)
    assert notice_is_enough(D(2026, 12, 23), meeting, 5)
    assert notice_is_enough(D(2026, 12, 24), meeting, 5)
    assert not notice_is_enough(D(2026, 12, 29), meeting, 5)


def test_minutes_and_objection_deadlines_count_working_days_7_21_7_22():
    # Meeting Wed 23 Dec 2026: minutes within five Working Days: 24, 29, 30, 31 Dec, 4 Jan.
    assert within_working_days(D(2026, 12, 23), 5) == D(2027, 1, 4)
    # Minutes received Thu 31 Dec: objections within five Working Days: 4, 5, 6, 7, 8 Jan.
    assert within_working_days(D(2026, 12, 31), 5) == D(2027, 1, 8)


def test_missed_meetings_in_a_row():
    records = [
        MeetingRecord(1, D(2026, 1, 1), False),
        MeetingRecord(2, D(2026, 2, 1), True),
        MeetingRecord(3, D(2026, 3, 1), False),
        MeetingRecord(4, D(2026, 4, 1), False),
        MeetingRecord(5, D(2026, 5, 1), False),
    ]
    assert missed_in_a_row(records, 3).meeting_id == 5
    assert missed_in_a_row(records, 2).meeting_id == 4
    assert missed_in_a_row(records[:4], 3) is None


def test_sig_rules():
    assert sig_chair_term_end(D(2026, 2, 1)) == D(2027, 2, 1)
    assert sig_majority_consensus(7, 4)
    assert not sig_majority_consensus(8, 4)


def test_panel_chair_needs_a_majority_of_all_panel_members_not_of_those_present():
    # 7.1: "a simple majority of the Panel Members"; 7.19 is of those present.
    five_present = {1: "FOR", 2: "FOR", 3: "FOR", 4: "AGAINST", 5: "AGAINST"}
    assert decide_resolution(5, five_present).passed
    assert not decide_panel_chair(6, five_present).passed
    assert decide_panel_chair(6, {**five_present, 6: "FOR"}).passed


def test_panel_chair_tie_fails_no_casting_vote():
    tie = {1: "FOR", 2: "FOR", 3: "FOR", 4: "AGAINST", 5: "AGAINST", 6: "AGAINST"}
    decision = decide_panel_chair(6, tie)
    assert not decision.passed and "no one has a casting vote (7.4)" in decision.outcome
