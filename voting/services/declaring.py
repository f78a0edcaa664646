"""Tally a closed ballot with the pure engine, declare it (13.4) and give notice (13.8)."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import CATEGORIES_WITH_N, Category, Party, Role, User
from voting.decision import Decision, combine
from voting.tally import CaseError, decide_case, decision_to_dict
from voting.weighting import UndefinedVote
from voting.workings import explain, to_dict

from ..models import (
    Ballot,
    BallotKind,
    BallotStatus,
    Declaration,
    Question,
    QuestionKind,
    RollEntry,
    Vote,
)
from ..receipts import verify_chain
from .handoff import call_changes

logger = logging.getLogger(__name__)


def case_labels(entries: list[RollEntry]) -> dict[int, str]:
    """The name each Group goes by in the case and the workings (unique within its category)."""
    seen: Counter[tuple[str, str]] = Counter((e.category, e.group_name) for e in entries)
    return {
        e.pk: e.group_name if seen[(e.category, e.group_name)] == 1 else f"{e.group_name} #{e.pk}"
        for e in entries
    }


def build_cases(ballot: Ballot) -> dict[int, dict[str, Any]]:
    """One tally-contract case per question, from the frozen roll and the live votes (3 queries)."""
    entries = list(RollEntry.objects.filter(ballot=ballot).order_by("category", "group_name", "pk"))
    questions = list(Question.objects.filter(ballot=ballot).order_by("position"))
    live: defaultdict[int, dict[int, str]] = defaultdict(dict)
    for question_id, entry_id, choice in Vote.objects.filter(
        ballot=ballot, superseded_at=None
    ).values_list("question_id", "roll_entry_id", "choice"):
        live[question_id][entry_id] = choice
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
                    "vote": live[question.pk].get(e.pk),
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


def _secretariat_emails() -> list[str]:
    emails = set(
        User.objects.filter(role=Role.SECRETARIAT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    emails.add(settings.SECRETARIAT_EMAIL)
    return sorted(emails)


def ballot_declare(*, ballot: Ballot, by: User | None) -> Declaration | None:
    """Tally and declare a closed ballot (13.4); once only: a second call changes nothing.

    A case the agreement leaves undefined (N = 0 for every voting Group of a weighted category)
    does not crash the close: the error is kept on the ballot and the Secretariat is told.
    """
    if by is not None and not by.is_secretariat:
        raise NotAllowed("Only the Secretariat declares the result of a vote.", rule="13.4")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
            if ballot.status == BallotStatus.DECLARED:
                return Declaration.objects.get(ballot=ballot)
            if ballot.status != BallotStatus.CLOSED:
                raise Conflict(
                    f"Voting on {ballot.reference} is still open; it is declared after it closes.",
                    field="status",
                )
            cases = build_cases(ballot)
            questions = {q.pk: q for q in Question.objects.filter(ballot=ballot)}
            try:
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
            except (UndefinedVote, CaseError) as exc:
                ballot.tally_error = str(exc)
                ballot.save(update_fields=["tally_error"])
                audit_record(
                    actor=by, action="ballot.tally_error", target=ballot, data={"error": str(exc)}
                )
                message = (
                    f"The vote on {ballot.reference} closed but cannot be tallied: {exc}. "
                    "The agreement does not define the Weighted Votes in this case; "
                    "the Secretariat must decide how to proceed."
                )
                transaction.on_commit(
                    lambda: _send(
                        _secretariat_emails(),
                        f"{ballot.reference}: vote cannot be tallied",
                        message,
                    )
                )
                return None
            fields = _outcomes(ballot, questions, decisions)
            declaration = Declaration.objects.create(
                ballot=ballot,
                declared_at=timezone.now(),
                declared_by=by,
                cases={str(k): v for k, v in cases.items()},
                results=results,
                workings=workings,
                chain_head=verify_chain(ballot).head,
                **fields,
            )
            ballot.status = BallotStatus.DECLARED
            ballot.tally_error = ""
            ballot.save(update_fields=["status", "tally_error"])
            audit_record(
                actor=by,
                action="ballot.declare",
                target=ballot,
                data={k: v for k, v in fields.items() if not isinstance(v, dict)},
            )
            _hand_off(ballot, declaration, by)
            # The 13.8 notice is for Party votes; an election's results are published by
            # the election service (6.2.7) with their own notice.
            if ballot.kind == BallotKind.PARTY_VOTE:
                transaction.on_commit(lambda: _notify_later(declaration.pk))
    except IntegrityError:
        raise Conflict(f"The vote on {ballot.reference} has already been declared.", field="ballot")
    return declaration


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


def _hand_off(ballot: Ballot, declaration: Declaration, by: User | None) -> None:
    """Tell the changes app, which moves the proposal on (awaiting the Authority, or the
    appeal window, or a date re-assessment). If it refuses, the declaration still stands and the
    Secretariat is told, so one stuck proposal cannot stop the close of every other ballot."""
    if ballot.proposal_id is None or ballot.kind != BallotKind.PARTY_VOTE:
        return
    selected = declaration.selected_option
    try:
        with transaction.atomic():
            call_changes(
                "proposal_vote_declared",
                proposal=ballot.proposal,
                by=by,
                variation_outcome=declaration.variation_outcome or None,
                date_outcome=declaration.date_outcome,
                deemed_part1=declaration.deemed_part1,
                accepted_alternative=selected if selected and selected != "proposal" else "",
                declared_on=timezone.localtime(declaration.declared_at).date(),
                results=public_summary(declaration),
            )
    except DomainError as exc:
        audit_record(
            actor=by, action="ballot.handoff_failed", target=ballot, data={"error": str(exc)}
        )
        message = (
            f"The vote on {ballot.reference} was declared, but the proposal could not be moved "
            f"on: {exc.message}"
        )
        transaction.on_commit(
            lambda: _send(
                _secretariat_emails(), f"{ballot.reference}: declaration hand-off", message
            )
        )


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


def _notify_later(declaration_id: int) -> None:
    from ..tasks import send_declaration_notice

    send_declaration_notice.delay(declaration_id)


def notice_recipients() -> list[str]:
    """13.8: each Party, the Consumer Body, the transmission operator, designated bodies, the Authority."""
    today = timezone.localdate()
    emails = set(
        Party.objects.filter(accession_date__lte=today)
        .exclude(termination_date__lt=today)
        .exclude(notice_email="")
        .values_list("notice_email", flat=True)
    )
    emails |= set(
        User.objects.filter(
            role__in=[Role.CONSUMER_BODY, Role.OTHER_BODY, Role.AUTHORITY], is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if settings.AUTHORITY_EMAIL:
        emails.add(settings.AUTHORITY_EMAIL)
    return sorted(emails)


def _send(recipients: list[str], subject: str, body: str) -> int:
    from django.core.mail import EmailMessage, get_connection

    connection = get_connection()
    messages = [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        for to in recipients
    ]
    return connection.send_messages(messages) or 0


def declaration_notify(*, declaration: Declaration, by: User | None = None) -> int:
    """Send the 13.8 notice of a declaration; the Secretariat may send it again."""
    if by is not None and not by.is_secretariat:
        raise NotAllowed("Only the Secretariat sends notices of a declaration.", rule="13.8")
    from .notices import declaration_notice_text

    subject, body = declaration_notice_text(declaration)
    recipients = notice_recipients()
    sent = _send(recipients, subject, body)
    audit_record(
        actor=by,
        action="declaration.notice",
        target=declaration.ballot,
        data={"recipients": len(recipients)},
    )
    return sent
