"""The pure election rules (6.2.1-6.2.7): dates in Working Days and the ranking, with no Django."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from voting.election_rules import election_dates, rank


def test_the_election_rules_import_no_django() -> None:
    code = "import sys, voting.election_rules; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_closure_day_moves_every_date_back_one_working_day() -> None:
    plain = election_dates(2026)
    closed = election_dates(2026, [dt.date(2026, 11, 2)])  # a closure in the counted span
    assert closed.nominations_close == plain.nominations_close - dt.timedelta(days=1)
    assert closed.candidates_notice_by == plain.candidates_notice_by - dt.timedelta(days=1)


def test_a_tie_for_the_last_office_needs_a_run_off_among_the_tied_only() -> None:
    first = rank(["a", "b", "c"], [{"a": 5, "b": 3, "c": 3}], seats=2)
    assert first.elected == ("a",) and first.runoff == ("b", "c") and not first.decided
    settled = rank(["a", "b", "c"], [{"a": 5, "b": 3, "c": 3}, {"b": 2, "c": 4}], seats=2)
    assert settled.decided and settled.elected == ("a", "c")
    assert settled.tiers == (("a",), ("c",), ("b",))
