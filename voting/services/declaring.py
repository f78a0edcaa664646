"""Tally a closed ballot with the pure engine and declare it (13.4), moving the proposal on.

The log is the vote: the cases are built from the standing entries of the hash-chained log, and
the close first checks the log against the current votes (voting.services.integrity); on any
disagreement nothing is declared until the Secretariat records a decision (status blocked).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from changes.services import proposal_vote_declared
from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.mail import mail_send
from panel.models import CATEGORIES_WITH_N, Category, User

from ..audit import VotingAction
from ..decision import Decision, combine
from ..models import (
    Ballot,
    BallotKind,
    BallotStatus,
    CheckOccasion,
    Declaration,
    Question,
    QuestionKind,
    RollEntry,
)
from ..receipts import standing_votes
from ..selectors import case_labels
from ..tally import CaseError, decide_case, decision_to_dict
from ..weighting import UndefinedVote
from ..workings import explain, to_dict
from .integrity import answering_decision, ballot_block, ballot_check, ballot_findings
from .notices import declaration_notify, secretariat_emails
from .roll import rights_lost_at_close


def build_cases(ballot: Ballot, through: int | None = None) -> dict[int, dict[str, Any]]:
    """One tally-contract case per question, from the frozen roll and the standing entries of the
    log (through entry `through`, default all): 3 queries."""
    entries = list(RollEntry.objects.filter(ballot=ballot).order_by("category", "group_name", "pk"))
    questions = list(Question.objects.filter(ballot=ballot).order_by("position"))
    standing = standing_votes(ballot.pk, through=through)
    labels = case_labels(entries)
    categories: list[str] = []
    for cat in Category:
        idno_otso = cat == Category.IDNO_OTSO and ({"IDNO", "OTSO"} & set(ballot.eligible))
        if cat.value in ballot.eligible or idno_otso:
            categories.append(cat.value)
    cases = {}
    for question in questions:
        cats = []
        for category in categories:
            groups = [
                {
                    "group": labels[e.pk],
                    "n": int(e.n or 0) if category in CATEGORIES_WITH_N else 0,
                    "vote": s.choice if (s := standing.get((e.pk, question.pk))) else None,
                }
                for e in entries
                if e.category == category
            ]
            cats.append({"category": category, "eligible": True, "groups": groups})
        cases[question.pk] = {
            "matter": ballot.matter or "part1",
            "variations": list(question.options),
            "categories": cats,
            "question": question.kind,
        }
    return cases


def _election_result(question: Question, case: dict[str, Any]) -> dict[str, Any]:
    counts = Counter(
        g["vote"]
        for c in case["categories"]
        for g in c["groups"]
        if g["vote"] not in (None, "reject")
    )
    return {
        "question": question.kind,
        "counts": {label: counts.get(label, 0) for label in question.options},
        "groups_voted": sum(1 for c in case["categories"] for g in c["groups"] if g["vote"]),
    }


def ballot_declare(*, ballot: Ballot, by: User | None) -> Declaration | None:
    """Tally and declare a closed ballot (13.4); once only: a second call changes nothing.

    First the log is checked against the current votes (occasion "close"): on a disagreement or a
    broken chain the ballot cannot be declared (status blocked, faults kept, the Secretariat told)
    and None is returned, unless the Secretariat has decided to declare from the standing entries
    of the log on exactly these faults (voting.services.faults).
    In the same transaction the Change Proposal moves on (`changes.services.
    proposal_vote_declared`); if it cannot, nothing is declared: the ballot stays closed with the
    reason, the Secretariat is told (audit record and e-mail) and `NotDeclared` says why.
    A case the agreement leaves undefined (N = 0 for every voting Group of a weighted category)
    does not crash the close either: the error is kept on the ballot and the Secretariat is told.
    """
    if by is not None:
        require(by, SECRETARIAT, doing="declare the result of a vote", rule="13.4")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
            if ballot.status == BallotStatus.DECLARED:
                return Declaration.objects.get(ballot=ballot)
            _ensure_declarable(ballot)
            findings = ballot_findings(ballot)
            if not findings.ok and answering_decision(ballot, findings) is None:
                ballot_block(ballot=ballot, findings=findings, by=by)
                return None
            ballot_check(ballot=ballot, occasion=CheckOccasion.CLOSE, findings=findings)
            cases = build_cases(ballot, through=findings.length)
            questions = {q.pk: q for q in Question.objects.filter(ballot=ballot)}
            try:
                decisions, results, workings = _tally(ballot, cases, questions)
            except (UndefinedVote, CaseError) as exc:
                _cannot_tally(ballot, by, str(exc))
                return None
            fields = _outcomes(ballot, questions, decisions)
            now = timezone.now()
            declaration = Declaration.objects.create(
                ballot=ballot,
                declared_at=now,
                declared_by=by,
                cases={str(k): v for k, v in cases.items()},
                results=results,
                workings=workings,
                chain_head=findings.head,
                chain_length=findings.length,
                roll_notes=rights_lost_at_close(ballot, now),
                **fields,
            )
            ballot.status = BallotStatus.DECLARED
            ballot.tally_error = ""
            ballot.save(update_fields=["status", "tally_error"])
            audit_record(
                actor=by,
                action=VotingAction.BALLOT_DECLARE,
                target=ballot,
                data={k: v for k, v in fields.items() if not isinstance(v, dict)},
            )
            _move_proposal(ballot, declaration, by)
            # The 13.8 notice is for Party votes; an election's results are published by
            # the election service (6.2.7) with their own notice.
            if ballot.kind == BallotKind.PARTY_VOTE:
                declaration_notify(declaration=declaration, by=None)
    except IntegrityError:
        raise Conflict(f"The vote on {ballot.reference} has already been declared.", field="ballot")
    except _ProposalStuck as stuck:
        raise _not_declared(ballot, by, stuck.error) from None
    return declaration


def _ensure_declarable(ballot: Ballot) -> None:
    if ballot.status == BallotStatus.BLOCKED:
        raise Conflict(
            f"The vote on {ballot.reference} cannot be declared: its log and its current votes "
            "disagree; record a decision on the faults first.",
            field="status",
            rule="12.4.6",
        )
    if ballot.status != BallotStatus.CLOSED:
        raise Conflict(
            f"Voting on {ballot.reference} is still open; it is declared after it closes.",
            field="status",
        )
    if ballot.voided_at is not None:
        raise Conflict(
            f"The vote on {ballot.reference} is void; it is not declared.", field="status"
        )


def _tally(
    ballot: Ballot, cases: dict[int, dict[str, Any]], questions: dict[int, Question]
) -> tuple[dict[int, Decision], dict[str, Any], dict[str, Any]]:
    decisions: dict[int, Decision] = {}
    results: dict[str, Any] = {}
    workings: dict[str, Any] = {}
    for qid, case in cases.items():
        question = questions[qid]
        if ballot.kind == BallotKind.ELECTION:
            results[str(qid)] = _election_result(question, case)
            workings[str(qid)] = results[str(qid)]
            continue
        decision = decide_case(case)
        decisions[qid] = decision
        results[str(qid)] = {"question": question.kind, **decision_to_dict(decision)}
        workings[str(qid)] = to_dict(explain(decision))
    return decisions, results, workings


def _cannot_tally(ballot: Ballot, by: User | None, error: str) -> None:
    ballot.tally_error = error
    ballot.save(update_fields=["tally_error"])
    audit_record(
        actor=by, action=VotingAction.BALLOT_TALLY_ERROR, target=ballot, data={"error": error}
    )
    mail_send(
        template="voting/cannot_tally",
        to=secretariat_emails(),
        context={"reference": ballot.reference, "error": error},
    )


class NotDeclared(Conflict):
    """The proposal could not move on: the vote was not declared."""


class _ProposalStuck(Exception):
    """Raised inside the declaration's transaction so that it rolls back whole."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


