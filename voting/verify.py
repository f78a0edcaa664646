"""``python -m voting.verify LOG.json [--head HASH[:LENGTH]] [--case CASE.json]``: check a
downloaded vote log (/changes/<ref>/vote/log.json) with no database and no Django.

- Recomputes every link of the hash chain from the empty genesis hash and checks that the log ends
  at its head; ``--head`` checks it against a head held elsewhere (the 13.8 notice, the vote page).
- After the declaration (the download then has each entry's payload): derives the standing votes
  (a later answer of a Group to a question supersedes the earlier) up to the head the declaration
  counted, prints per question and per category how many Groups accepted and rejected, and checks
  those counts against the declared ones.
- ``--case``: the tally-contract cases (they contain N; the Secretariat and the Authority download
  them with ``log.json?case=1``): runs the Weighted Vote (``voting.tally.decide_case``), prints the
  result, and checks that the cases' votes are the log's standing votes and that the result is
  the declared one.

Exit status: 0 everything agrees; 1 a disagreement (each printed); 2 bad input (one line on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from voting.chain import Link, check_links
from voting.standing import PayloadError, Standing, standing_from_payloads
from voting.tally import CaseError, decide_case, decision_to_dict
from voting.weighting import UndefinedVote

REJECT = "reject"


class BadInput(ValueError):
    """The file is not a vote log (or a case file) as published."""


@dataclass(frozen=True)
class VoteLog:
    reference: str
    links: tuple[Link, ...]
    head_hash: str | None
    head_length: int | None
    questions: dict[int, dict[str, Any]]
    roll: dict[int, tuple[str, str]]  # roll entry -> (category, label in the cases)
    declaration: Mapping[str, Any] | None
    cases: Mapping[str, Any] | None


@dataclass
class Report:
    out: TextIO
    disagreements: list[str] = field(default_factory=list)

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")

    def disagree(self, line: str) -> None:
        self.disagreements.append(line)
        self.say(f"DISAGREES: {line}")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def load_json(path: str) -> object:
    """A decoded JSON file; BadInput when it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.loads(f.read(), parse_constant=_reject_constant)
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:
        raise BadInput(f"{path}: not valid JSON: {exc}") from None


def _int(value: object, where: str) -> int:
    if type(value) is not int or value < 0:
        raise BadInput(f"{where}: must be an integer >= 0")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise BadInput(f"{where}: must be a string")
    return value


def _link(raw: object, i: int) -> Link:
    where = f"entries[{i}]"
    if not isinstance(raw, dict):
        raise BadInput(f"{where}: must be an object")
    payload = raw.get("payload")
    if payload is not None and not isinstance(payload, dict):
        raise BadInput(f"{where}.payload: must be an object")
    return Link(
        sequence=_int(raw.get("sequence"), f"{where}.sequence"),
        previous_hash=_str(raw.get("previous_hash"), f"{where}.previous_hash"),
        entry_hash=_str(raw.get("entry_hash"), f"{where}.entry_hash"),
        payload=payload,
    )


def parse_log(doc: object) -> VoteLog:
    """Validate a downloaded log (decoded JSON); raises BadInput naming the field."""
    if not isinstance(doc, dict):
        raise BadInput("log: must be a JSON object")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise BadInput("entries: must be a list (is this a log.json download?)")
    head = doc.get("head")
    if head is not None and not isinstance(head, dict):
        raise BadInput("head: must be an object")
    questions: dict[int, dict[str, Any]] = {}
    for i, q in enumerate(doc.get("questions") or []):
        if not isinstance(q, dict):
            raise BadInput(f"questions[{i}]: must be an object")
        questions[_int(q.get("id"), f"questions[{i}].id")] = q
    roll: dict[int, tuple[str, str]] = {}
    for i, r in enumerate(doc.get("roll") or []):
        if not isinstance(r, dict):
            raise BadInput(f"roll[{i}]: must be an object")
        entry = _int(r.get("roll_entry"), f"roll[{i}].roll_entry")
        roll[entry] = (_str(r.get("category"), f"roll[{i}].category"), str(r.get("group", "")))
    declaration = doc.get("declaration")
    if declaration is not None and not isinstance(declaration, dict):
        raise BadInput("declaration: must be an object or null")
    cases = doc.get("cases")
    return VoteLog(
        reference=str(doc.get("reference", "")),
        links=tuple(_link(raw, i) for i, raw in enumerate(entries)),
        head_hash=_str(head.get("hash"), "head.hash") if head else None,
        head_length=_int(head.get("length"), "head.length") if head else None,
        questions=questions,
        roll=roll,
        declaration=declaration,
        cases=cases if isinstance(cases, dict) else None,
    )


