"""The workings a Party checks its Weighted Vote with, and the words of the declaration."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voting.tally import decide_case
from voting.weighting import UndefinedVote
from voting.wording import category_words, option_words, passes_words, percent_words
from voting.workings import explain, group_steps, render_text


def case(ns: list[int]) -> dict:
    groups = [{"group": f"G{i}", "n": n, "vote": "accept"} for i, n in enumerate(ns)]
    return {"matter": "part2", "categories": [{"category": "SUPPLIER", "groups": groups}]}


def test_a_group_s_steps_show_each_round_as_the_agreement_works_it() -> None:
    # N = 45, 15, 10 x 4 (TN = 100). Round 1: G0 gives up 25% (SV), shared over XN = 55:
    # G1 gets 25% x 15/55 = 6.818182%, to 21.818182%. Round 2: G1 is cut to 20%, its 1.818182%
    # goes to the four below 20% (N 40): each ends at 10% + 4.545455% + 0.454545% = 15%.
    c = explain(decide_case(case([45, 15, 10, 10, 10, 10]))).categories[0]
    g1 = group_steps(c, "G1")
    assert (g1.total_n, g1.basic_vote) == (100, Fraction(15, 100))
    r1, r2 = g1.steps
    assert (r1.excess, r1.recipients_n, r1.change) == (Fraction(1, 4), 55, Fraction(3, 44))
    assert r2.change == Fraction(1, 5) - Fraction(15, 100) - Fraction(3, 44)
    g2 = group_steps(c, "G2")
    assert [s.change for s in g2.steps] == [Fraction(1, 22), Fraction(1, 220)]
    assert g2.weight == Fraction(3, 20)
    g0 = group_steps(c, "G0")
    assert [s.change for s in g0.steps] == [Fraction(-1, 4), None]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.integers(0, 9), st.integers(1, 10**7)), min_size=6, max_size=14))
def test_basic_vote_plus_every_round_is_the_weighted_vote(ns: list[int]) -> None:
    try:
        decision = decide_case(case(ns))
    except UndefinedVote:
        assume(False)
    c = explain(decision).categories[0]
    for g in c.groups:
        steps = group_steps(c, g.group)
        changes = [s.change for s in steps.steps if s.change is not None]
        assert steps.basic_vote is not None
        assert steps.basic_vote + sum(changes, Fraction(0)) == g.weight


def test_the_workings_text_reads_down_its_columns_with_category_words() -> None:
    text = render_text(
        explain(decide_case(case([45, 15, 10, 10, 10, 1_000]))), {"SUPPLIER": "Supplier Parties"}
    )
    assert "Supplier Parties: 6 Groups" in text and "SUPPLIER:" not in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Group"))
    rows = lines[header + 1 : header + 7]
    # Every number ends in its column: the Weighted Vote under "WV", each round under "R1".
    for column in ("WV", "R1", "R2", "N"):
        end = lines[header].index(f" {column} ") + len(column) + 1
        assert all(
            row[end - 1] in "%-0123456789" and row[end : end + 1] in (" ", "") for row in rows
        ), column
    assert "Weighted Votes exactly:" in text


def test_declarations_are_worded() -> None:
    assert percent_words(Fraction(3, 4)) == "75%"
    assert percent_words(Fraction(1, 40)) == "2.5%"
    assert percent_words(Fraction(2, 3)) == "66.666667% (exactly 2/3)"
    assert category_words("IDNO_OTSO") == "IDNO/OTSO Parties"
    assert option_words("proposal") == "the proposal" and option_words("A") == "Alternative A"
    assert (passes_words(True), passes_words(False)) == ("passes", "does not pass")