def _move_proposal(ballot: Ballot, declaration: Declaration, by: User | None) -> None:
    """The changes app moves the proposal on (awaiting the Authority, the appeal window, or a
    date re-assessment), in the declaration's transaction."""
    proposal = ballot.proposal
    if proposal is None or ballot.kind != BallotKind.PARTY_VOTE:
        return
    selected = declaration.selected_option
    try:
        proposal_vote_declared(
            proposal=proposal,
            by=by,
            variation_outcome=declaration.variation_outcome or None,
            date_outcome=declaration.date_outcome,
            deemed_part1=declaration.deemed_part1,
            accepted_alternative=selected if selected and selected != "proposal" else "",
            declared_on=timezone.localtime(declaration.declared_at).date(),
            results=public_summary(declaration),
        )
    except DomainError as exc:
        raise _ProposalStuck(exc) from exc


def _not_declared(ballot: Ballot, by: User | None, error: DomainError) -> NotDeclared:
    """After the rollback: keep the reason on the ballot (still closed, not declared), audit it
    and tell the Secretariat; the refusal for the caller."""
    reason = f"the proposal cannot move on: {error.message}"
    with transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(tally_error=reason)
        audit_record(
            actor=by,
            action=VotingAction.BALLOT_NOT_DECLARED,
            target=ballot,
            data={"error": error.message, "rule": error.rule},
        )
        mail_send(
            template="voting/not_declared",
            to=secretariat_emails(),
            context={"reference": ballot.reference, "error": error.message},
        )
    return NotDeclared(
        f"The vote on {ballot.reference} was not declared: {reason}.",
        field=error.field,
        rule=error.rule,
    )