def _check_chain(log: VoteLog, given_head: str | None, report: Report) -> int:
    """The chain and the heads; returns how many entries the declaration counted."""
    chain = check_links(log.links, head=log.head_hash, length=log.head_length)
    for fault in chain.faults:
        report.disagree(f"chain: {fault.problem}")
    hashes = "every link recomputes" if chain.hashes_checked else "every link follows the last"
    if chain.ok:
        report.say(f"Chain: {chain.entries} entries, {hashes}; head {chain.head or '(empty)'}")
    if not chain.hashes_checked:
        report.say("  (the payloads are published at the declaration; hashes not recomputed)")
    hash_at = {link.sequence: link.entry_hash for link in log.links}
    if given_head is not None:
        wanted, _, length = given_head.partition(":")
        at = int(length) if length.isdigit() else len(log.links)
        if hash_at.get(at, "") != wanted.strip().lower():
            report.disagree(f"head: entry {at} of the log is not the head given ({wanted})")
        else:
            report.say(f"Head given: entry {at} is {wanted}: agrees")
    if log.declaration is None:
        return len(log.links)
    counted = _int(log.declaration.get("chain_length"), "declaration.chain_length")
    declared_head = _str(log.declaration.get("chain_head"), "declaration.chain_head")
    if counted and hash_at.get(counted) != declared_head:
        report.disagree(f"declaration: the declared head (entry {counted}) is not in the log")
    elif counted:
        report.say(f"Declared head: entry {counted}, {declared_head}: in the log")
    return counted or len(log.links)


def _standing(log: VoteLog, counted: int) -> dict[tuple[int, int], Standing]:
    rows = []
    for link in log.links:
        if link.sequence <= counted and link.payload is not None:
            rows.append((link.sequence, link.entry_hash, link.payload))
    try:
        return standing_from_payloads(rows)
    except PayloadError as exc:
        raise BadInput(f"payload of {exc}") from None


Counts = dict[tuple[int, str], Counter[str]]  # (question, category) -> choice -> Groups


def _counts(log: VoteLog, standing: Mapping[tuple[int, int], Standing]) -> Counts:
    counts: Counts = defaultdict(Counter)
    for (roll_entry, question), s in standing.items():
        category = log.roll.get(roll_entry, (s.category, ""))[0]
        counts[(question, category)][s.choice] += 1
    return counts


def _print_counts(log: VoteLog, counts: Counts, report: Report) -> None:
    for question in sorted({q for q, _ in counts} | set(log.questions)):
        q = log.questions.get(question, {})
        report.say(f"Question {q.get('position', question)} ({q.get('kind', question)}):")
        for (qid, category), choices in sorted(counts.items()):
            if qid != question:
                continue
            accepted = ", ".join(
                f"{n} accepted {label}" for label, n in sorted(choices.items()) if label != REJECT
            )
            report.say(
                f"  {category}: {accepted or '0 accepted'}, {choices.get(REJECT, 0)} rejected"
            )


def _check_declared_counts(log: VoteLog, counts: Counts, report: Report) -> None:
    results = (log.declaration or {}).get("results")
    if not isinstance(results, dict):
        return
    for qid, result in results.items():
        question = int(qid) if str(qid).isdigit() else -1
        if not isinstance(result, dict):
            raise BadInput(f"declaration.results.{qid}: must be an object")
        mine = [c for (q, _), c in counts.items() if q == question]
        if "counts" in result:  # an election: Groups per candidate
            total: Counter[str] = sum(mine, Counter())
            for label, n in (result.get("counts") or {}).items():
                if total.get(label, 0) != n:
                    report.disagree(
                        f"question {qid}: {label} has {total.get(label, 0)} votes, declared {n}"
                    )
            continue
        for c in result.get("categories") or []:
            if not isinstance(c, dict):
                raise BadInput(f"declaration.results.{qid}.categories: must hold objects")
            got = counts.get((question, str(c.get("category"))), Counter())
            where = f"question {qid}, {c.get('category')}"
            if sum(got.values()) != c.get("groups_voted"):
                report.disagree(
                    f"{where}: {sum(got.values())} Groups voted in the log, "
                    f"{c.get('groups_voted')} declared"
                )
            for label, n in (c.get("accept_groups") or {}).items():
                if got.get(label, 0) != n:
                    report.disagree(
                        f"{where}: {got.get(label, 0)} Groups accepted {label} in "
                        f"the log, {n} declared"
                    )


