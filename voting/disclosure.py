"""Which per-category "Weighted Votes to accept" may be published with the declaration (13.4.3).

A Group's Weighted Vote is derived from its N (12.10-12.16), which is commercially sensitive; how
each Group voted is public. So a category's accept weight can give one Group's weight away: when
only one Group chose the option (the figure is its weight), when only one Group did not (100%
minus the figure), when every Group on one side sits at the 20% cap (12.13-12.16: nobody is above
it, so a side of k Groups at k x 20% shows each at 20%), when a side totals 0% (N = 0), or when
two questions answered by the same Groups (so the same weights) are compared. Such a figure is
withheld; the pass/fail and the counts are always published.

The rule, conservatively: the public is taken to learn the total weight of every *atom*, the
Groups that chose alike on every published figure of the questions with the same voting Groups.
Knowing those totals and that each weight is between 0 and 20%, a Group's weight is pinned exactly
when its atom has one Group, sums to 0, or sums to 20% per Group; each figure is published only if
no atom is then pinned. A figure that merely equals (or is 100% minus) one Group's weight is
withheld too, so that no published figure ever matches a Group's weight. Questions whose voting
Groups differ have different weights from the same N (a different TN), which comparison could
expose; once one has a published figure the others' are withheld.

Figures a category's votes alone determine are always published: 100% when every Group that voted
chose the option, 0% when none did; and under equal shares (12.9), where each weight is 100% over
the number of Groups that voted, the figure is the share of Groups, derived from no N.

Pure: no Django import; exact Fractions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

CAP = Fraction(1, 5)  # 12.13, 12.15: no Weighted Vote is above 20%


class Why(StrEnum):
    """Why a figure is withheld (for the confidential workings; the public sees one sentence)."""

    ONE_GROUP = "one_group"  # one Group chose it, or one did not: the figure gives its weight
    AT_CAP = "at_cap"  # the Groups on one side are all at the 20% cap
    NO_WEIGHT = "no_weight"  # the Groups on one side have no Weighted Vote (N = 0)
    EQUALS_A_WEIGHT = "equals_a_weight"  # the figure equals, or is 100% minus, a Group's weight
    OTHER_VOTERS = "other_voters"  # another question with other voting Groups has a figure


PUBLIC_REASON = (
    "not published: with how each Group voted, it would reveal a Group's Weighted Vote, which is "
    "derived from its confidential N (12.12)"
)


@dataclass(frozen=True)
class QuestionVotes:
    """One question in one Party Category: each voting Group's choice and Weighted Vote.

    ``choices`` maps a Group to a label or ``reject``; ``weights`` the same Groups to their Weighted
    Votes (shares of 1, totalling 1); ``method`` is ``equal`` (12.9) or ``weighted`` (12.10).
    """

    question: str
    method: str
    labels: tuple[str, ...]
    choices: Mapping[str, str]
    weights: Mapping[str, Fraction]

    def chose(self, label: str) -> frozenset[str]:
        return frozenset(g for g, c in self.choices.items() if c == label)

    def accept_weight(self, label: str) -> Fraction:
        return sum((self.weights[g] for g in self.chose(label)), Fraction(0))


def withheld(questions: Sequence[QuestionVotes]) -> dict[tuple[str, str], Why]:
    """The (question, label) figures of one category to withhold, with why; in question order."""
    out: dict[tuple[str, str], Why] = {}
    published: dict[frozenset[str], list[frozenset[str]]] = {}
    for q in questions:
        if q.method != "weighted":
            continue
        voters = frozenset(q.choices)
        family = published.setdefault(voters, [])
        for label in q.labels:
            chose = q.chose(label)
            if not chose or chose == voters:
                continue  # 0% or 100%: the published votes say as much
            why = _why(q, voters, family + [chose], chose, published)
            if why is None:
                family.append(chose)
            else:
                out[(q.question, label)] = why
    return out


def _why(
    q: QuestionVotes,
    voters: frozenset[str],
    sets: list[frozenset[str]],
    chose: frozenset[str],
    published: Mapping[frozenset[str], list[frozenset[str]]],
) -> Why | None:
    if any(other != voters and family for other, family in published.items()):
        return Why.OTHER_VOTERS
    for atom in atoms(voters, sets):
        total = sum((q.weights[g] for g in atom), Fraction(0))
        if len(atom) == 1:
            return Why.ONE_GROUP
        if total == CAP * len(atom):
            return Why.AT_CAP
        if total == 0:
            return Why.NO_WEIGHT
    figure = sum((q.weights[g] for g in chose), Fraction(0))
    if any(figure in (w, 1 - w) for w in q.weights.values()):
        return Why.EQUALS_A_WEIGHT
    return None


def atoms(voters: frozenset[str], sets: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """The Groups of ``voters`` split by which of ``sets`` they are in (alike on every one)."""
    by_signature: dict[tuple[bool, ...], set[str]] = {}
    for group in sorted(voters):
        by_signature.setdefault(tuple(group in s for s in sets), set()).add(group)
    return [frozenset(a) for a in by_signature.values()]


def published_figures(
    questions: Sequence[QuestionVotes],
) -> dict[tuple[str, str], Fraction | None]:
    """Every (question, label) accept weight of one category, None where withheld."""
    hidden = withheld(questions)
    return {
        (q.question, label): None if (q.question, label) in hidden else q.accept_weight(label)
        for q in questions
        for label in q.labels
    }
