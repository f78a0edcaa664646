"""Consultations on a proposal: opening, responses, closing and the summary (11.14.1, 11.17,
11.20.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import Party, Role, User
from panel.selectors import party_notice_emails
from panel.services.common import audited_save
from panel.services.dates import EARLIEST, LATEST

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
from .documents import Upload, documents_attach
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
    documents: Iterable[ChangeDocument | Upload] = (),
    today: dt.date | None = None,
) -> Consultation:
    """Open a consultation; it closes `working_days` Working Days after it opens unless given.

    It opens today or later and closes on a later Working Day (11.14.1). Its papers (the
    consultation paper, the draft legal text) are linked from the proposal page and the notice.
    `today` is the system's date unless the demo replays a past day."""
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
    now = today or timezone.localdate()
    start = opens_on or now
    within_years(start, field="opens_on")
    if start < now:
        raise DomainError(
            f"A consultation opens today ({words(now)}) or later; give a date from today.",
            field="opens_on",
            rule="11.14.1",
        )
    calendar = WorkingDayCalendar.load()
    end = closes_on or calendar.add_working_days(start, working_days)
    within_years(end, field="closes_on")
    if end <= start:
        raise DomainError(
            f"A consultation closes after it opens: give a closing date after {words(start)}.",
            field="closes_on",
        )
    if not calendar.is_working_day(end):
        raise DomainError(
            f"{words(end, weekday=True)} is not a Working Day: give a Working Day for the close "
            f"(the next is {words(calendar.next_working_day(end))}).",
            field="closes_on",
            rule="11.14.1",
        )
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
        papers = documents_attach(proposal=proposal, by=by, documents=documents)
        if papers:
            consultation.documents.set(papers)
        audit_record(actor=by, action=ChangeAction.CONSULTATION_OPENED, target=consultation)
        consultation_notify_opened(consultation=consultation)
    return consultation


def consultation_links(consultation: Consultation) -> dict[str, object]:
    """The addresses a notice gives: the respondent's page and each paper (none confidential)."""
    slug = f"DCP-{consultation.proposal.number}"
    papers = [
        (d.title, settings.SITE_URL + reverse("changes:document", args=[slug, d.pk]))
        for d in consultation.documents.filter(confidential=False, voided_on__isnull=True)
    ]
    return {
        "answer_url": settings.SITE_URL + reverse("respond:answer", args=[consultation.pk]),
        "proposal_url": settings.SITE_URL + reverse("changes:detail", args=[slug]),
        "papers": papers,
    }


def consultation_notify_opened(*, consultation: Consultation) -> None:
    """Bring the consultation to the Parties' and the Consumer Body's attention (11.17.1), with
    links to its papers; one message to the Secretariat, everyone else in Bcc."""
    on = consultation.opens_on
    bodies = User.objects.filter(role=Role.CONSUMER_BODY, is_active=True).exclude(email="")
    mail_send(
        template="changes/consultation_opened",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=[*party_notice_emails(on), *bodies.values_list("email", flat=True)],
        context={
            "consultation": consultation,
            "proposal": consultation.proposal,
            "questions": list(consultation.questions.all()),
            **consultation_links(consultation),
        },
    )


def words(day: dt.date, *, weekday: bool = False) -> str:
    """'8 March 2027' (or 'Monday 8 March 2027'), as a person writes a date."""
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def within_years(day: dt.date, *, field: str) -> None:
    """A date the agreement can concern: a typo such as year 0001 or 9999 is refused."""
    if not EARLIEST <= day <= LATEST:
        raise DomainError(f"Give a date between {EARLIEST.year} and {LATEST.year}.", field=field)


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
        raise DomainError(f"The consultation opens on {words(consultation.opens_on)}.")
    late = on > consultation.closes_on or consultation.closed_on is not None
    if late and not late_reason.strip():
        raise DomainError(
            f"The consultation closed on {words(consultation.closes_on)}; a late response is "
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
    """The Secretariat records a response received (by e-mail or post) on the day it arrived;
    a late one is accepted only with a recorded reason. Respondents answer online themselves
    (`consultation_submit`).

    `answers` maps question number to text, or to (text, confidential) for a confidential part.
    """
    access.require(
        by,
        access.SECRETARIAT,
        doing="record a consultation response received; respondents answer online on their "
        "own consultations page (11.14.1)",
        rule="11.14.1",
    )
    today = timezone.localdate()
    on = submitted_on or today
    within_years(on, field="submitted_on")
    if on > today:
        raise DomainError(
            f"A response is recorded on the day it was received, not later than today "
            f"({words(today)}).",
            field="submitted_on",
        )
    _check_respondent(by=by, party=party, on=on)
    late = _check_in_time(consultation, on=on, late_reason=late_reason)
    questions = {q.number: q for q in consultation.questions.all()}
    unknown = [n for n in answers if n not in questions]
    if unknown:
        raise DomainError(f"No question {unknown[0]} in this consultation.", field="answers")
    fields = {
        "respondent_name": respondent_name,
        "submitted_by": by,
        "status": ConsultationResponse.Status.SUBMITTED,
        "submitted_on": on,
        "confidential": confidential,
        "late": late,
        "late_reason": late_reason.strip() if late else "",
        "late_agreed_by": by if late else None,
        "late_agreed_on": today if late else None,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        # A Party's draft begun online is replaced by the response the Secretariat received.
        draft = (
            ConsultationResponse.objects.standing()
            .select_for_update()
            .filter(consultation=consultation, party=party, status="draft")
            .first()
            if party is not None
            else None
        )
        try:
            with transaction.atomic():
                if draft is not None:
                    for name, value in fields.items():
                        setattr(draft, name, value)
                    draft.save()
                    draft.answers.all().delete()
                    response = draft
                else:
                    response = ConsultationResponse.objects.create(
                        consultation=consultation, party=party, **fields
                    )
        except IntegrityError:
            raise Conflict(
                f"{party.name if party else respondent_name} has already responded to "
                f"'{consultation.title}'; mark that response void first to record another.",
                field="party",
            )
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
