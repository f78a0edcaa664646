"""The log is the vote (12.4.6: votes not interfered with): checking a ballot's hash chain, its
current-vote table and its declaration against each other.

`ballot_findings` reads a ballot once (five queries) and lists every fault: a link that does not
recompute, a log that no longer ends at its head or no longer passes through a head recorded by an
earlier check, a row of the current-vote table that disagrees with its log entry or with the
standing entries, a declaration that counted other votes or another head than the log's. A fault
never shows a choice (the votes are secret until the declaration, 13.4). `ballot_check` records
the check (BallotCheck) and tells the Secretariat once per failure; `ballot_block` stops a
declaration.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panel.audit import audit_record
from panel.mail import mail_send
from panel.models import User

from ..audit import VotingAction
from ..chain import ChainCheck, Link, check_links
from ..models import (
    Ballot,
    BallotCheck,
    BallotStatus,
    CheckOccasion,
    Declaration,
    FaultDecision,
    FaultOutcome,
    Question,
    RollEntry,
    Vote,
    VoteLogEntry,
)
from ..selectors import case_labels
from ..standing import Standing, standing_from_payloads
from .notices import secretariat_emails

Fault = dict[str, Any]


def _fault(kind: str, detail: str, sequence: int | None = None) -> Fault:
    return {"kind": kind, "sequence": sequence, "detail": detail}


@dataclass(frozen=True)
class Findings:
    """What one reading of a ballot found; `head`/`length` are the log's as read."""

    ballot_id: int
    chain: ChainCheck
    head: str
    length: int
    faults: tuple[Fault, ...]
    standing: Mapping[tuple[int, int], Standing]

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def fault_list(self) -> list[Fault]:
        return [dict(f) for f in self.faults]


def _answers(payload: object) -> tuple[int, list[tuple[int, str]], str] | None:
    """(roll entry, [(question, choice)], reason) of a payload, or None if it is not a cast."""
    if not isinstance(payload, dict) or type(payload.get("roll_entry")) is not int:
        return None
    answers = payload.get("answers")
    if not isinstance(answers, list):
        return None
    out = []
    for a in answers:
        if not isinstance(a, dict) or type(a.get("question")) is not int:
            return None
        if not isinstance(a.get("choice"), str):
            return None
        out.append((a["question"], a["choice"]))
    return payload["roll_entry"], out, str(payload.get("reason", ""))


class _Reading:
    """A ballot's log, votes, roll and questions, read once."""

    def __init__(self, ballot: Ballot) -> None:
        self.entries = list(
            VoteLogEntry.objects.filter(ballot_id=ballot.pk)
            .order_by("sequence")
            .values_list("pk", "sequence", "previous_hash", "entry_hash", "payload")
        )
        self.votes = list(
            Vote.objects.filter(ballot_id=ballot.pk)
            .order_by("pk")
            .values_list(
                "question_id", "roll_entry_id", "choice", "reason", "log_entry_id", "superseded_at"
            )
        )
        self.roll = list(RollEntry.objects.filter(ballot_id=ballot.pk).order_by("pk"))
        self.positions = dict(
            Question.objects.filter(ballot_id=ballot.pk).values_list("pk", "position")
        )
        self.names = {e.pk: e.group_name for e in self.roll}
        self.hash_at = {seq: h for _, seq, _, h, _ in self.entries}
        self.seq_of = {pk: seq for pk, seq, _, _, _ in self.entries}

    def where(self, roll_entry: int, question: int) -> str:
        group = self.names.get(roll_entry, f"roll entry {roll_entry}")
        return f"{group}, question {self.positions.get(question, question)}"

    def standing(self, through: int | None = None) -> dict[tuple[int, int], Standing]:
        return standing_from_payloads(
            (seq, h, payload)
            for _, seq, _, h, payload in self.entries
            if (through is None or seq <= through) and _answers(payload) is not None
        )