def _cases_by_question(log: VoteLog, raw: object) -> dict[int, Mapping[str, Any]]:
    """The case file as {question id: case}: a ?case=1 download, a mapping, or one case."""
    if isinstance(raw, dict) and isinstance(raw.get("cases"), dict):
        raw = raw["cases"]
    if isinstance(raw, dict) and "categories" in raw:
        matching = [qid for qid, q in log.questions.items() if q.get("kind") == raw.get("question")]
        if len(log.questions) == 1:
            matching = list(log.questions)
        if len(matching) != 1:
            raise BadInput("case: one case but several questions; use the log.json?case=1 file")
        return {matching[0]: raw}
    if not isinstance(raw, dict) or not raw:
        raise BadInput("case: must be a case, or an object of cases by question id")
    out: dict[int, Mapping[str, Any]] = {}
    for key, case in raw.items():
        if not str(key).isdigit() or not isinstance(case, dict):
            raise BadInput(f"case.{key}: must be a question id with its case")
        out[int(key)] = case
    return out


def _check_case_votes(
    log: VoteLog,
    qid: int,
    case: Mapping[str, Any],
    standing: Mapping[tuple[int, int], Standing],
    report: Report,
) -> None:
    by_label = {label: entry for entry, label in log.roll.items()}
    labels = case.get("variations") or ["proposal"]
    seen = set()
    for category in case.get("categories") or []:
        for group in category.get("groups") or []:
            entry = by_label.get((category.get("category"), group.get("group")))
            if entry is None:
                report.disagree(f"case {qid}: {group.get('group')} is not on the roll")
                continue
            seen.add(entry)
            vote = group.get("vote")
            if vote == "accept" and len(labels) == 1:
                vote = labels[0]
            stands = standing.get((entry, qid))
            if (stands.choice if stands else None) != vote:
                report.disagree(
                    f"case {qid}: {group.get('group')}'s vote is not its standing vote in the log"
                )
    for entry, question in standing:
        if question == qid and entry not in seen:
            report.disagree(f"case {qid}: a standing vote of roll entry {entry} is missing")


def _run_cases(
    log: VoteLog, raw: object, standing: Mapping[tuple[int, int], Standing], report: Report
) -> None:
    if not log.roll:
        raise BadInput("case: check it against a log downloaded after the declaration")
    results = (log.declaration or {}).get("results") or {}
    for qid, case in sorted(_cases_by_question(log, raw).items()):
        try:
            result = decision_to_dict(decide_case(case))
        except CaseError as exc:
            raise BadInput(f"case {qid}: {' '.join(str(exc).split())}") from None
        except UndefinedVote as exc:
            _check_case_votes(log, qid, case, standing, report)
            report.disagree(f"case {qid}: the agreement leaves it undefined: {exc}")
            continue
        _check_case_votes(log, qid, case, standing, report)
        option = f" ({result['selected_option']})" if result["selected_option"] else ""
        report.say(f"Weighted Vote, question {qid}: {result['outcome']}{option}")
        declared = results.get(str(qid)) or {}
        for key in ("outcome", "selected_option"):
            if key in declared and declared[key] != result[key]:
                report.disagree(f"case {qid}: {key} {result[key]}, declared {declared[key]}")


def verify(log_doc: object, case_doc: object | None, given_head: str | None, out: TextIO) -> int:
    """Check a decoded log (and case file); print the findings; return the exit status."""
    log = parse_log(log_doc)
    report = Report(out)
    report.say(f"Vote log of {log.reference or '(no reference)'}")
    counted = _check_chain(log, given_head, report)
    if any(link.payload is not None for link in log.links):
        standing = _standing(log, counted)
        counts = _counts(log, standing)
        report.say(f"Standing votes (through entry {counted}), Groups per category:")
        _print_counts(log, counts, report)
        _check_declared_counts(log, counts, report)
        if case_doc is not None:
            _run_cases(log, case_doc, standing, report)
    elif case_doc is not None:
        raise BadInput("case: the log has no payloads yet (they are published at the declaration)")
    if report.disagreements:
        report.say(f"{len(report.disagreements)} disagreement(s).")
        return 1
    report.say("Everything agrees.")
    return 0


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(
        prog="python -m voting.verify", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("log", help="the log.json download")
    parser.add_argument("--case", help="the tally-contract cases (log.json?case=1)")
    parser.add_argument("--head", help="a head held elsewhere: HASH or HASH:LENGTH")
    args = parser.parse_args(argv)
    try:
        log_doc = load_json(args.log)
        case_doc = load_json(args.case) if args.case else None
        return verify(log_doc, case_doc, args.head, stdout)
    except BadInput as exc:
        print(" ".join(str(exc).split()), file=stderr)
    except RecursionError:
        print("input: nested too deeply to be a vote log or a case", file=stderr)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        print(f"input: not a vote log or a case as published ({type(exc).__name__})", file=stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
