"""The workings of a Change Decision: every step, for the Secretariat's declaration (13.4.2-13.4.3).

``explain(decision)`` gives frozen dataclasses; ``to_dict`` makes them JSON-able (each Fraction as
``{"exact": "p/q", "percent": "12.345678"}``); ``render_text`` gives plain text. ``percent`` is the
one display rounding of the product: six decimals, half-even, from the exact value (no floats).

N and the per-Group weights are commercially sensitive (a Supplier's N is its market size): show
the full workings only to those entitled to them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from voting.decision import (
    PART1_THRESHOLD,
    PART2_THRESHOLD,
    SMALL_CATEGORY,
    CategoryResult,
    Decision,
    OptionResult,
    OptionTally,
)
from voting.weighting import CAP, EQUAL_SHARE_CATEGORIES, MAX_VOTERS_FOR_EQUAL_SHARES, Round

_SCALE = 100 * 10**6  # percent, six decimals


def percent_of(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` (denominator > 0) as a percentage with six decimals, rounded
    half-even: ``percent_of(2, 3) == "66.666667"``."""
    if numerator < 0:
        text = percent_of(-numerator, denominator)
        return text if text == "0.000000" else f"-{text}"
    q, r = divmod(numerator * _SCALE, denominator)
    if 2 * r > denominator or (2 * r == denominator and q & 1):
        q += 1
    whole, decimals = divmod(q, 10**6)
    return f"{whole}.{decimals:06d}"


def percents_of(numerators: Iterable[int], denominator: int) -> list[str]:
    """``percent_of`` for many numerators over one denominator (computing each value once)."""
    cache: dict[int, str] = {}
    out = []
    for numerator in numerators:
        text = cache.get(numerator)
        if text is None:
            text = cache[numerator] = percent_of(numerator, denominator)
        out.append(text)
    return out


def percent(value: Fraction) -> str:
    """A share of 1 as a percentage string: ``Fraction(1, 3)`` -> ``"33.333333"``."""
    return percent_of(value.numerator, value.denominator)


