"""The Change Decision on one question of a Party vote (Clause 13), and the two questions combined
(14.3-14.4).

Pure and exact. ``decide`` takes every Group of every category with its N and its vote, weights the
votes (``voting.weighting``) and applies:

- 12.17: a category counts only if it is eligible and at least one of its Groups voted.
- 13.5 (Part 1): an option passes in a category when the Weighted Votes to accept it total more
  than 50%; the Parties recommend acceptance when it passes in more than half of the counted
  categories.
- 13.6 (Part 2): an option passes in a category when more than 65% of the voting Groups accept it
  AND their Weighted Votes total more than 65%; accepted when it passes in more than half of the
  counted categories. Every "more than" is strict and exact.
- 13.7: a Part 2 rejection is instead a deemed Part 1 recommendation to reject when both tests were
  met in every counted category of 3 or more Groups (all its Groups, voting or not) and failed only
  in counted categories of fewer than 3 Groups.

Alternatives (11.23, 13.3): the ballot has labels; a Group votes ``reject`` or exactly one label.
Each label is tested as "the proposal". At most one label can pass, so no tie-break is needed: a
label passes only in a category where it holds more than 50% (Part 1) or 65% (Part 2) of the
Weighted Votes, and the weights of a category total exactly 100% with every Group's weight on at
most one label, so two labels never pass in the same category. Each passing label passes in more
than half of the same counted categories, and two such sets of categories must share one. The
same argument shows at most one label can meet 13.7's first test if any counted category has 3 or
more Groups; ``Decision.deemed_options`` lists every label that met 13.7.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, NamedTuple

from voting.weighting import CATEGORIES, CategoryWeights, weigh

Matter = Literal["part1", "part2"]
Outcome = Literal["recommend_accept", "recommend_reject", "accepted", "rejected"]
REJECT = "reject"
PART1_THRESHOLD = Fraction(1, 2)  # 13.5.1: "more than 50%"
PART2_THRESHOLD = Fraction(13, 20)  # 13.6.1-13.6.2: "greater than 65%"
SMALL_CATEGORY = 3  # 13.7: categories "that comprise fewer than 3 Groups"


class GroupVote(NamedTuple):
    """A Group of a category: its N, and its vote (None: did not vote; ``reject``; or a label)."""

    group: str
    n: int
    vote: str | None


@dataclass(frozen=True)
class CategoryVotes:
    """Every Group of one Party Category, voting or not, and whether the Change Report made the
    category eligible to vote (11.20, 11.24)."""

    category: str
    groups: tuple[GroupVote, ...]
    eligible: bool = True


@dataclass(frozen=True)
class OptionTally:
    """One option (label) in one counted category.

    ``share_test`` is 13.6.1 (None for Part 1); ``weight_test`` is 13.5.1 or 13.6.2.
    """

    label: str
    accept_groups: int
    voting_groups: int
    accept_weight: Fraction
    share_test: bool | None
    weight_test: bool

    @property
    def accept_share(self) -> Fraction:
        """Accepting Groups over voting Groups (13.6.1)."""
        return Fraction(self.accept_groups, self.voting_groups)

    @property
    def passes(self) -> bool:
        return self.weight_test and self.share_test is not False


@dataclass(frozen=True)
class CategoryResult:
    """One category: counted (12.17) when eligible and at least one Group voted."""

    votes: CategoryVotes
    groups_voted: int
    weights: CategoryWeights | None  # None unless counted
    options: tuple[OptionTally, ...]  # empty unless counted

    @property
    def category(self) -> str:
        return self.votes.category

    @property
    def eligible(self) -> bool:
        return self.votes.eligible

    @property
    def counted(self) -> bool:
        return self.weights is not None

    @property
    def groups_total(self) -> int:
        return len(self.votes.groups)

    def option(self, label: str) -> OptionTally:
        return next(tally for tally in self.options if tally.label == label)


@dataclass(frozen=True)
class OptionResult:
    """One option over the counted categories (13.5, 13.6): passes in more than half of them."""

    label: str
    categories_passed: int
    categories_counted: int

    @property
    def passes(self) -> bool:
        return 2 * self.categories_passed > self.categories_counted


@dataclass(frozen=True)
class Decision:
    """The result of one question (the variation, or the implementation date), 13.4.3."""

    matter: Matter
    labels: tuple[str, ...]
    categories: tuple[CategoryResult, ...]
    options: tuple[OptionResult, ...]
    outcome: Outcome
    selected_option: str | None
    deemed_part1: bool
    deemed_options: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        """Accepted (Part 2) or recommended for acceptance (Part 1)."""
        return self.outcome in ("accepted", "recommend_accept")

    @property
    def recommendation(self) -> bool:
        """Only a recommendation to the Authority: Part 1 (13.2), or deemed Part 1 (13.7)."""
        return self.matter == "part1" or self.deemed_part1

    @property
    def counted_categories(self) -> tuple[str, ...]:
        return tuple(c.category for c in self.categories if c.counted)


def decide(
    matter: Matter, categories: Sequence[CategoryVotes], labels: Sequence[str] = ("proposal",)
) -> Decision:
    """Weight the votes and decide one question (12.8-12.17, 13.5-13.7).

    Raises ``weighting.UndefinedVote`` for a case the agreement leaves undefined, and ValueError
    for a malformed ballot (no labels, a repeated label, a vote that is not a label or ``reject``,
    a category listed twice or unknown).
    """
    labels = tuple(labels)
    if matter not in ("part1", "part2"):
        raise ValueError(f"matter must be part1 or part2, not {matter!r}")
    if not labels or len(set(labels)) != len(labels) or REJECT in labels:
        raise ValueError(f"labels must be distinct, at least one, and not {REJECT!r}: {labels!r}")
    if len({c.category for c in categories}) != len(categories):
        raise ValueError("a category is listed twice")
    unknown = [c.category for c in categories if c.category not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown Party Categories {unknown}; expected some of {CATEGORIES}")
    results = tuple(_category_result(matter, labels, c) for c in categories)
    counted = [c for c in results if c.counted]
    options = tuple(
        OptionResult(label, sum(c.option(label).passes for c in counted), len(counted))
        for label in labels
    )
    passing = [option.label for option in options if option.passes]
    assert len(passing) <= 1, "two options passed; see the module docstring"
    selected = passing[0] if passing else None
    deemed: tuple[str, ...] = ()
    if matter == "part1":
        outcome: Outcome = "recommend_reject" if selected is None else "recommend_accept"
    elif selected is not None:
        outcome = "accepted"
    else:
        deemed = tuple(label for label in labels if _deemed_part1(counted, label))
        outcome = "recommend_reject" if deemed else "rejected"
    return Decision(matter, labels, results, options, outcome, selected, bool(deemed), deemed)


def _category_result(
    matter: Matter, labels: tuple[str, ...], votes: CategoryVotes
) -> CategoryResult:
    voting = [g for g in votes.groups if g.vote is not None]
    unknown = {g.vote for g in voting} - {REJECT, *labels}
    if unknown:
        raise ValueError(f"{votes.category}: votes {sorted(map(str, unknown))} are not labels")
    if not votes.eligible or not voting:
        return CategoryResult(votes, len(voting), None, ())
    names, ns, choices = zip(*voting, strict=True)
    weights = weigh(votes.category, names, ns)
    accept_groups = dict.fromkeys(labels, 0)
    accept_numerators = dict.fromkeys(labels, 0)
    for choice, numerator in zip(choices, weights.numerators, strict=True):
        if choice != REJECT:
            accept_groups[choice] += 1
            accept_numerators[choice] += numerator
    options = tuple(
        _option_tally(
            matter,
            label,
            accept_groups[label],
            len(voting),
            Fraction(accept_numerators[label], weights.denominator),
        )
        for label in labels
    )
    return CategoryResult(votes, len(voting), weights, options)


def _option_tally(
    matter: Matter, label: str, accept_groups: int, voting: int, weight: Fraction
) -> OptionTally:
    if matter == "part1":
        return OptionTally(label, accept_groups, voting, weight, None, weight > PART1_THRESHOLD)
    share = Fraction(accept_groups, voting)
    return OptionTally(
        label, accept_groups, voting, weight, share > PART2_THRESHOLD, weight > PART2_THRESHOLD
    )


def _deemed_part1(counted: Sequence[CategoryResult], label: str) -> bool:
    """13.7 for one option of a rejected Part 2 question.

    13.7.1: both tests met in every counted category of 3 or more Groups ("that were eligible to
    vote", read with 12.17; the Groups counted are all the category's Groups, voting or not).
    13.7.2: the rejection occurred only because of counted categories of fewer than 3 Groups: at
    least one of them failed. (Had they passed, every counted category would have passed, so the
    rejection is then due to them alone.) With no counted category of 3 or more Groups, 13.7.1
    holds vacuously, as the text reads.
    """
    large = [c for c in counted if c.groups_total >= SMALL_CATEGORY]
    small = [c for c in counted if c.groups_total < SMALL_CATEGORY]
    return all(c.option(label).passes for c in large) and any(
        not c.option(label).passes for c in small
    )


CombinedOutcome = Literal["accepted", "revote_date", "rejected"]


@dataclass(frozen=True)
class Combined:
    """The variation and the implementation date questions together (13.1, 14.3-14.4).

    ``accepted``: both accepted; Implementation follows (Clause 14).
    ``revote_date``: variation accepted, date rejected: re-submitted so that only a newly proposed
    implementation date is assessed and voted on; Clause 14 waits for it (14.3).
    ``rejected``: the variation was rejected, whatever the date vote (14.4).
    ``recommendation`` is True when either input was only a Part 1 (or 13.7 deemed Part 1)
    recommendation: the Authority's determination (13.9-13.12) then decides, so pass its answer
    as a bool to get the binding combination.
    """

    outcome: CombinedOutcome
    variation_accepted: bool
    date_accepted: bool
    selected_option: str | None
    recommendation: bool
    clause: str


def combine(variation: Decision | bool, date: Decision | bool) -> Combined:
    """Combine the two independently decided questions (13.1) per 14.3-14.4.

    Each argument is a ``Decision`` or a bool (accepted or not, e.g. the Authority's determination
    on a Part 1 matter, 13.12).
    """
    variation_ok = variation.accepted if isinstance(variation, Decision) else variation
    date_ok = date.accepted if isinstance(date, Decision) else date
    selected = variation.selected_option if isinstance(variation, Decision) else None
    recommendation = any(isinstance(d, Decision) and d.recommendation for d in (variation, date))
    if not variation_ok:
        clause = "14.4" if date_ok else "13"
        return Combined("rejected", False, date_ok, None, recommendation, clause)
    if not date_ok:
        return Combined("revote_date", True, False, selected, recommendation, "14.3")
    return Combined("accepted", True, True, selected, recommendation, "14.1")
