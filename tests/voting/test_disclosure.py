"""Which public accept weights are withheld so that no Group's Weighted Vote (from its N) shows."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from voting.disclosure import QuestionVotes, Why, published_figures, withheld
from voting.weighting import UndefinedVote, weigh

SIX = ("B1", "B2", "S1", "S2", "S3", "S4")
# TN = 100: B1 and B2 have Basic Votes of 30%, cut to 20% (12.13); their Surplus Vote of 20% goes
# to the four others pro rata to N (XN = 40), so each has 10% + 5% = 15% (12.14).
SIX_N = (30, 30, 10, 10, 10, 10)


def question(key: str, choices: dict[str, str], ns: dict[str, int] | None = None) -> QuestionVotes:
    ns = ns or dict(zip(SIX, SIX_N, strict=True))
    groups = tuple(choices)
    weights = weigh("SUPPLIER", groups, tuple(ns[g] for g in groups))
    labels = tuple(sorted({c for c in choices.values() if c != "reject"} | {"proposal"}))
    return QuestionVotes(key, weights.method, labels, dict(choices), weights.weights())


def votes(reject: set[str], groups: tuple[str, ...] = SIX) -> dict[str, str]:
    return {g: "reject" if g in reject else "proposal" for g in groups}


def test_the_worked_weights_are_those_of_the_agreement() -> None:
    q = question("v", votes(set()))
    assert q.weights == {
        "B1": Fraction(1, 5),
        "B2": Fraction(1, 5),
        **{s: Fraction(3, 20) for s in ("S1", "S2", "S3", "S4")},
    }


def test_one_group_rejecting_alone_keeps_the_accept_weight_unpublished() -> None:
    # 85% to accept would be 100% minus S1's 15%.
    q = question("v", votes({"S1"}))
    assert withheld([q]) == {("v", "proposal"): Why.ONE_GROUP}


def test_one_group_accepting_alone_keeps_the_accept_weight_unpublished() -> None:
    q = question("v", votes({"B1", "B2", "S1", "S2", "S3"}))
    assert withheld([q]) == {("v", "proposal"): Why.ONE_GROUP}


def test_a_side_all_at_the_20_percent_cap_is_not_published() -> None:
    # B1 and B2 reject: 60% to accept shows the two rejecting Groups at 20% each.
    q = question("d", votes({"B1", "B2"}))
    assert withheld([q]) == {("d", "proposal"): Why.AT_CAP}


def test_two_and_four_without_a_cap_or_a_coincidence_are_published() -> None:
    # S1 and S2 reject (30%): 70% to accept says nothing about any one Group.
    q = question("v", votes({"S1", "S2"}))
    assert published_figures([q]) == {("v", "proposal"): Fraction(7, 10)}


def test_the_second_question_may_not_single_out_a_group_by_difference() -> None:
    # Variation 70% (S1, S2 reject); date 55% (S1, S2, S3 reject): 70% - 55% is S3's 15%.
    v = question("v", votes({"S1", "S2"}))
    d = question("d", votes({"S1", "S2", "S3"}))
    assert withheld([v, d]) == {("d", "proposal"): Why.ONE_GROUP}


def test_the_same_split_on_both_questions_is_published_twice() -> None:
    v = question("v", votes({"S1", "S2"}))
    d = question("d", votes({"S1", "S2"}))
    assert withheld([v, d]) == {}


def test_a_question_with_other_voting_groups_is_withheld_after_a_published_one() -> None:
    # S5 does not answer the date: its weights use another TN; comparing would expose N.
    ns = {**dict(zip(SIX, SIX_N, strict=True)), "S5": 10}
    v = question("v", votes({"S1", "S2"}, groups=(*SIX, "S5")), ns)
    d = question("d", votes({"S1", "S2"}), ns)
    assert withheld([v, d]) == {("d", "proposal"): Why.OTHER_VOTERS}


def test_a_unanimous_category_publishes_100_percent() -> None:
    q = question("v", votes(set()))
    assert published_figures([q]) == {("v", "proposal"): Fraction(1)}


def test_equal_shares_are_published_even_with_one_dissenter() -> None:
    # 12.9.4: five Groups voted, each has 20%; the figure is the share of Groups, from no N.
    q = question("v", votes({"S1"}, groups=SIX[:5]))
    assert q.method == "equal"
    assert published_figures([q]) == {("v", "proposal"): Fraction(4, 5)}


def test_an_alternative_chosen_by_one_group_is_withheld_and_the_other_too() -> None:
    # proposal: B1, B2, S1, S2 (70%); A: S3 alone (15%); reject: S4. A gives S3's weight; and
    # publishing the proposal's 70% with A withheld would leave S3 + S4 = 30%, no single Group.
    choices = {"B1": "proposal", "B2": "proposal", "S1": "proposal", "S2": "proposal"}
    q = question("v", {**choices, "S3": "A", "S4": "reject"})
    assert withheld([q]) == {("v", "A"): Why.ONE_GROUP}


def test_a_figure_that_equals_a_group_s_weight_is_withheld() -> None:
    # Ten Groups, no cap: A has N 20, the others 10 (TN 110). B and C reject with 20/110, which is
    # A's Weighted Vote: 100% minus the accept weight would match A's weight exactly.
    names = tuple("ABCDEFGHIJ")
    ns = {g: 20 if g == "A" else 10 for g in names}
    q = question("v", votes({"B", "C"}, groups=names), ns)
    assert q.weights["A"] == Fraction(2, 11)
    assert withheld([q]) == {("v", "proposal"): Why.EQUALS_A_WEIGHT}
    # B, C and D reject (30/110): no Group has that weight, or 100% minus it.
    q = question("v", votes({"B", "C", "D"}, groups=names), ns)
    assert withheld([q]) == {}


# -- the property -----------------------------------------------------------------------------

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
n_values = st.one_of(st.integers(0, 6), st.integers(1, 1000), st.sampled_from([10**6, 5 * 10**6]))
CHOICES = ("proposal", "A", "reject")


@st.composite
def category(draw: st.DrawFn) -> list[QuestionVotes]:
    size = draw(st.integers(6, 10))
    groups = tuple(f"G{i}" for i in range(size))
    ns = draw(st.lists(n_values, min_size=size, max_size=size))
    labels = draw(st.sampled_from([("proposal",), ("proposal", "A")]))
    out = []
    for key in ("v", "d"):
        answered = groups if draw(st.booleans()) else groups[: draw(st.integers(1, size))]
        options = [*labels, "reject"] if key == "v" else ["proposal", "reject"]
        choices = {g: draw(st.sampled_from(options)) for g in answered}
        try:
            weights = weigh("SUPPLIER", answered, tuple(ns[groups.index(g)] for g in answered))
        except UndefinedVote:
            assume(False)
        q_labels = labels if key == "v" else ("proposal",)
        out.append(QuestionVotes(key, weights.method, q_labels, choices, weights.weights()))
    return out


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, cols = 0, len(rows[0]) if rows else 0
    for col in range(cols):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


@SETTINGS
@given(category())
def test_no_published_figure_is_or_completes_a_single_group_s_weight(
    questions: list[QuestionVotes],
) -> None:
    figures = published_figures(questions)
    for q in questions:
        voters = sorted(q.choices)
        for label in q.labels:
            figure = figures[(q.question, label)]
            side = q.chose(label)
            unanimous = side in (frozenset(), frozenset(voters))
            if figure is None or q.method != "weighted" or unanimous:
                continue
            for w in q.weights.values():
                assert figure != w and figure != 1 - w
            # Nor is one side wholly at the 20% cap.
            assert figure != Fraction(len(side), 5)
            assert 1 - figure != Fraction(len(voters) - len(side), 5)
        # Linear algebra, independently of the rule: the published sides (and the total of 100%)
        # of the questions with these voting Groups never single out one Group's weight.
        sides = [
            [Fraction(g in p.chose(label)) for g in voters]
            for p in questions
            if p.method == "weighted" and sorted(p.choices) == voters
            for label in p.labels
            if figures[(p.question, label)] is not None
        ]
        known = [[Fraction(1)] * len(voters), *sides]
        base = _rank(known)
        for i in range(len(voters) if q.method == "weighted" else 0):
            unit = [Fraction(j == i) for j in range(len(voters))]
            assert _rank([*known, unit]) > base


def test_withheld_and_published_cover_every_figure() -> None:
    q = question("v", votes({"S1"}))
    assert set(published_figures([q])) == {("v", "proposal")}