def _outcomes(
    ballot: Ballot, questions: dict[int, Question], decisions: dict[int, Decision]
) -> dict[str, Any]:
    if ballot.kind == BallotKind.ELECTION:
        return {}
    variation = next(
        (d for q, d in decisions.items() if questions[q].kind == QuestionKind.VARIATION), None
    )
    date = next((d for q, d in decisions.items() if questions[q].kind == QuestionKind.DATE), None)
    fields: dict[str, Any] = {}
    if variation is not None:
        fields["variation_outcome"] = variation.outcome
        fields["selected_option"] = variation.selected_option or ""
        fields["variation_deemed_part1"] = variation.deemed_part1
    if date is not None:
        fields["date_outcome"] = date.outcome
        fields["date_deemed_part1"] = date.deemed_part1
    if variation is not None and date is not None:
        combined = combine(variation, date)
        fields["combined_outcome"] = combined.outcome
        fields["combined_clause"] = combined.clause
        fields["recommendation"] = combined.recommendation
    elif date is not None:  # a re-vote on a new implementation date only (14.3)
        fields["combined_outcome"] = "accepted" if date.accepted else "revote_date"
        fields["combined_clause"] = "14.3"
        fields["recommendation"] = date.recommendation
    return fields


def public_summary(declaration: Declaration) -> dict[str, Any]:
    """Outcomes and per-category pass/fail, with no N and no weights (safe to store anywhere)."""
    out: dict[str, Any] = {
        "variation_outcome": declaration.variation_outcome,
        "selected_option": declaration.selected_option,
        "date_outcome": declaration.date_outcome,
        "combined_outcome": declaration.combined_outcome,
        "deemed_part1": declaration.deemed_part1,
    }
    for qid, result in declaration.results.items():
        out[f"question_{qid}"] = [
            {
                "category": c["category"],
                "counted": c["counted"],
                "groups_total": c["groups_total"],
                "groups_voted": c["groups_voted"],
                "passes": {k: v["passes"] for k, v in c.get("options", {}).items()},
            }
            for c in result.get("categories", [])
        ]
    return out