def exact(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class GroupLine:
    """One Group: N, vote, and (if it voted in a counted category) V, SVA and WV (12.10)."""

    group: str
    n: int
    vote: str | None
    basic_vote: Fraction | None
    adjustment: Fraction | None
    weight: Fraction | None
    capped_round: int | None


@dataclass(frozen=True)
class OptionLine:
    """One option in one counted category and the tests of 13.5.1 or 13.6.1-13.6.2."""

    label: str
    accept_groups: int
    voting_groups: int
    accept_share: Fraction
    accept_weight: Fraction
    share_test: bool | None
    weight_test: bool
    passes: bool
    why: str


@dataclass(frozen=True)
class CategoryWorkings:
    category: str
    eligible: bool
    counted: bool
    groups_total: int
    groups_voted: int
    why_counted: str
    method: str | None
    why_method: str | None
    total_n: int | None
    groups: tuple[GroupLine, ...]
    rounds: tuple[Round, ...]
    options: tuple[OptionLine, ...]


@dataclass(frozen=True)
class OptionSummary:
    label: str
    categories_passed: int
    categories_counted: int
    passes: bool
    why: str


@dataclass(frozen=True)
class Workings:
    matter: str
    labels: tuple[str, ...]
    categories: tuple[CategoryWorkings, ...]
    options: tuple[OptionSummary, ...]
    outcome: str
    selected_option: str | None
    deemed_part1: bool
    why: tuple[str, ...]


def explain(decision: Decision) -> Workings:
    """Every step of ``decision``, with the clause behind it."""
    return Workings(
        matter=decision.matter,
        labels=decision.labels,
        categories=tuple(_category(decision, c) for c in decision.categories),
        options=tuple(_option_summary(decision, o) for o in decision.options),
        outcome=decision.outcome,
        selected_option=decision.selected_option,
        deemed_part1=decision.deemed_part1,
        why=_outcome_why(decision),
    )


def _category(decision: Decision, result: CategoryResult) -> CategoryWorkings:
    weights = result.weights
    details = {g.group: g for g in weights.details()} if weights else {}
    lines = []
    for g in result.votes.groups:
        d = details.get(g.group)
        lines.append(
            GroupLine(
                group=g.group,
                n=g.n,
                vote=g.vote,
                basic_vote=d.basic_vote if d else None,
                adjustment=d.adjustment if d else None,
                weight=d.weight if d else None,
                capped_round=d.capped_round if d else None,
            )
        )
    return CategoryWorkings(
        category=result.category,
        eligible=result.eligible,
        counted=result.counted,
        groups_total=result.groups_total,
        groups_voted=result.groups_voted,
        why_counted=_why_counted(result),
        method=weights.method if weights else None,
        why_method=_why_method(result) if weights else None,
        total_n=weights.total_n if weights else None,
        groups=tuple(lines),
        rounds=weights.rounds if weights else (),
        options=tuple(_option_line(decision, t) for t in result.options),
    )


def _why_counted(result: CategoryResult) -> str:
    if not result.eligible:
        return "not eligible to vote on the Change Report: not counted"
    if not result.groups_voted:
        return "no Group voted: treated as not eligible (12.17), not counted"
    return f"eligible and {_groups(result.groups_voted)} voted: counted (12.17)"


def _groups(count: int) -> str:
    return f"{count} Group" if count == 1 else f"{count} Groups"


def _why_method(result: CategoryResult) -> str:
    if result.category in EQUAL_SHARE_CATEGORIES:
        return f"12.9: {result.category} Groups have equal Weighted Votes, 100% / voting Groups"
    if result.groups_voted <= MAX_VOTERS_FOR_EQUAL_SHARES:
        return "12.9.4: five or fewer Groups voted: equal Weighted Votes, 100% / voting Groups"
    return "12.10-12.16: six or more Groups voted: WV = V + SVA, V = N / TN, capped at 20%"


def _option_line(decision: Decision, tally: OptionTally) -> OptionLine:
    threshold = PART1_THRESHOLD if decision.matter == "part1" else PART2_THRESHOLD
    clause = "13.5.1" if decision.matter == "part1" else "13.6.2"
    weight_why = (
        f"Weighted Votes to accept {percent(tally.accept_weight)}% "
        f"{'>' if tally.weight_test else 'not >'} {percent(threshold)}% ({clause})"
    )
    parts = [weight_why]
    if tally.share_test is not None:
        parts.insert(
            0,
            f"{tally.accept_groups} of {tally.voting_groups} voting Groups accept, "
            f"{percent(tally.accept_share)}% {'>' if tally.share_test else 'not >'} "
            f"{percent(PART2_THRESHOLD)}% (13.6.1)",
        )
    verdict = "passes" if tally.passes else "fails"
    return OptionLine(
        label=tally.label,
        accept_groups=tally.accept_groups,
        voting_groups=tally.voting_groups,
        accept_share=tally.accept_share,
        accept_weight=tally.accept_weight,
        share_test=tally.share_test,
        weight_test=tally.weight_test,
        passes=tally.passes,
        why=f"{'; '.join(parts)}: {verdict}",
    )


def _option_summary(decision: Decision, option: OptionResult) -> OptionSummary:
    clause = "13.5" if decision.matter == "part1" else "13.6"
    more = "more" if option.passes else "not more"
    why = (
        f"passes in {option.categories_passed} of {option.categories_counted} counted "
        f"categories: {more} than half ({clause})"
    )
    return OptionSummary(
        option.label, option.categories_passed, option.categories_counted, option.passes, why
    )


def _outcome_why(decision: Decision) -> tuple[str, ...]:
    counted = [c for c in decision.categories if c.counted]
    if not counted:
        why = ["no category is counted (12.17): no option can pass in more than half of them"]
    else:
        why = []
    if decision.selected_option is not None:
        why.append(f"{decision.selected_option} passes: {decision.outcome}")
    elif decision.matter == "part1":
        why.append("no option passes (13.5.2): the Parties recommend rejection")
    elif not decision.deemed_part1:
        why.append("no option passes (13.7): rejected")
    for label in decision.deemed_options:
        large = [c.category for c in counted if c.groups_total >= SMALL_CATEGORY]
        failed = [c.category for c in counted if not c.option(label).passes]
        why.append(
            f"13.7: {label} met both tests in every counted category of {SMALL_CATEGORY} or more "
            f"Groups ({', '.join(large) or 'there are none'}) and failed only in categories of "
            f"fewer than {SMALL_CATEGORY} Groups ({', '.join(failed)}): deemed a Part 1 matter; "
            "the Parties are deemed to recommend rejection"
        )
    return tuple(why)


def _plain(value: object) -> object:
    if isinstance(value, Fraction):
        return {"exact": exact(value), "percent": percent(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def to_dict(workings: Workings) -> dict[str, object]:
    """``workings`` as plain, JSON-able data."""
    plain = _plain(workings)
    assert isinstance(plain, dict)
    return plain


def _pct(value: Fraction | None, signed: bool = False) -> str:
    if value is None:
        return "-"
    sign = ("+" if value >= 0 else "-") if signed else ""
    return f"{sign}{percent(abs(value) if signed else value)}%"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    """Rows as aligned columns (numbers right-aligned), so the workings read down a column."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    pad = [str.rjust if i in right else str.ljust for i in range(len(widths))]
    return ["  ".join(pad[i](c, widths[i]) for i, c in enumerate(r)) for r in rows]


def render_text(workings: Workings, names: Mapping[str, str] | None = None) -> str:
    """The workings as plain text, one category after another (``names``: a category's words):
    each Group's N, Basic Vote, change in each round (12.13-12.16), Weighted Vote, then exactly."""
    matter = {"part1": "Part 1 (13.5)", "part2": "Part 2 (13.6-13.7)"}[workings.matter]
    out = [f"Matter: {matter}. Ballot: {', '.join(workings.labels)} or reject."]
    for c in workings.categories:
        out.append("")
        out.append(
            f"{(names or {}).get(c.category, c.category)}: {_groups(c.groups_total)}, "
            f"{c.groups_voted} voted; {c.why_counted}"
        )
        if not c.counted:
            continue
        out.append(f"  Method: {c.why_method}")
        if c.method == "weighted":
            out.append(f"  TN = {c.total_n}")
        numbers = [f"R{r.number}" for r in c.rounds]
        rows = [["Group", "N", "vote", "V", *numbers, "WV", "capped"]]
        for g in c.groups:
            steps = {s.number: s.change for s in group_steps(c, g.group).steps}
            capped = "" if g.capped_round is None else f"round {g.capped_round}"
            rounds = [_pct(steps.get(r.number), signed=True) for r in c.rounds]
            rows.append(
                [g.group, str(g.n), g.vote or "(no vote)", _pct(g.basic_vote), *rounds]
                + [_pct(g.weight), capped]
            )
        right = {1, *range(3, 4 + len(c.rounds) + 1)}
        out.extend(f"  {line}".rstrip() for line in _table(rows, right))
        out.extend(f"  {_round_text(r)}" for r in c.rounds)
        exact_weights = [f"{g.group} = {exact(g.weight)}" for g in c.groups if g.weight is not None]
        if c.method == "weighted":
            out.append(f"  Weighted Votes exactly: {'; '.join(exact_weights)}")
        out.extend(f"  {o.label}: {o.why}" for o in c.options)
    out.append("")
    out.extend(f"{o.label}: {o.why}" for o in workings.options)
    out.append(f"Outcome: {workings.outcome}; selected option: {workings.selected_option}")
    out.extend(workings.why)
    return "\n".join(line.rstrip() for line in out) + "\n"


@dataclass(frozen=True)
class RoundStep:
    """One round of 12.13-12.16 as it touched one Group: ``change`` is the share it received
    (excess x N / XN) or, negative, what it gave up when cut to 20%; None if it took no part."""

    number: int
    excess: Fraction  # SV in round 1 (12.13.3), the excess shared in later rounds (12.15)
    capped: int  # how many Groups were cut to 20% in the round
    recipients: int
    recipients_n: int  # XN (12.14) or the N sum of the Groups below 20% (12.15.2)
    change: Fraction | None


@dataclass(frozen=True)
class GroupSteps:
    """What a Party needs to check its Group's Weighted Vote by hand: WV = V + each round."""

    group: str
    n: int
    vote: str | None
    method: str | None
    total_n: int | None
    basic_vote: Fraction | None
    steps: tuple[RoundStep, ...]
    weight: Fraction | None


def group_steps(category: CategoryWorkings, group: str) -> GroupSteps:
    """``group``'s N, Basic Vote, change in each round and Weighted Vote in ``category``."""
    line = next(g for g in category.groups if g.group == group)
    steps = []
    running, fixed = line.basic_vote or Fraction(0), False
    for r in category.rounds if line.basic_vote is not None else ():
        change: Fraction | None = None
        if group in r.capped:
            change, running, fixed = CAP - running, CAP, True
        elif group in r.at_cap:
            fixed = True
        elif not fixed:
            change = r.excess * line.n / r.recipients_n
            running += change
        steps.append(
            RoundStep(r.number, r.excess, len(r.capped), r.recipients, r.recipients_n, change)
        )
    return GroupSteps(
        group, line.n, line.vote, category.method, category.total_n, line.basic_vote,
        tuple(steps), line.weight,
    )  # fmt: skip


def _round_text(r: Round) -> str:
    if r.number == 1:
        return (
            f"Round 1 (12.13-12.14): Basic Vote above 20% cut to 20%: {', '.join(r.capped)}; "
            f"Surplus Vote SV = {percent(r.excess)}% shared pro rata to N among the "
            f"{r.recipients} other Groups (XN = {r.recipients_n})"
        )
    left_out = f"; left out at exactly 20%: {', '.join(r.at_cap)}" if r.at_cap else ""
    return (
        f"Round {r.number} (12.15-12.16): above 20% cut to 20%: {', '.join(r.capped)}; "
        f"excess {percent(r.excess)}% shared pro rata to N among the {r.recipients} Groups "
        f"below 20% (N sum {r.recipients_n}){left_out}"
    )
