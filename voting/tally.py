"""``python -m voting.tally [--explain] [CASE.json]``: one question of a Party vote, as JSON.

The contract is /work/shared/spec/tally-contract.md. In short:

- stdout: the result JSON, exit 0 (``--explain``: the plain-text workings instead).
- Input that breaks the contract: one line on stderr naming the field
  (``categories[1].groups[3].n: must be an integer >= 0``), exit 2, nothing on stdout.
- A case the agreement leaves undefined (a share pro rata to N among Groups whose N sum is 0):
  ``{"error": "<category>: <why>"}`` on stdout, exit 3.

Choices where the contract is silent:

- Keys the contract does not name are ignored (so a case can carry notes or ids).
- ``vote`` is required on every Group (null for "did not vote"), like ``group`` and ``n``.
- ``group`` is a non-empty string; a label is a non-empty string other than ``reject``.
- ``accept`` means the single label only when the ballot has exactly one label; a label that is
  literally ``accept`` is matched as a label first.
- No category, or none counted: no option passes in more than half of zero categories, so the
  outcome is ``recommend_reject`` (Part 1) or ``rejected`` (Part 2; 13.7 needs a failing category).
- A non-eligible category is still validated in full, is listed with ``groups_total`` and
  ``groups_voted`` (its votes, if any, count for nothing) and is never weighted.

``tally_case`` is the pure function behind the command; the web app calls it (or ``decide`` and
``decision_to_dict``) with no Django settings needed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO, cast

from voting.decision import REJECT, CategoryVotes, Decision, GroupVote, Matter, decide
from voting.weighting import CATEGORIES, UndefinedVote
from voting.workings import explain, percent, percents_of, render_text

DEFAULT_LABELS = ("proposal",)
ACCEPT = "accept"  # a synonym for the label when the ballot has only one


class CaseError(ValueError):
    """Input that breaks the tally contract; ``field`` is its path (``categories[0].groups``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Case:
    matter: Matter
    labels: tuple[str, ...]
    categories: tuple[CategoryVotes, ...]


def parse_case(case: object) -> Case:
    """Validate a case (decoded JSON) and convert it; raises ``CaseError`` at the first fault."""
    if not isinstance(case, dict):
        raise CaseError("case", "must be a JSON object")
    matter = _required(case, "matter", "")
    if matter not in ("part1", "part2"):
        raise CaseError("matter", 'must be "part1" or "part2"')
    labels = _labels(case)
    categories = _required(case, "categories", "")
    if not isinstance(categories, list):
        raise CaseError("categories", "must be a list")
    seen: set[str] = set()
    parsed = []
    for i, raw in enumerate(categories):
        votes = _category(raw, f"categories[{i}]", labels)
        if votes.category in seen:
            raise CaseError(f"categories[{i}].category", f"{votes.category} is listed twice")
        seen.add(votes.category)
        parsed.append(votes)
    return Case(cast(Matter, matter), labels, tuple(parsed))


def _required(obj: Mapping[str, object], key: str, path: str) -> object:
    if key not in obj:
        raise CaseError(f"{path}{key}", "is required")
    return obj[key]


def _labels(case: Mapping[str, object]) -> tuple[str, ...]:
    raw = case.get("variations", list(DEFAULT_LABELS))
    if not isinstance(raw, list) or not raw:
        raise CaseError("variations", "must be a non-empty list of labels")
    for i, label in enumerate(raw):
        if not isinstance(label, str) or not label or label == REJECT:
            raise CaseError(f"variations[{i}]", 'must be a non-empty string other than "reject"')
        if label in raw[:i]:
            raise CaseError(f"variations[{i}]", f"{json.dumps(label)} is listed twice")
    return tuple(raw)


def _category(raw: object, path: str, labels: tuple[str, ...]) -> CategoryVotes:
    if not isinstance(raw, dict):
        raise CaseError(path, "must be a JSON object")
    category = _required(raw, "category", f"{path}.")
    if category not in CATEGORIES:
        raise CaseError(f"{path}.category", f"must be one of {', '.join(CATEGORIES)}")
    eligible = raw.get("eligible", True)
    if not isinstance(eligible, bool):
        raise CaseError(f"{path}.eligible", "must be true or false")
    groups = _required(raw, "groups", f"{path}.")
    if not isinstance(groups, list):
        raise CaseError(f"{path}.groups", "must be a list")
    votes = {label: label for label in labels}
    votes[REJECT] = REJECT
    if len(labels) == 1:
        votes.setdefault(ACCEPT, labels[0])
    seen: set[str] = set()
    parsed = []
    for j, group in enumerate(groups):
        try:
            name, n, vote = group["group"], group["n"], group["vote"]
            valid = (
                type(name) is str
                and name != ""
                and name not in seen
                and type(n) is int  # exactly int: JSON true/false are not numbers of meters
                and n >= 0
                and (vote is None or vote in votes)
            )
        except (TypeError, KeyError):  # not an object, a missing key, an unhashable vote
            valid = False
        if not valid:
            raise _group_fault(group, f"{path}.groups[{j}]", category, seen, votes)
        seen.add(name)
        parsed.append(GroupVote(name, n, None if vote is None else votes[vote]))
    return CategoryVotes(str(category), tuple(parsed), eligible)


def _group_fault(
    group: object, where: str, category: object, seen: set[str], votes: dict[str, str]
) -> CaseError:
    """The first fault of an invalid Group entry, with its field path."""
    if not isinstance(group, dict):
        return CaseError(where, "must be a JSON object")
    name = _required(group, "group", f"{where}.")
    if not isinstance(name, str) or not name:
        return CaseError(f"{where}.group", "must be a non-empty string")
    if name in seen:
        return CaseError(f"{where}.group", f"{json.dumps(name)} is listed twice in {category}")
    n = _required(group, "n", f"{where}.")
    if type(n) is not int or n < 0:
        return CaseError(f"{where}.n", "must be an integer >= 0")
    _required(group, "vote", f"{where}.")
    allowed = ", ".join(json.dumps(v) for v in votes)
    return CaseError(f"{where}.vote", f"must be null or one of {allowed}")


def decision_to_dict(decision: Decision) -> dict[str, object]:
    """The result JSON of the contract."""
    categories = []
    for c in decision.categories:
        out: dict[str, object] = {
            "category": c.category,
            "eligible": c.eligible,
            "counted": c.counted,
            "groups_total": c.groups_total,
            "groups_voted": c.groups_voted,
        }
        if c.weights is not None:
            den = c.weights.denominator
            out["method"] = c.weights.method
            out["weights"] = dict(
                zip(c.weights.groups, percents_of(c.weights.numerators, den), strict=True)
            )
            out["options"] = {
                t.label: {
                    "accept_groups": t.accept_groups,
                    "accept_share": percent(t.accept_share),
                    "accept_weight": percent(t.accept_weight),
                    "passes": t.passes,
                }
                for t in c.options
            }
        categories.append(out)
    return {
        "matter": decision.matter,
        "counted_categories": list(decision.counted_categories),
        "categories": categories,
        "options": {
            o.label: {
                "categories_passed": o.categories_passed,
                "categories_counted": o.categories_counted,
                "passes": o.passes,
            }
            for o in decision.options
        },
        "outcome": decision.outcome,
        "selected_option": decision.selected_option,
        "deemed_part1": decision.deemed_part1,
    }


def decide_case(case: object) -> Decision:
    """Validate and decide; raises ``CaseError`` or ``weighting.UndefinedVote``."""
    parsed = parse_case(case)
    return decide(parsed.matter, parsed.categories, parsed.labels)


def tally_case(case: object) -> dict[str, object]:
    """The contract's result for a decoded case; raises ``CaseError`` or ``UndefinedVote``."""
    return decision_to_dict(decide_case(case))


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """The command line; returns the exit status (0, 2 or 3)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(
        prog="python -m voting.tally", description=__doc__.split("\n")[0]
    )
    parser.add_argument("case", nargs="?", default="-", help="case JSON file (default: stdin)")
    parser.add_argument("--explain", action="store_true", help="print the workings as text")
    args = parser.parse_args(argv)
    try:
        if args.case == "-":
            text = stdin.read()
        else:
            with open(args.case, encoding="utf-8") as f:
                text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.case}: cannot read: {exc}", file=stderr)
        return 2
    try:
        case = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        print(f"case: not valid JSON: {exc}", file=stderr)
        return 2
    except RecursionError:  # e.g. 100,000 nested lists: bad input, not a crash
        print("case: nested too deeply to be a case", file=stderr)
        return 2
    try:
        decision = decide_case(case)
    except RecursionError:
        print("case: nested too deeply to be a case", file=stderr)
        return 2
    except CaseError as exc:
        print(" ".join(str(exc).split()), file=stderr)  # one line, whatever the labels hold
        return 2
    except UndefinedVote as exc:
        stdout.write(json.dumps({"error": str(exc)}) + "\n")
        return 3
    if args.explain:
        stdout.write(render_text(explain(decision)))
    else:
        stdout.write(json.dumps(decision_to_dict(decision)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
