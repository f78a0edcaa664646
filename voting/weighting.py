"""The Weighted Vote of each Group in one Party Category (Clauses 12.8-12.16).

Pure and exact: integers and ``fractions.Fraction`` only, never floats. A weight is a share of 1
(20% is ``Fraction(1, 5)``); turn it into a percentage only for display.

- 12.9: equal Weighted Votes in the IDNO/OTSO, Gas Supplier and SIP categories, and in any
  category where five or fewer Groups voted.
- 12.10-12.11: otherwise WV = V + SVA, with the Basic Vote V = N / TN.
- 12.13-12.14: a Group whose V is above 20% gives up the excess (its Surplus Vote); the sum SV is
  shared among the other voting Groups pro rata to N (SVA = SV x N / XN).
- 12.15-12.16: anyone pushed above 20% is cut to 20% and the excess is shared, on the same basis,
  among the Groups still below 20%; repeat until nobody is above 20%.

How it is computed fast. Between rounds every Group not yet fixed at 20% holds ``level x N`` for one
common ``level`` (it starts at 1/TN and each round adds ``excess / XN``), so the Groups above 20%
are always those with the largest N. Sorting by N once, each round only looks at the few Groups it
caps, and the final weights are integers over one common denominator. The rounds are those of the
text, one by one (including 12.15's exclusion of Groups that sit exactly at 20%), and
``tests/voting/test_weighting.py`` checks them against a literal, slow reading of 12.13-12.16.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from operator import itemgetter
from typing import Literal, NamedTuple

CATEGORIES: tuple[str, ...] = ("DNO", "IDNO_OTSO", "SUPPLIER", "CVA", "GAS_SUPPLIER", "SIP")
EQUAL_SHARE_CATEGORIES = frozenset({"IDNO_OTSO", "GAS_SUPPLIER", "SIP"})  # 12.9.1-12.9.3
MAX_VOTERS_FOR_EQUAL_SHARES = 5  # 12.9.4: "five or fewer Groups ... cast their vote"
CAP = Fraction(1, 5)  # 20% (12.13, 12.15)

Method = Literal["equal", "weighted"]


class UndefinedVote(ValueError):
    """The agreement gives no Weighted Vote: a share pro rata to N among Groups whose N sum is 0."""

    def __init__(self, category: str, reason: str) -> None:
        super().__init__(f"{category}: {reason}")
        self.category = category
        self.reason = reason


class Voter(NamedTuple):
    """A Group that cast a vote, with its N (12.11-12.12)."""

    group: str
    n: int


@dataclass(frozen=True)
class Round:
    """One reallocation: round 1 is the Surplus Vote (12.13-12.14), later rounds are 12.15-12.16.

    ``capped`` are the Groups above 20% that are cut to 20% in this round; ``excess`` is what they
    give up (SV in round 1). It is shared pro rata to N among ``recipients`` Groups whose N sum is
    ``recipients_n`` (XN). ``at_cap`` are Groups already at exactly 20%, which 12.15.2 leaves out of
    a later round (round 1 shares among every Group without a Surplus Vote, 12.14).
    """

    number: int
    capped: tuple[str, ...]
    at_cap: tuple[str, ...]
    excess: Fraction
    recipients: int
    recipients_n: int


@dataclass(frozen=True)
class GroupWeight:
    """One voting Group's Weighted Vote. ``basic_vote`` and ``adjustment`` (the SVA, 12.10) are
    None under equal shares (12.9); ``capped_round`` is the round that fixed it at 20%, if any."""

    group: str
    n: int
    basic_vote: Fraction | None
    adjustment: Fraction | None
    weight: Fraction
    capped_round: int | None


@dataclass(frozen=True)
class CategoryWeights:
    """The Weighted Votes of the Groups of one category that voted (12.8).

    ``groups[i]`` voted with N ``ns[i]`` and has the weight ``numerators[i] / denominator``; the
    numerators total the denominator exactly (12.8: the weights of a category make 100%). Use
    ``weights()`` or ``details()`` for Fractions.
    """

    category: str
    method: Method
    groups: tuple[str, ...]
    ns: tuple[int, ...]
    numerators: tuple[int, ...]
    denominator: int
    rounds: tuple[Round, ...] = ()

    @property
    def total_n(self) -> int:
        """TN: the N sum of the Groups that voted (12.11)."""
        return sum(self.ns)

    @property
    def voters(self) -> tuple[Voter, ...]:
        return tuple(map(Voter, self.groups, self.ns))

    def weight_of(self, group: str) -> Fraction:
        return Fraction(self.numerators[self.groups.index(group)], self.denominator)

    def weights(self) -> dict[str, Fraction]:
        """Each voting Group's Weighted Vote, as a share of 1."""
        den = self.denominator
        return {g: Fraction(num, den) for g, num in zip(self.groups, self.numerators, strict=True)}

    def details(self) -> tuple[GroupWeight, ...]:
        """Per-Group detail: N, V, SVA, WV and the capping round (for the workings)."""
        capped_round: dict[str, int] = {}
        for rnd in self.rounds:
            for group in rnd.capped + rnd.at_cap:
                capped_round.setdefault(group, rnd.number)
        tn = self.total_n
        result = []
        for group, n, num in zip(self.groups, self.ns, self.numerators, strict=True):
            weight = Fraction(num, self.denominator)
            basic = Fraction(n, tn) if self.method == "weighted" else None
            result.append(
                GroupWeight(
                    group=group,
                    n=n,
                    basic_vote=basic,
                    adjustment=None if basic is None else weight - basic,
                    weight=weight,
                    capped_round=capped_round.get(group),
                )
            )
        return tuple(result)


