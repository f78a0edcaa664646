"""The Change Decision (12.17, 13.5-13.7) and the two questions combined (14.3-14.4)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from voting.decision import CategoryVotes, Decision, GroupVote, Matter, combine, decide

P, R, NO = "proposal", "reject", None  # accept the proposal / reject / did not vote


def category(
    name: str, votes: list[str | None], ns: list[int] | None = None, eligible: bool = True
) -> CategoryVotes:
    ns = ns if ns is not None else [1] * len(votes)
    groups = tuple(
        GroupVote(f"{name}-{i}", n, v) for i, (n, v) in enumerate(zip(ns, votes, strict=True))
    )
    return CategoryVotes(name, groups, eligible)


def passing(share_of: int, of: int, name: str = "DNO") -> CategoryVotes:
    """``share_of`` of ``of`` equal Groups accept the proposal."""
    return category(name, [P] * share_of + [R] * (of - share_of))


# Part 1 (13.5)


def test_part1_exactly_50_percent_does_not_pass() -> None:
    # Six Suppliers with N = 10 each: V = WV = 1/6 each. Three accept: 3/6 = 50%, not > 50%.
    decision = decide("part1", [category("SUPPLIER", [P, P, P, R, R, R], [10] * 6)])
    tally = decision.categories[0].option(P)
    assert tally.accept_weight == Fraction(1, 2)
    assert not tally.passes
    assert decision.outcome == "recommend_reject"


def test_part1_more_than_50_percent_of_weighted_votes_passes_however_few_groups() -> None:
    # N = 45, 15, 10, 10, 10, 10: WV = 20%, 20%, 15% x 4 (see test_weighting). G1, G3, G4 and G5
    # accept: 20 + 15 + 15 + 15 = 65% > 50%, though only 4 of 6 Groups.
    cat = category("SUPPLIER", [P, R, P, P, P, R], [45, 15, 10, 10, 10, 10])
    decision = decide("part1", [cat])
    assert decision.categories[0].option(P).accept_weight == Fraction(65, 100)
    assert decision.outcome == "recommend_accept"
    assert decision.selected_option == P


def test_part1_needs_more_than_half_of_the_counted_categories() -> None:
    # Passes in DNO and SUPPLIER, fails in CVA: 2 of 3 > half: recommend acceptance.
    yes, no = passing(2, 3), passing(1, 3, "CVA")
    assert decide("part1", [yes, passing(3, 4, "SUPPLIER"), no]).outcome == "recommend_accept"
    # Passes in 2 of 4: exactly half is not a majority (13.5.1).
    four = [yes, passing(3, 4, "SUPPLIER"), no, passing(0, 2, "IDNO_OTSO")]
    decision = decide("part1", four)
    assert (decision.options[0].categories_passed, decision.options[0].categories_counted) == (2, 4)
    assert decision.outcome == "recommend_reject"


# Part 2 (13.6)


def test_part2_13_of_20_groups_is_65_percent_and_does_not_pass() -> None:
    # 20 Suppliers, equal N: 13 accept: 13/20 = 65% of Groups and 65% of Weighted Votes: neither
    # is "greater than 65%". 14 of 20 (70%) passes both.
    decision = decide("part2", [passing(13, 20, "SUPPLIER")])
    tally = decision.categories[0].option(P)
    assert (tally.accept_share, tally.accept_weight) == (Fraction(13, 20), Fraction(13, 20))
    assert (tally.share_test, tally.weight_test, tally.passes) == (False, False, False)
    assert decision.outcome == "rejected"
    assert decide("part2", [passing(14, 20, "SUPPLIER")]).outcome == "accepted"


def test_part2_exactly_65_percent_of_groups_fails_even_with_more_weight() -> None:
    # 20 Suppliers: the 13 accepting have N = 2 each (26), the 7 rejecting N = 1 each (7), TN = 33.
    # Weight 26/33 = 78.8% > 65% (and nobody above 20%), but 13/20 = 65% of Groups: fails 13.6.1.
    cat = category("SUPPLIER", [P] * 13 + [R] * 7, [2] * 13 + [1] * 7)
    tally = decide("part2", [cat]).categories[0].option(P)
    assert tally.accept_weight == Fraction(26, 33)
    assert (tally.share_test, tally.weight_test, tally.passes) == (False, True, False)


def test_part2_exactly_65_percent_of_weighted_votes_fails_even_with_more_groups() -> None:
    # 20 Suppliers, TN = 100. 14 accept (70% of Groups): 13 with N = 4 and one with N = 13, total
    # 65. 6 reject: five with N = 6 and one with N = 5, total 35. Nobody is above 20%, so the
    # Weighted Votes to accept are 65/100 = 65% exactly: fails 13.6.2.
    ns = [4] * 13 + [13] + [6] * 5 + [5]
    cat = category("SUPPLIER", [P] * 14 + [R] * 6, ns)
    tally = decide("part2", [cat]).categories[0].option(P)
    assert (tally.accept_share, tally.accept_weight) == (Fraction(7, 10), Fraction(13, 20))
    assert (tally.share_test, tally.weight_test, tally.passes) == (True, False, False)


def test_part2_needs_both_tests_in_more_than_half_of_the_counted_categories() -> None:
    cats = [passing(3, 3), passing(4, 5, "SUPPLIER"), passing(1, 3, "CVA")]
    decision = decide("part2", cats)
    assert decision.outcome == "accepted"
    assert decision.options[0].categories_passed == 2


# Counting categories (12.17)


def test_category_where_nobody_voted_is_treated_as_not_eligible() -> None:
    # CVA: eligible, but no Group voted: not counted, so DNO alone is the majority.
    decision = decide("part1", [passing(2, 3), category("CVA", [NO, NO])])
    assert decision.counted_categories == ("DNO",)
    assert decision.options[0].categories_counted == 1
    assert decision.outcome == "recommend_accept"
    assert decision.categories[1].weights is None


def test_category_not_eligible_is_not_counted_even_if_its_groups_voted() -> None:
    cats = [passing(2, 3), category("SUPPLIER", [R, R, R], eligible=False)]
    decision = decide("part1", cats)
    assert decision.counted_categories == ("DNO",)
    assert decision.outcome == "recommend_accept"


def test_no_counted_category_means_no_option_passes() -> None:
    # Nothing can pass in more than half of zero categories.
    assert decide("part1", []).outcome == "recommend_reject"
    assert decide("part2", []).outcome == "rejected"
    assert decide("part2", [category("DNO", [NO, NO, NO])]).deemed_part1 is False


# Alternatives (11.23, 13.3)


def test_alternatives_select_the_label_that_passes() -> None:
    # DNO: 3 of 5 for A (60% > 50%); SUPPLIER: 4 of 5 for A; CVA: 2 of 4 for the proposal.
    cats = [
        category("DNO", ["A", "A", "A", P, R]),
        category("SUPPLIER", ["A", "A", "A", "A", P]),
        category("CVA", [P, P, "A", R]),
    ]
    decision = decide("part1", cats, labels=[P, "A"])
    assert decision.selected_option == "A"
    assert decision.outcome == "recommend_accept"
    assert [o.passes for o in decision.options] == [False, True]


def test_votes_split_between_alternatives_can_leave_every_option_failing() -> None:
    # 2 of 5 for the proposal, 2 of 5 for A, 1 reject: 40% each, neither > 50%.
    decision = decide("part1", [category("DNO", [P, P, "A", "A", R])], labels=[P, "A"])
    assert decision.selected_option is None
    assert decision.outcome == "recommend_reject"


def test_a_vote_for_an_unknown_label_is_refused() -> None:
    with pytest.raises(ValueError, match="not labels"):
        decide("part1", [category("DNO", ["B"])], labels=[P, "A"])


# 13.7: deemed Part 1


def test_part2_rejected_only_by_categories_of_fewer_than_3_groups_is_deemed_part1() -> None:
    # DNO (3 Groups) and SUPPLIER (5) pass both tests; CVA (2 Groups), SIP (2) and IDNO_OTSO (1)
    # fail. 2 of 5 categories is no majority, so rejected; but every failure is in a category of
    # fewer than 3 Groups: deemed Part 1, the Parties recommend rejection (13.7).
    cats = [
        passing(3, 3),
        passing(5, 5, "SUPPLIER"),
        passing(0, 2, "CVA"),
        passing(1, 2, "SIP"),
        passing(0, 1, "IDNO_OTSO"),
    ]
    decision = decide("part2", cats)
    assert decision.outcome == "recommend_reject"
    assert decision.deemed_part1 is True
    assert decision.deemed_options == (P,)
    assert decision.recommendation is True


def test_not_deemed_part1_when_a_category_of_3_or_more_groups_failed() -> None:
    cats = [passing(3, 3), passing(2, 5, "SUPPLIER"), passing(0, 2, "CVA"), passing(1, 2, "SIP")]
    decision = decide("part2", cats)
    assert (decision.outcome, decision.deemed_part1) == ("rejected", False)


def test_13_7_counts_every_group_of_a_category_not_only_those_that_voted() -> None:
    # CVA has 3 Groups but only 2 voted (both reject): it "comprises 3 or more Groups", so its
    # failure is not excused: rejected, not deemed Part 1.
    cvas = category("CVA", [R, R, NO])
    cats = [passing(3, 3), cvas, passing(0, 2, "SIP")]
    assert decide("part2", cats).outcome == "rejected"
    # With CVA's third Group gone it has 2 Groups: deemed Part 1.
    cats[1] = category("CVA", [R, R])
    assert decide("part2", cats).outcome == "recommend_reject"


def test_13_7_needs_a_failing_category_of_fewer_than_3_groups() -> None:
    # Rejected because of a large category only: no 13.7.
    decision = decide("part2", [passing(1, 4)])
    assert (decision.outcome, decision.deemed_part1) == ("rejected", False)


def test_13_7_applies_to_part2_only() -> None:
    cats = [passing(3, 3), passing(0, 2, "CVA"), passing(0, 1, "SIP")]
    decision = decide("part1", cats)
    assert (decision.outcome, decision.deemed_part1) == ("recommend_reject", False)


def test_13_7_holds_vacuously_when_every_counted_category_has_fewer_than_3_groups() -> None:
    # Our reading of the text: "satisfied in respect of all the Party Categories ... that
    # comprise 3 or more Groups" is true when there are none, and the rejection occurred only
    # because of categories of fewer than 3 Groups.
    decision = decide("part2", [passing(1, 2, "CVA"), passing(0, 1, "SIP")])
    assert (decision.outcome, decision.deemed_part1) == ("recommend_reject", True)


def test_13_7_with_alternatives_looks_at_the_option_that_met_the_large_categories() -> None:
    cats = [
        category("DNO", ["A", "A", "A"]),
        category("CVA", [P, R]),
        category("SIP", [R]),
    ]
    decision = decide("part2", cats, labels=[P, "A"])
    assert decision.outcome == "recommend_reject"
    assert decision.deemed_options == ("A",)


# Combining the variation and the implementation date (13.1, 14.3-14.4)


def vote(accepts: bool, matter: Matter = "part2") -> Decision:
    """One question decided by a single DNO category of 3 Groups, all for or all against."""
    return decide(matter, [passing(3 if accepts else 0, 3)])


def test_variation_and_date_accepted_is_accepted() -> None:
    result = combine(vote(True), vote(True))
    assert (result.outcome, result.selected_option, result.recommendation) == ("accepted", P, False)


def test_variation_accepted_but_date_rejected_revotes_on_a_new_date_only() -> None:
    # 14.3: re-submitted so that only the newly proposed implementation date is voted on.
    result = combine(vote(True), vote(False))
    assert (result.outcome, result.clause) == ("revote_date", "14.3")
    assert result.variation_accepted and not result.date_accepted


def test_variation_rejected_but_date_accepted_is_rejected() -> None:
    # 14.4: the Change Proposal as a whole is deemed rejected.
    result = combine(vote(False), vote(True))
    assert (result.outcome, result.clause) == ("rejected", "14.4")


def test_variation_and_date_rejected_is_rejected() -> None:
    assert combine(vote(False), vote(False)).outcome == "rejected"


def test_part1_combination_is_only_a_recommendation_until_the_authority_decides() -> None:
    assert combine(vote(True, "part1"), vote(True, "part1")).recommendation is True
    # The Authority's determinations (13.12), given as bools, combine the same way.
    authority = combine(True, False)
    assert (authority.outcome, authority.recommendation) == ("revote_date", False)
