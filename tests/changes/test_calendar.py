"""Working Days (Electricity Act s.64), hand-checked against the `holidays` package (England).

2027: Good Friday is Friday 26 March, Easter Monday is Monday 29 March.
2026: Christmas Day is Friday 25 December; Boxing Day (Saturday 26th) is substituted by
Monday 28 December; New Year's Day 2027 is Friday 1 January.
2021: Christmas Day is Saturday 25 December, substituted by Monday 27 December; Boxing Day
substituted by Tuesday 28 December.
"""

import datetime as dt

import holidays
import pytest

from panel.calendar import (
    WorkingDayCalendar,
    add_working_days,
    first_working_day_of_month,
    is_working_day,
    next_working_day,
    statutory_non_working_days,
    working_days_between,
)

D = dt.date


def test_the_stated_holidays_are_what_the_holidays_package_says():
    eng = holidays.country_holidays("GB", subdiv="ENG", years=[2026, 2027])
    assert eng[D(2027, 3, 26)] == "Good Friday"
    assert eng[D(2027, 3, 29)] == "Easter Monday"
    assert eng[D(2026, 12, 25)] == "Christmas Day"
    assert "Boxing Day" in eng[D(2026, 12, 28)]
    assert eng[D(2027, 1, 1)] == "New Year's Day"


@pytest.mark.parametrize(
    "day, working",
    [
        (D(2027, 3, 25), True),  # Thursday before Easter
        (D(2027, 3, 26), False),  # Good Friday
        (D(2027, 3, 27), False),  # Saturday
        (D(2027, 3, 28), False),  # Sunday
        (D(2027, 3, 29), False),  # Easter Monday
        (D(2027, 3, 30), True),
        (D(2026, 12, 24), True),
        (D(2026, 12, 25), False),  # Christmas Day, Friday
        (D(2026, 12, 28), False),  # Boxing Day substitute, Monday
        (D(2026, 12, 29), True),
        (D(2027, 1, 1), False),  # New Year's Day
        (D(2027, 1, 4), True),
    ],
)
def test_working_days_exclude_weekends_christmas_good_friday_and_bank_holidays(day, working):
    assert is_working_day(day) is working


def test_christmas_day_is_never_a_working_day_even_when_the_holiday_is_substituted():
    # 25 December 2021 was a Saturday (substitute Monday 27th): still excluded, as is the 27th.
    assert D(2021, 12, 25) in statutory_non_working_days(2021)
    assert not is_working_day(D(2021, 12, 27))
    assert not is_working_day(D(2021, 12, 28))
    assert is_working_day(D(2021, 12, 29))


def test_good_friday_is_excluded_in_every_year():
    for year in range(2020, 2040):
        good_friday = holidays.country_holidays("GB", subdiv="ENG", years=year).get_named(
            "Good Friday"
        )[0]
        assert not is_working_day(good_friday)


def test_ten_working_days_across_easter_2027():
    # From Monday 22 March 2027: 23, 24, 25, 30, 31 Mar, 1, 2, 5, 6, 7 Apr.
    assert add_working_days(D(2027, 3, 22), 10) == D(2027, 4, 7)


def test_ten_working_days_across_christmas_2026():
    # From Monday 21 Dec 2026: 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7 Jan 2027.
    assert add_working_days(D(2026, 12, 21), 10) == D(2027, 1, 7)


def test_five_and_twenty_five_working_days_from_a_submission():
    # 25, 30, 31 March, 1, 2 April.
    assert add_working_days(D(2027, 3, 24), 5) == D(2027, 4, 2)
    # 25 Working Days from Wed 24 March 2027 (two holidays on the way): Friday 30 April 2027.
    assert add_working_days(D(2027, 3, 24), 25) == D(2027, 4, 30)


def test_counting_backwards_and_between():
    assert add_working_days(D(2027, 3, 30), -1) == D(2027, 3, 25)
    assert add_working_days(D(2027, 3, 30), 0) == D(2027, 3, 30)
    assert working_days_between(D(2027, 3, 22), D(2027, 4, 7)) == 10
    assert working_days_between(D(2027, 4, 7), D(2027, 3, 22)) == -10
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1


def test_closure_days_are_not_working_days():
    closures = frozenset({D(2027, 3, 30)})
    assert not is_working_day(D(2027, 3, 30), closures)
    assert add_working_days(D(2027, 3, 25), 1, closures) == D(2027, 3, 31)
    assert next_working_day(D(2027, 3, 26), closures) == D(2027, 3, 31)


def test_first_working_day_of_the_month():
    assert first_working_day_of_month(2027, 1) == D(2027, 1, 4)  # Fri 1st is New Year's Day
    assert first_working_day_of_month(2026, 8) == D(2026, 8, 3)  # 1st is a Saturday
    assert first_working_day_of_month(2027, 4) == D(2027, 4, 1)  # Thursday
    assert first_working_day_of_month(2027, 4, {D(2027, 4, 1)}) == D(2027, 4, 2)


@pytest.mark.django_db
def test_a_closure_day_of_the_office_is_still_a_working_day(django_assert_num_queries):
    """The agreement defines Working Day (s.64): an office closure moves no window or deadline.
    A 10-Working-Day window from Friday 18 December 2026 ends on Wednesday 6 January 2027
    (Christmas Day, Boxing Day's substitute on 28 December and New Year's Day are not Working
    Days), closure on 29 December or not."""
    from panel.models import ClosureDay

    ClosureDay.objects.create(day=D(2026, 12, 29), reason="Office closed")
    with django_assert_num_queries(0):
        cal = WorkingDayCalendar.load()
    assert cal.is_working_day(D(2026, 12, 29))
    assert cal.add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)
    with django_assert_num_queries(1):
        office = WorkingDayCalendar.office()
    assert not office.is_working_day(D(2026, 12, 29))