def method_for(category: str, voters: int) -> Method:
    """12.9 (equal shares) or 12.10 (weighted) for a category in which ``voters`` Groups voted."""
    if category in EQUAL_SHARE_CATEGORIES or voters <= MAX_VOTERS_FOR_EQUAL_SHARES:
        return "equal"
    return "weighted"


def weighted_votes(category: str, voters: Iterable[tuple[str, int]]) -> CategoryWeights:
    """The Weighted Vote of every Group in ``voters`` (``Voter``s: the Groups of ``category``
    that voted, with their N).

    Raises ``UndefinedVote`` where the agreement divides by a zero N sum, and ``ValueError`` for
    no voters, a Group listed twice or a negative N.
    """
    pairs = list(voters)
    return weigh(category, tuple(map(itemgetter(0), pairs)), tuple(map(itemgetter(1), pairs)))


def weigh(category: str, groups: tuple[str, ...], ns: tuple[int, ...]) -> CategoryWeights:
    """``weighted_votes`` on parallel tuples: Group names and their N."""
    if not groups:
        raise ValueError(f"{category}: no Group voted, so there is nothing to weight (12.17)")
    if len(groups) != len(ns):
        raise ValueError(f"{category}: one N per Group")
    if len(set(groups)) != len(groups):
        raise ValueError(f"{category}: a Group is listed twice")
    if min(ns) < 0:
        raise ValueError(f"{category}: N must be >= 0")
    if method_for(category, len(groups)) == "equal":
        # 12.9: 100% divided by the number of Groups that cast their vote.
        return CategoryWeights(category, "equal", groups, ns, (1,) * len(groups), len(groups))
    numerators, denominator, rounds = _surplus_adjusted(category, groups, ns)
    return CategoryWeights(category, "weighted", groups, ns, numerators, denominator, rounds)


def _surplus_adjusted(
    category: str, groups: tuple[str, ...], ns: tuple[int, ...]
) -> tuple[tuple[int, ...], int, tuple[Round, ...]]:
    """12.10-12.16: (numerators, common denominator, rounds)."""
    tn = sum(ns)
    if tn == 0:
        raise UndefinedVote(
            category, "every Group that voted has N = 0, so TN = 0 and the Basic Vote is undefined"
        )
    if 5 * max(ns) <= tn:  # no Basic Vote above 20%: WV = V (12.13.2)
        return ns, tn, ()
    order = sorted(range(len(ns)), key=ns.__getitem__, reverse=True)
    level = Fraction(1, tn)  # weight per unit of N of every Group not fixed at 20%; V = N / TN
    fixed = 0  # order[:fixed] are fixed at 20%
    pool_n = tn  # N sum of the Groups not fixed at 20%
    rounds: list[Round] = []

    def above_cap(i: int) -> bool:
        return 5 * ns[i] * level.numerator > level.denominator

    def at_cap(i: int) -> bool:
        return 5 * ns[i] * level.numerator == level.denominator

    while fixed < len(order) and above_cap(order[fixed]):
        end = fixed
        while end < len(order) and above_cap(order[end]):
            end += 1
        capped = order[fixed:end]
        capped_n = sum(ns[i] for i in capped)
        excess = level * capped_n - CAP * len(capped)
        # Round 1 shares among every Group without a Surplus Vote (XN, 12.14); later rounds only
        # among Groups with Weighted Votes of less than 20% (12.15.2).
        skip = end
        if rounds:
            while skip < len(order) and at_cap(order[skip]):
                skip += 1
        pool_n -= capped_n + sum(ns[i] for i in order[end:skip])
        number = len(rounds) + 1
        if pool_n == 0:
            raise UndefinedVote(category, _no_pool_reason(number))
        rounds.append(
            Round(
                number=number,
                capped=tuple(groups[i] for i in capped),
                at_cap=tuple(groups[i] for i in order[end:skip]),
                excess=excess,
                recipients=len(order) - skip,
                recipients_n=pool_n,
            )
        )
        level += excess / pool_n
        fixed = skip

    # Common denominator 5q for level = p/q: a Group at 20% has q, any other 5pN.
    p, q = level.numerator, level.denominator
    numerators = [5 * p * n for n in ns]
    for i in order[:fixed]:
        numerators[i] = q
    return tuple(numerators), 5 * q, tuple(rounds)


def _no_pool_reason(number: int) -> str:
    if number == 1:
        return (
            "the Surplus Vote cannot be shared: every Group that voted without a Surplus Vote "
            "has N = 0, so XN = 0 (12.14)"
        )
    return (
        f"round {number}: the Weighted Vote above 20% cannot be shared: every Group still below "
        "20% has N = 0 (12.15)"
    )