def _vote_faults(r: _Reading, standing: Mapping[tuple[int, int], Standing]) -> list[Fault]:
    """The current-vote table against the log, entry by entry, then against what stands."""
    faults: list[Fault] = []
    rows = defaultdict(list)
    for q, entry, choice, reason, log_id, _superseded in r.votes:
        if log_id not in r.seq_of:
            faults.append(_fault("vote", f"{r.where(entry, q)}: a vote row with no log entry"))
        rows[log_id].append((q, entry, choice, reason))
    for pk, seq, _, _, payload in r.entries:
        cast = _answers(payload)
        if cast is None:
            faults.append(_fault("chain", f"entry {seq} is not the record of a cast", seq))
            continue
        roll_entry, answers, reason = cast
        expected = {(roll_entry, q): choice for q, choice in answers}
        found = {(e, q): (choice, why) for q, e, choice, why in rows.get(pk, [])}
        for key in sorted(expected.keys() | found.keys()):
            where = r.where(key[0], key[1])
            if key not in found:
                faults.append(_fault("vote", f"{where}: log entry {seq} has no vote row", seq))
            elif key not in expected:
                faults.append(_fault("vote", f"{where}: a vote row not in log entry {seq}", seq))
            elif found[key][0] != expected[key]:
                faults.append(_fault("vote", f"{where}: the choice differs from entry {seq}", seq))
            elif found[key][1] != reason:
                faults.append(_fault("vote", f"{where}: the reason differs from entry {seq}", seq))
    live = {(e, q): log_id for q, e, _, _, log_id, superseded in r.votes if superseded is None}
    for key in sorted(standing.keys() | live.keys()):
        where = r.where(key[0], key[1])
        stands = standing.get(key)
        if stands is None:
            faults.append(_fault("vote", f"{where}: a current vote that the log does not hold"))
        elif key not in live:
            faults.append(
                _fault("vote", f"{where}: entry {stands.sequence} has no current vote", None)
            )
        elif r.seq_of.get(live[key]) != stands.sequence:
            seq = stands.sequence
            faults.append(_fault("vote", f"{where}: the current vote is not entry {seq}", seq))
    return faults


def _head_faults(r: _Reading, ballot: Ballot) -> list[Fault]:
    """The log still passes through every head an earlier passing check recorded."""
    recorded = (
        BallotCheck.objects.filter(ballot_id=ballot.pk, ok=True, chain_length__gt=0)
        .values_list("chain_length", "chain_head")
        .distinct()
    )
    return [
        _fault("head", f"the log no longer passes through the head recorded at entry {n}", n)
        for n, head in sorted(recorded)
        if r.hash_at.get(n) != head
    ]


def _declaration_faults(r: _Reading, declaration: Declaration) -> list[Fault]:
    """The declaration counted the log's votes, up to the head it published."""
    n = declaration.chain_length
    if n and r.hash_at.get(n) != declaration.chain_head:
        return [_fault("declaration", f"the log does not pass through the declared head ({n})")]
    standing = r.standing(through=n or None)
    labels = case_labels(r.roll)
    by_label = {(e.category, labels[e.pk]): e.pk for e in r.roll}
    faults = []
    for qid, case in sorted(declaration.cases.items()):
        for category in case.get("categories", []):
            for group in category.get("groups", []):
                entry = by_label.get((category.get("category"), group.get("group")))
                stands = standing.get((entry, int(qid))) if entry is not None else None
                if (stands.choice if stands else None) != group.get("vote"):
                    where = f"{group.get('group')}, question {r.positions.get(int(qid), qid)}"
                    faults.append(
                        _fault(
                            "declaration",
                            f"{where}: the declaration counted a vote the log does not hold",
                        )
                    )
    return faults


def ballot_findings(ballot: Ballot) -> Findings:
    """Chain, current votes, recorded heads and any declaration, against each other."""
    r = _Reading(ballot)
    links = [Link(seq, prev, h, p) for _, seq, prev, h, p in r.entries]
    chain = check_links(links, head=ballot.chain_head, length=ballot.chain_length)
    faults: list[Fault] = [_fault("chain", f.problem, f.sequence) for f in chain.faults]
    standing = r.standing()
    faults += _vote_faults(r, standing)
    faults += _head_faults(r, ballot)
    declaration = Declaration.objects.filter(ballot_id=ballot.pk).first()
    if declaration is not None:
        faults += _declaration_faults(r, declaration)
    return Findings(
        ballot_id=ballot.pk,
        chain=chain,
        head=links[-1].entry_hash if links else "",
        length=len(links),
        faults=tuple(faults),
        standing=standing,
    )


