"""Consultations on a proposal: opening, responses, closing and the summary (11.14.1, 11.17,
11.20.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Party, User
from panel.services.common import audited_save

from ..audit import ChangeAction
from ..models import (
    ChangeDocument,
    ChangeProposal,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
)
from ..states import State
from .proposals import party_standing_problem
from .voids import record_void


def consultation_open(
    *,
    proposal: ChangeProposal,
    by: User,
    title: str,
    questions: Sequence[str],
    working_days: int = 15,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    final_draft: bool = False,
    documents: Iterable[ChangeDocument] = (),
) -> Consultation:
    """Open a consultation; it closes `working_days` Working Days after it opens unless given."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="issue a consultation for the Working Group (11.14.1, 11.17)",
        rule="11.14.1, 11.17",
    )
    if proposal.status not in (State.DEFINITION, State.REPORT_PHASE, State.DATE_REASSESSMENT):
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}'; consultations are held "
            "in the Assessment Process (11.14.1).",
            rule="11.14.1",
        )
    if not questions:
        raise DomainError("A consultation asks at least one question.", field="questions")
    start = opens_on or timezone.localdate()
    end = closes_on or WorkingDayCalendar.load().add_working_days(start, working_days)
    if end <= start:
        raise DomainError("A consultation closes after it opens.", field="closes_on")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            proposal=proposal,
            working_group=proposal.working_groups.filter(dissolved_on__isnull=True).first(),
            title=title,
            final_draft=final_draft,
            opens_on=start,
            closes_on=end,
            created_by=by,
        )
        ConsultationQuestion.objects.bulk_create(
            ConsultationQuestion(consultation=consultation, number=i, text=text)
            for i, text in enumerate(questions, start=1)
        )
        if documents:
            consultation.documents.set(list(documents))
        audit_record(actor=by, action=ChangeAction.CONSULTATION_OPENED, target=consultation)
    return consultation


def _check_respondent(*, by: User, party: Party | None, on: dt.date) -> None:
    """A signed-in respondent; for a Party, its representative (or the Secretariat) and a
    Party in standing (54.4)."""
    if by is None or not by.is_authenticated:
        raise NotAllowed("Sign in to respond to a consultation.")
    if party is None:
        return
    if not access.allowed(by, access.SECRETARIAT) and party.pk not in by.represented_party_ids():
        raise NotAllowed(f"You do not represent {party.name}.", field="party")
    problem = party_standing_problem(party, on)
    if problem:
        raise NotAllowed(problem + ".", field="party", rule="54.4")


def _check_in_time(consultation: Consultation, *, on: dt.date, late_reason: str) -> bool:
    """Whether the response is late; a late response needs its reason."""
    if on < consultation.opens_on:
        raise DomainError(f"The consultation opens on {consultation.opens_on:%d %B %Y}.")
    late = on > consultation.closes_on or consultation.closed_on is not None
    if late and not late_reason.strip():
        raise DomainError(
            f"The consultation closed on {consultation.closes_on:%d %B %Y}; a late response is "
            "accepted only with a reason.",
            field="late_reason",
        )
    return late


def consultation_respond(
    *,
    consultation: Consultation,
    by: User,
    respondent_name: str,
    answers: Mapping[int, str | tuple[str, bool]],
    party: Party | None = None,
    confidential: bool = False,
    late_reason: str = "",
    submitted_on: dt.date | None = None,
) -> ConsultationResponse:
    """Respond to a consultation; a late response is accepted only with a recorded reason.

    `answers` maps question number to text, or to (text, confidential) for a confidential part.
    """
    on = submitted_on or timezone.localdate()
    _check_respondent(by=by, party=party, on=on)
    late = _check_in_time(consultation, on=on, late_reason=late_reason)
    questions = {q.number: q for q in consultation.questions.all()}
    unknown = [n for n in answers if n not in questions]
    if unknown:
        raise DomainError(f"No question {unknown[0]} in this consultation.", field="answers")
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = ConsultationResponse.objects.create(
                    consultation=consultation,
                    party=party,
                    respondent_name=respondent_name,
                    submitted_by=by,
                    submitted_on=on,
                    confidential=confidential,
                    late=late,
                    late_reason=late_reason.strip() if late else "",
                )
        except IntegrityError:
            raise Conflict(f"{party.name if party else respondent_name} has already responded.")
        rows = []
        for number, answer in answers.items():
            text, secret = answer if isinstance(answer, tuple) else (answer, False)
            rows.append(
                ConsultationAnswer(
                    response=response, question=questions[number], text=text, confidential=secret
                )
            )
        ConsultationAnswer.objects.bulk_create(rows)
        audit_record(
            actor=by,
            action=ChangeAction.CONSULTATION_RESPONDED,
            target=response,
            data={"late": late},
        )
    return response


def consultation_close(
    *, consultation: Consultation, by: User, closed_on: dt.date | None = None
) -> Consultation:
    access.require(by, access.SECRETARIAT, doing="close a consultation (11.17)", rule="11.17")
    with transaction.atomic():
        consultation.closed_on = closed_on or timezone.localdate()
        audited_save(consultation, ["closed_on"], by=by, action=ChangeAction.CONSULTATION_CLOSED)
    return consultation


def consultation_summarise(*, consultation: Consultation, by: User, summary: str) -> Consultation:
    """The summary of non-confidential responses for the Change Report (11.20.6(B))."""
    access.require(
        by, access.SECRETARIAT, doing="summarise consultation responses (11.20.6)", rule="11.20.6"
    )
    with transaction.atomic():
        consultation.response_summary = summary
        audited_save(
            consultation, ["response_summary"], by=by, action=ChangeAction.CONSULTATION_SUMMARISED
        )
    return consultation


def consultation_response_void(
    *, response: ConsultationResponse, by: User, reason: str, on: dt.date | None = None
) -> ConsultationResponse:
    """Mark a response entered by mistake void: it is kept, with the reason, and no longer counts
    or is published; the respondent may then respond again."""
    access.require(
        by, access.SECRETARIAT, doing="mark a consultation response void (11.17)", rule="11.17"
    )
    return record_void(
        record=response,
        by=by,
        reason=reason,
        on=on,
        action=ChangeAction.CONSULTATION_RESPONSE_VOIDED,
        missing_reason="Say why the response is void.",
        already=lambda row: f"{row} was marked void on {row.voided_on:%d %B %Y}.",
    )
