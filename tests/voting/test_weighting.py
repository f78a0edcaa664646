"""Weighted Vote (12.8-12.16): hand-worked examples, and two slow references used by the
property tests (``literal_weights``: 12.13-12.16 read word for word; ``closed_form_weights``: cap
the k largest Groups, share 1 - k/5 pro rata to N among the rest)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from voting.weighting import CAP, UndefinedVote, Voter, weighted_votes

PERCENT = Fraction(1, 100)


def literal_weights(category: str, voters: list[tuple[str, int]]) -> dict[str, Fraction]:
    """12.9-12.16 read literally: one Fraction per Group, every round as the text describes."""
    count = len(voters)
    if category in {"IDNO_OTSO", "GAS_SUPPLIER", "SIP"} or count <= 5:  # 12.9
        return {group: Fraction(1, count) for group, _ in voters}
    n = dict(voters)
    tn = sum(n.values())
    if tn == 0:
        raise UndefinedVote(category, "TN = 0")
    wv = {group: Fraction(n[group], tn) for group in n}  # V = N / TN (12.11)
    surplus = {group: wv[group] - CAP for group in wv if wv[group] > CAP}  # 12.13.1(A)
    if not surplus:
        return wv  # SVA = 0 (12.13.2)
    others = [group for group in wv if group not in surplus]  # 12.13.1(B)
    xn = sum(n[group] for group in others)  # XN excepts only Groups with a Surplus Vote (12.14)
    if xn == 0:
        raise UndefinedVote(category, "XN = 0")
    sv = sum(surplus.values())
    for group in surplus:
        wv[group] = CAP
    for group in others:
        wv[group] += sv * n[group] / xn  # SVA = SV x N / XN (12.14)
    while any(w > CAP for w in wv.values()):  # 12.16
        over = [group for group in wv if wv[group] > CAP]
        below = [group for group in wv if wv[group] < CAP]  # "less than 20%" (12.15.2)
        pool = sum(n[group] for group in below)
        if pool == 0:
            raise UndefinedVote(category, "pool N = 0")
        excess = sum(wv[group] - CAP for group in over)
        for group in over:
            wv[group] = CAP  # 12.15.1
        for group in below:
            wv[group] += excess * n[group] / pool  # 12.15.3-12.15.4
    return wv


def closed_form_weights(category: str, voters: list[tuple[str, int]]) -> dict[str, Fraction]:
    """Water-filling: cap the k largest at 20%, share 1 - k/5 pro rata to N among the rest, for the
    least k after which nobody else is above 20%."""
    count = len(voters)
    if category in {"IDNO_OTSO", "GAS_SUPPLIER", "SIP"} or count <= 5:
        return {group: Fraction(1, count) for group, _ in voters}
    ranked = sorted(voters, key=lambda v: v[1], reverse=True)
    for k in range(len(ranked)):
        rest = ranked[k:]
        xn = sum(n for _, n in rest)
        if xn == 0:
            raise UndefinedVote(category, "no N left to share")
        share = 1 - k * CAP
        if share * rest[0][1] / xn <= CAP:
            weights = {group: CAP for group, _ in ranked[:k]}
            weights.update({group: share * n / xn for group, n in rest})
            return weights
    raise AssertionError("unreachable: five capped Groups already total 100%")


def weights_of(category: str, ns: list[int]) -> dict[str, Fraction]:
    voters = [Voter(f"G{i + 1}", n) for i, n in enumerate(ns)]
    return weighted_votes(category, voters).weights()


def test_equal_shares_where_five_or_fewer_groups_voted() -> None:
    # 12.9.4: five Suppliers voted; N is ignored: 100% / 5 = 20% each, even for a 96% Group.
    result = weighted_votes("SUPPLIER", [Voter("G1", 96), *(Voter(f"S{i}", 1) for i in range(4))])
    assert result.method == "equal"
    assert set(result.weights().values()) == {Fraction(1, 5)}


@pytest.mark.parametrize("category", ["IDNO_OTSO", "GAS_SUPPLIER", "SIP"])
def test_equal_shares_in_idno_gas_and_sip_categories_however_many_voted(category: str) -> None:
    # 12.9.1-12.9.3: eight Groups voted, N from 0 to 7000: each has 100% / 8 = 12.5%.
    result = weighted_votes(category, [Voter(f"G{i}", i * 1000) for i in range(8)])
    assert result.method == "equal"
    assert set(result.weights().values()) == {Fraction(1, 8)}


def test_six_voters_are_weighted_by_basic_vote_when_nobody_exceeds_20_percent() -> None:
    # 12.10-12.11: N = 15, 15, 20, 20, 15, 15 (TN = 100): WV = V = 15%, 15%, 20%, 20%, 15%, 15%.
    # A Basic Vote of exactly 20% is not "greater than 20%": no Surplus Vote (12.13).
    result = weighted_votes(
        "DNO", [Voter(f"G{i}", n) for i, n in enumerate([15, 15, 20, 20, 15, 15])]
    )
    assert result.method == "weighted"
    assert list(result.weights().values()) == [
        15 * PERCENT,
        15 * PERCENT,
        20 * PERCENT,
        20 * PERCENT,
        15 * PERCENT,
        15 * PERCENT,
    ]
    assert result.rounds == ()


def test_five_versus_six_voters_equal_then_weighted() -> None:
    # Five voters, N = 50, 10, 10, 10, 10: equal shares, 20% each (12.9.4).
    assert set(weights_of("SUPPLIER", [50, 10, 10, 10, 10]).values()) == {CAP}
    # A sixth with N = 10 (TN = 100): V = 50% and 10% x 5. Surplus Vote SV = 50% - 20% = 30%,
    # XN = 50; each other Group gets 30% x 10 / 50 = 6%: WV = 20% and 16% x 5 (12.13-12.14).
    assert weights_of("SUPPLIER", [50, 10, 10, 10, 10, 10]) == {
        "G1": 20 * PERCENT,
        **{f"G{i}": 16 * PERCENT for i in range(2, 7)},
    }


def test_group_with_45_percent_gives_its_surplus_pro_rata_to_n() -> None:
    # N = 45, 11, 11, 11, 11, 11 (TN = 100). V(G1) = 45% > 20%: Surplus Vote 25% (12.13.1(A)).
    # XN = 55 (the five others); each gets SVA = 25% x 11 / 55 = 5%: 11% + 5% = 16% (12.14).
    # WV: 20% + 5 x 16% = 100%.
    result = weighted_votes("DNO", [Voter(f"G{i + 1}", n) for i, n in enumerate([45] + [11] * 5)])
    assert result.weights() == {"G1": 20 * PERCENT, **{f"G{i}": 16 * PERCENT for i in range(2, 7)}}
    (only_round,) = result.rounds
    assert only_round.capped == ("G1",)
    assert only_round.excess == 25 * PERCENT
    assert only_round.recipients_n == 55
    g1 = result.details()[0]
    assert (g1.basic_vote, g1.adjustment, g1.weight) == (45 * PERCENT, -25 * PERCENT, CAP)


def test_reallocation_that_pushes_a_second_group_over_20_percent_is_capped_again() -> None:
    # N = 45, 15, 10, 10, 10, 10 (TN = 100). V = 45%, 15%, 10% x 4.
    # Round 1 (12.13-12.14): SV = 25%, XN = 55.
    #   G2: 15% + 25% x 15/55 = 15% + 6.8181..% = 21.8181..% > 20%
    #   G3-G6: 10% + 25% x 10/55 = 14.5454..%
    # Round 2 (12.15): G2 cut to 20%; its excess 1.8181..% (= 1/55) goes to G3-G6 (N sum 40):
    #   each + 1/55 x 10/40 = 0.4545..%: 15% exactly.  WV: 20 + 20 + 4 x 15 = 100%.
    result = weighted_votes(
        "SUPPLIER", [Voter(f"G{i + 1}", n) for i, n in enumerate([45, 15, 10, 10, 10, 10])]
    )
    assert result.weights() == {
        "G1": CAP,
        "G2": CAP,
        "G3": 15 * PERCENT,
        "G4": 15 * PERCENT,
        "G5": 15 * PERCENT,
        "G6": 15 * PERCENT,
    }
    assert [(r.number, r.capped, r.excess, r.recipients_n) for r in result.rounds] == [
        (1, ("G1",), 25 * PERCENT, 55),
        (2, ("G2",), Fraction(1, 55), 40),
    ]
    assert [g.capped_round for g in result.details()] == [1, 2, None, None, None, None]


def test_group_at_exactly_20_percent_shares_in_the_surplus_then_is_capped() -> None:
    # N = 40, 20, 10, 10, 10, 10 (TN = 100). V(G2) = 20% has no Surplus Vote, so it is in XN.
    # Round 1: SV = 20%, XN = 60: G2 = 20% + 20% x 20/60 = 26.666..%; G3-G6 = 13.333..%.
    # Round 2: G2's excess 6.666..% shared among G3-G6 (N 40): + 1.666..% each = 15%.
    result = weighted_votes(
        "CVA", [Voter(f"G{i + 1}", n) for i, n in enumerate([40, 20, 10, 10, 10, 10])]
    )
    assert list(result.weights().values()) == [CAP, CAP] + [15 * PERCENT] * 4
    assert result.rounds[0].recipients_n == 60
    assert result.rounds[1].excess == Fraction(1, 15)


def test_group_exactly_at_20_percent_after_a_round_is_left_out_of_the_next() -> None:
    # N = 60, 12, 10, 6, 6, 6 (TN = 100). V = 60%, 12%, 10%, 6% x 3.
    # Round 1: SV = 40%, XN = 40: G2 = 12% + 40% x 12/40 = 24%; G3 = 10% + 10% = 20% exactly;
    #   G4-G6 = 6% + 6% = 12%.
    # Round 2: G2's 4% goes only to Groups "of less than 20%" (12.15.2): G4-G6 (N 18), + 1.333..%
    #   each = 13.333..%; G3 stays at 20%.  WV: 3 x 20% + 3 x 13.333..% = 100%.
    result = weighted_votes(
        "DNO", [Voter(f"G{i + 1}", n) for i, n in enumerate([60, 12, 10, 6, 6, 6])]
    )
    assert list(result.weights().values()) == [CAP, CAP, CAP] + [Fraction(2, 15)] * 3
    second = result.rounds[1]
    assert (second.capped, second.at_cap, second.excess) == (("G2",), ("G3",), 4 * PERCENT)
    assert (second.recipients, second.recipients_n) == (3, 18)


def test_five_groups_with_n_can_hold_100_percent_at_20_percent_each() -> None:
    # N = 2, 1, 1, 1, 1, 0 (TN = 6): V(G1) = 33.3..%, SV = 13.3..%, XN = 4: each + 3.3..% = 20%.
    assert list(weights_of("SUPPLIER", [2, 1, 1, 1, 1, 0]).values()) == [CAP] * 5 + [0]


def test_all_voters_with_n_zero_is_undefined() -> None:
    # Six Suppliers voted, every N = 0: TN = 0 and V = N / TN has no value (12.11).
    with pytest.raises(UndefinedVote, match=r"^SUPPLIER: .*TN = 0"):
        weights_of("SUPPLIER", [0] * 6)


def test_surplus_with_no_n_to_share_it_is_undefined() -> None:
    # N = 1, 1, 1, 1, 0, 0: V = 25% x 4, SV = 20%, and the Groups without a Surplus Vote have
    # XN = 0, so SV x N / XN has no value (12.14).
    with pytest.raises(UndefinedVote, match=r"^DNO: .*XN = 0"):
        weights_of("DNO", [1, 1, 1, 1, 0, 0])


def test_later_round_with_no_n_below_20_percent_is_undefined() -> None:
    # N = 2, 1, 1, 1, 0, 0 (TN = 5): V = 40%, 20% x 3, 0 x 2. Round 1: SV = 20%, XN = 3: G2-G4
    # reach 26.66..%. Round 2: the only Groups below 20% have N = 0 (12.15).
    with pytest.raises(UndefinedVote, match=r"^CVA: round 2"):
        weights_of("CVA", [2, 1, 1, 1, 0, 0])


def test_equal_shares_need_no_n() -> None:
    # 12.9: N plays no part, so N = 0 everywhere is fine.
    assert set(weights_of("SIP", [0, 0, 0]).values()) == {Fraction(1, 3)}
    assert set(weights_of("DNO", [0] * 5).values()) == {Fraction(1, 5)}


def test_weights_are_exact_and_total_100_percent() -> None:
    result = weighted_votes(
        "SUPPLIER", [Voter(f"G{i}", n) for i, n in enumerate([7, 3, 3, 1, 1, 1, 1])]
    )
    assert sum(result.numerators) == result.denominator
    assert sum(result.weights().values()) == 1
    assert all(isinstance(w, Fraction) for w in result.weights().values())


def test_a_group_listed_twice_or_a_negative_n_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        weighted_votes("DNO", [Voter("G1", 1), Voter("G1", 2)])
    with pytest.raises(ValueError, match=">= 0"):
        weighted_votes("DNO", [Voter("G1", -1)])
    with pytest.raises(ValueError, match="no Group voted"):
        weighted_votes("DNO", [])


@pytest.mark.parametrize(
    "ns",
    [
        [45, 11, 11, 11, 11, 11],
        [45, 15, 10, 10, 10, 10],
        [40, 20, 10, 10, 10, 10],
        [60, 12, 10, 6, 6, 6],
        [2, 1, 1, 1, 1, 0],
        [1000, 900, 800, 5, 4, 3, 2, 1, 0, 0],
        [9, 9, 9, 9, 1, 1, 1],
    ],
)
def test_engine_matches_the_literal_text_and_the_closed_form(ns: list[int]) -> None:
    voters = [(f"G{i}", n) for i, n in enumerate(ns)]
    expected = literal_weights("SUPPLIER", voters)
    assert weighted_votes("SUPPLIER", voters).weights() == expected
    assert closed_form_weights("SUPPLIER", voters) == expected