def answering_decision(ballot: Ballot, findings: Findings) -> FaultDecision | None:
    """The Secretariat's decision to declare from the log that answers exactly these faults."""
    decision = (
        FaultDecision.objects.filter(ballot_id=ballot.pk, outcome=FaultOutcome.DECLARE_FROM_LOG)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if decision is not None and decision.faults == findings.fault_list:
        return decision
    return None


def faults_url(ballot: Ballot) -> str:
    return f"{settings.SITE_URL}/votes/ballots/{ballot.pk}/faults/"


def _tell(ballot: Ballot, findings: Findings, occasion: str, blocked: bool) -> None:
    mail_send(
        template="voting/check_failed",
        to=secretariat_emails(),
        context={
            "reference": ballot.reference,
            "occasion": CheckOccasion(occasion).label.lower(),
            "faults": [f["detail"] for f in findings.faults],
            "blocked": blocked,
            "url": faults_url(ballot),
        },
    )


def _record(ballot: Ballot, findings: Findings, occasion: str, now: dt.datetime) -> BallotCheck:
    return BallotCheck.objects.create(
        ballot_id=ballot.pk,
        checked_at=now,
        occasion=occasion,
        ok=findings.ok,
        chain_length=findings.length,
        chain_head=findings.head,
        faults=findings.fault_list,
    )


def ballot_check(
    *,
    ballot: Ballot,
    occasion: str,
    findings: Findings | None = None,
    now: dt.datetime | None = None,
) -> BallotCheck:
    """Record one check; on a failure not already reported (the ballot's previous check found
    the same faults) audit it and tell the Secretariat. Safe to run every half hour."""
    findings = findings or ballot_findings(ballot)
    now = now or timezone.now()
    with transaction.atomic():
        previous = BallotCheck.objects.filter(ballot_id=ballot.pk).order_by("-pk").first()
        check = _record(ballot, findings, occasion, now)
        known = previous is not None and not previous.ok and previous.faults == check.faults
        if not findings.ok and not known:
            audit_record(
                actor=None,
                action=VotingAction.BALLOT_CHECK_FAILED,
                target=ballot,
                data={"occasion": occasion, "faults": len(findings.faults), "check": check.pk},
            )
            _tell(ballot, findings, occasion, blocked=False)
    return check


def ballot_block(*, ballot: Ballot, findings: Findings, by: User | None) -> BallotCheck:
    """At the close the check failed: the ballot cannot be declared (status blocked), its faults
    are kept on it, audited, and the Secretariat is told; in the caller's transaction."""
    check = _record(ballot, findings, CheckOccasion.CLOSE, timezone.now())
    ballot.status = BallotStatus.BLOCKED
    ballot.faults = findings.fault_list
    ballot.tally_error = (
        f"the vote log and the current votes disagree ({len(findings.faults)} faults): "
        "nothing is declared until the Secretariat records a decision on them"
    )
    ballot.save(update_fields=["status", "faults", "tally_error"])
    audit_record(
        actor=by,
        action=VotingAction.BALLOT_BLOCKED,
        target=ballot,
        data={"faults": len(findings.faults), "check": check.pk},
    )
    _tell(ballot, findings, CheckOccasion.CLOSE, blocked=True)
    return check


def ballots_verify_open() -> int:
    """The scheduled check of every open ballot; how many failed."""
    failed = 0
    for ballot in Ballot.objects.filter(status=BallotStatus.OPEN).order_by("pk"):
        if not ballot_check(ballot=ballot, occasion=CheckOccasion.SCHEDULE).ok:
            failed += 1
    return failed


def ballot_results_check(ballot: Ballot) -> Findings:
    """Before results are shown: the findings; a failure is recorded and reported once (a page
    view that finds the ballot sound writes nothing)."""
    findings = ballot_findings(ballot)
    if findings.ok or answering_decision(ballot, findings) is not None:
        return findings
    previous = BallotCheck.objects.filter(ballot_id=ballot.pk).order_by("-pk").first()
    if previous is None or previous.ok or previous.faults != findings.fault_list:
        ballot_check(ballot=ballot, occasion=CheckOccasion.PAGE, findings=findings)
    return findings
