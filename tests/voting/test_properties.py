"""Properties of the Weighted Vote and the Change Decision, on random cases (hypothesis)."""

from __future__ import annotations

import copy
import random
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.voting.test_weighting import closed_form_weights, literal_weights
from voting.tally import tally_case
from voting.weighting import CAP, CATEGORIES, UndefinedVote, Voter, weighted_votes
from voting.workings import percent

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTED = ["DNO", "SUPPLIER", "CVA"]

# N values: small ones tie and hit exact 20% boundaries; large ones dominate and force rounds.
n_values = st.one_of(st.integers(0, 12), st.integers(0, 10**9))
voter_ns = st.lists(n_values, min_size=1, max_size=25)


def voters_of(ns: list[int]) -> list[tuple[str, int]]:
    return [(f"G{i}", n) for i, n in enumerate(ns)]


def weights_or_undefined(
    fn: Any, category: str, voters: list[tuple[str, int]]
) -> dict[str, Fraction] | str:
    try:
        return dict(fn(category, voters))
    except UndefinedVote:
        return "undefined"


@SETTINGS
@given(st.sampled_from(CATEGORIES), voter_ns)
def test_weights_in_a_category_total_exactly_100_percent(category: str, ns: list[int]) -> None:
    try:
        result = weighted_votes(category, voters_of(ns))
    except UndefinedVote:
        return
    assert sum(result.numerators) == result.denominator
    assert sum(result.weights().values()) == 1


@SETTINGS
@given(st.sampled_from(WEIGHTED), st.lists(n_values, min_size=6, max_size=25))
def test_no_weight_above_20_percent_when_six_or_more_groups_voted(
    category: str, ns: list[int]
) -> None:
    try:
        weights = weighted_votes(category, voters_of(ns)).weights()
    except UndefinedVote:
        return
    assert max(weights.values()) <= CAP


@SETTINGS
@given(st.sampled_from(WEIGHTED), st.lists(n_values, min_size=6, max_size=25))
def test_undefined_exactly_when_fewer_than_five_voting_groups_have_n(
    category: str, ns: list[int]
) -> None:
    # Weights are pro rata to N and at most 20%, so 100% needs five Groups with N > 0.
    undefined = weights_or_undefined(weighted_votes_dict, category, voters_of(ns)) == "undefined"
    assert undefined == (sum(n > 0 for n in ns) < 5)


def weighted_votes_dict(category: str, voters: list[tuple[str, int]]) -> dict[str, Fraction]:
    return weighted_votes(category, [Voter(g, n) for g, n in voters]).weights()


@SETTINGS
@given(st.sampled_from(CATEGORIES), voter_ns)
def test_fast_weights_equal_the_literal_reading_of_12_13_to_12_16(
    category: str, ns: list[int]
) -> None:
    voters = voters_of(ns)
    expected = weights_or_undefined(literal_weights, category, voters)
    assert weights_or_undefined(weighted_votes_dict, category, voters) == expected


@SETTINGS
@given(st.sampled_from(WEIGHTED), voter_ns)
def test_closed_form_equals_the_literal_reading_of_12_13_to_12_16(
    category: str, ns: list[int]
) -> None:
    voters = voters_of(ns)
    expected = weights_or_undefined(literal_weights, category, voters)
    assert weights_or_undefined(closed_form_weights, category, voters) == expected


@st.composite
def cases(draw: st.DrawFn, labels: tuple[str, ...] = ("proposal",)) -> dict[str, Any]:
    """A valid case; N >= 1 so the weighting is always defined."""
    categories = []
    for name in draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=6)):
        size = draw(st.integers(0, 12))
        ns = draw(
            st.lists(
                st.one_of(st.integers(1, 30), st.integers(1, 10**7)), min_size=size, max_size=size
            )
        )
        votes = draw(
            st.lists(st.sampled_from([None, "reject", *labels]), min_size=size, max_size=size)
        )
        groups = [
            {"group": f"{name}-{i}", "n": n, "vote": v}
            for i, (n, v) in enumerate(zip(ns, votes, strict=True))
        ]
        eligible = draw(st.sampled_from([True, True, True, False]))
        categories.append({"category": name, "eligible": eligible, "groups": groups})
    matter = draw(st.sampled_from(["part1", "part2"]))
    return {"matter": matter, "variations": list(labels), "categories": categories}


def normalised(result: dict[str, Any]) -> dict[str, Any]:
    result = dict(result)
    result["categories"] = sorted(result["categories"], key=lambda c: c["category"])
    result["counted_categories"] = sorted(result["counted_categories"])
    return result


@SETTINGS
@given(cases(labels=("proposal", "A")), st.randoms(use_true_random=False))
def test_order_of_groups_and_categories_changes_nothing(
    case: dict[str, Any], rng: random.Random
) -> None:
    shuffled = copy.deepcopy(case)
    rng.shuffle(shuffled["categories"])
    for category in shuffled["categories"]:
        rng.shuffle(category["groups"])
    assert normalised(tally_case(shuffled)) == normalised(tally_case(case))


@SETTINGS
@given(cases(), st.data())
def test_changing_one_vote_from_reject_to_accept_never_turns_acceptance_into_rejection(
    case: dict[str, Any], data: st.DataObject
) -> None:
    rejecting = [
        (i, j)
        for i, category in enumerate(case["categories"])
        for j, group in enumerate(category["groups"])
        if group["vote"] == "reject"
    ]
    if not rejecting:
        return
    i, j = data.draw(st.sampled_from(rejecting))
    changed = copy.deepcopy(case)
    changed["categories"][i]["groups"][j]["vote"] = "accept"
    before, after = tally_case(case), tally_case(changed)
    if before["outcome"] in ("accepted", "recommend_accept"):
        assert after["outcome"] == before["outcome"]
    assert (
        after["options"]["proposal"]["categories_passed"]
        >= (before["options"]["proposal"]["categories_passed"])
    )


@SETTINGS
@given(cases(labels=("proposal", "A", "B")))
def test_at_most_one_option_passes(case: dict[str, Any]) -> None:
    result = tally_case(case)
    assert sum(option["passes"] for option in result["options"].values()) <= 1
    for category in result["categories"]:
        options = category.get("options", {}).values()
        assert sum(option["passes"] for option in options) <= 1
    if result["selected_option"] is not None:
        assert result["options"][result["selected_option"]]["passes"]


@SETTINGS
@given(cases(labels=("proposal", "A")))
def test_outcome_agrees_with_the_options_and_13_7(case: dict[str, Any]) -> None:
    result = tally_case(case)
    passed = [label for label, option in result["options"].items() if option["passes"]]
    assert result["selected_option"] == (passed[0] if passed else None)
    if result["matter"] == "part1":
        assert result["outcome"] == ("recommend_accept" if passed else "recommend_reject")
        assert result["deemed_part1"] is False
    elif passed:
        assert (result["outcome"], result["deemed_part1"]) == ("accepted", False)
    else:
        deemed = result["outcome"] == "recommend_reject"
        assert deemed == result["deemed_part1"]
        assert result["outcome"] in ("rejected", "recommend_reject")


@pytest.mark.parametrize("seed", range(3))
def test_percent_matches_decimal_half_even(seed: int) -> None:
    rng = random.Random(seed)
    with localcontext() as ctx:
        ctx.prec = 200
        for _ in range(2000):
            value = Fraction(rng.randint(0, 10**12), rng.randint(1, 10**12))
            if value > 1:
                value = 1 / value
            exact = Decimal(value.numerator) * 100 / Decimal(value.denominator)
            expected = exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
            assert percent(value) == f"{expected:.6f}"
