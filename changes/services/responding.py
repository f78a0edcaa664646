"""Consultations answered online by the respondents themselves (11.14.1, 11.17, 57.3).

A Party's representative answers for the Party (one response each), the Consumer Body and
anyone the Working Group invited answer for themselves. A response is a draft until submitted;
it may be changed until the close (each change audited and acknowledged); after the close only
with the Working Group's agreement, which the Secretariat records (`consultation_allow_late`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import Party, Role, User

from ..audit import ChangeAction
from ..models import (
    Consultation,
    ConsultationAnswer,
    ConsultationInvitation,
    ConsultationResponse,
)
from .consultations import consultation_links, within_years, words
from .proposals import party_standing_problem

Answers = Mapping[int, str | tuple[str, bool]]
SUBMITTED = ConsultationResponse.Status.SUBMITTED
DRAFT = ConsultationResponse.Status.DRAFT


# -- who answers, and which response is theirs -------------------------------------------------


def respondent_parties(user: User) -> list[Party]:
    """The Parties `user` represents, by name (one query)."""
    if user is None or not user.is_authenticated:
        return []
    return list(Party.objects.filter(representatives__user=user).distinct().order_by("name"))


def is_invited(user: User, consultation: Consultation) -> bool:
    return ConsultationInvitation.objects.filter(consultation=consultation, user=user).exists()


def answers_for_self(user: User, consultation: Consultation) -> bool:
    """The Consumer Body and invited users answer in their own name (11.14.1)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role == Role.CONSUMER_BODY or is_invited(user, consultation)


def own_response(
    *, consultation: Consultation, user: User, party: Party | None
) -> ConsultationResponse | None:
    """The standing response `user` writes: the Party's, or their own (draft or submitted)."""
    rows = ConsultationResponse.objects.standing().filter(consultation=consultation)
    if party is not None:
        return rows.filter(party=party).first()
    return rows.filter(party__isnull=True, submitted_by=user).first()


def check_may_answer(*, consultation: Consultation, by: User, party: Party | None) -> None:
    """Refuse unless `by` may answer `consultation` for `party` (or for themselves)."""
    if by is None or not by.is_authenticated or not by.is_active:
        raise NotAllowed("Sign in to answer a consultation.")
    if party is not None:
        if party.pk not in by.represented_party_ids():
            raise NotAllowed(
                f"You do not represent {party.name}: choose one of your Parties.", field="party"
            )
        problem = party_standing_problem(party, timezone.localdate())
        if problem:
            raise NotAllowed(problem + ".", field="party", rule="54.4")
        return
    if not answers_for_self(by, consultation):
        if by.represented_party_ids():
            raise DomainError("Choose which of your Parties this response is for.", field="party")
        raise NotAllowed(
            "Consultations are answered by the Parties, the Consumer Body and those the Working "
            "Group invites (11.14.1); you are none of these for this consultation."
        )


def is_open_on(consultation: Consultation, day: dt.date) -> bool:
    return consultation.opens_on <= day <= consultation.closes_on and consultation.closed_on is None


def may_still_change(consultation: Consultation, response: ConsultationResponse | None) -> bool:
    """Open today, or the Working Group agreed to a late response (recorded by the Secretariat)."""
    if is_open_on(consultation, timezone.localdate()):
        return True
    return response is not None and response.late_agreed_on is not None


# -- the respondent's steps ----------------------------------------------------------------------


def _clean_answers(consultation: Consultation, answers: Answers) -> dict[int, tuple[str, bool]]:
    numbers = set(consultation.questions.values_list("number", flat=True))
    clean: dict[int, tuple[str, bool]] = {}
    for number, answer in answers.items():
        if number not in numbers:
            raise DomainError(f"No question {number} in this consultation.", field="answers")
        text, secret = answer if isinstance(answer, tuple) else (answer, False)
        if text.strip():
            clean[number] = (text.strip(), bool(secret))
    return clean


def _write(
    *,
    consultation: Consultation,
    by: User,
    answers: Answers,
    party: Party | None,
    confidential: bool,
    submit: bool,
) -> tuple[ConsultationResponse, bool]:
    """Save or submit `by`'s response; (the response, whether a submitted one was changed)."""
    check_may_answer(consultation=consultation, by=by, party=party)
    clean = _clean_answers(consultation, answers)
    if submit and not clean:
        raise DomainError("Answer at least one question before you submit.", field="answers")
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if today < consultation.opens_on:
            raise Conflict(
                f"'{consultation.title}' opens on {words(consultation.opens_on)}; answer it "
                "from then.",
                rule="11.14.1",
            )
        response = own_response(consultation=consultation, user=by, party=party)
        if not may_still_change(consultation, response):
            raise Conflict(
                f"'{consultation.title}' closed on "
                f"{words(consultation.closed_on or consultation.closes_on)}. A late response "
                "is accepted only with the Working Group's agreement: ask the Secretariat, who "
                "records it (11.17).",
                rule="11.17",
            )
        was_submitted = response is not None and response.status == SUBMITTED
        if was_submitted and not submit:
            raise Conflict(
                "Your response is already submitted: submit your changes instead (they replace "
                "it and you are sent an acknowledgement).",
                field="answers",
            )
        fields = {
            "respondent_name": party.name if party else (by.organisation or by.get_full_name()),
            "submitted_by": by,
            "confidential": confidential,
            "updated_at": now,
            "status": SUBMITTED if submit else DRAFT,
            "submitted_on": today if submit else None,
            "submitted_at": now if submit else None,
        }
        fields["respondent_name"] = fields["respondent_name"] or by.get_username()
        try:
            with transaction.atomic():
                if response is None:
                    response = ConsultationResponse.objects.create(
                        consultation=consultation, party=party, **fields
                    )
                else:
                    for name, value in fields.items():
                        setattr(response, name, value)
                    response.save()
        except IntegrityError:
            raise Conflict(
                f"{party.name if party else by} has already responded to '{consultation.title}'.",
                field="party",
            )
        response.answers.all().delete()
        questions = {q.number: q for q in consultation.questions.all()}
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(response=response, question=questions[n], text=t, confidential=c)
            for n, (t, c) in sorted(clean.items())
        )
        action = (
            ChangeAction.CONSULTATION_RESPONSE_CHANGED
            if was_submitted
            else ChangeAction.CONSULTATION_SUBMITTED
            if submit
            else ChangeAction.CONSULTATION_DRAFT_SAVED
        )
        audit_record(
            actor=by,
            action=action,
            target=response,
            data={
                "answers": {str(n): {"text": t, "confidential": c} for n, (t, c) in clean.items()},
                "confidential": confidential,
                "late": response.late,
            },
        )
        if submit:
            mail_send(
                template="changes/consultation_acknowledged",
                to=[by.email],
                context={
                    "consultation": consultation,
                    "proposal": consultation.proposal,
                    "response": response,
                    "changed": was_submitted,
                    "answers": [(questions[n], t, c) for n, (t, c) in sorted(clean.items())],
                    **consultation_links(consultation),
                },
            )
    return response, was_submitted


def consultation_save_draft(
    *,
    consultation: Consultation,
    by: User,
    answers: Answers,
    party: Party | None = None,
    confidential: bool = False,
) -> ConsultationResponse:
    """Keep a draft: only its author (and their Party's representatives) see it; no notice."""
    return _write(
        consultation=consultation,
        by=by,
        answers=answers,
        party=party,
        confidential=confidential,
        submit=False,
    )[0]


def consultation_submit(
    *,
    consultation: Consultation,
    by: User,
    answers: Answers,
    party: Party | None = None,
    confidential: bool = False,
) -> ConsultationResponse:
    """Submit (or change) the response; dated by the system's clock, acknowledged by e-mail."""
    return _write(
        consultation=consultation,
        by=by,
        answers=answers,
        party=party,
        confidential=confidential,
        submit=True,
    )[0]


# -- the Secretariat's steps for the Working Group -----------------------------------------------


def consultation_invite(
    *, consultation: Consultation, by: User, user: User
) -> ConsultationInvitation:
    """Record that the Working Group invites `user` to respond (11.14.1)."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="invite a respondent to a consultation for the Working Group (11.14.1)",
        rule="11.14.1",
    )
    if not user.is_active:
        raise DomainError(f"{user} has no active account to answer with.", field="user")
    if consultation.closed_on is not None or timezone.localdate() > consultation.closes_on:
        raise Conflict(f"'{consultation.title}' is closed; nobody new can be invited.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                invitation = ConsultationInvitation.objects.create(
                    consultation=consultation, user=user, invited_by=by, invited_at=timezone.now()
                )
        except IntegrityError:
            raise Conflict(f"{user} is already invited to '{consultation.title}'.", field="user")
        audit_record(
            actor=by,
            action=ChangeAction.CONSULTATION_INVITED,
            target=consultation,
            data={"user": user.pk},
        )
        mail_send(
            template="changes/consultation_invited",
            to=[user.email],
            context={
                "consultation": consultation,
                "proposal": consultation.proposal,
                "questions": list(consultation.questions.all()),
                **consultation_links(consultation),
            },
        )
    return invitation


def consultation_allow_late(
    *,
    consultation: Consultation,
    by: User,
    reason: str,
    agreed_on: dt.date,
    party: Party | None = None,
    user: User | None = None,
) -> ConsultationResponse:
    """Record the Working Group's agreement that `party` (or `user`) may respond or change its
    response after the close (11.17); the respondent then answers online."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="record the Working Group's agreement to a late response (11.17)",
        rule="11.17",
    )
    if (party is None) == (user is None):
        raise DomainError("Choose the Party, or the person, who may respond late.", field="party")
    if not reason.strip():
        raise DomainError("Say why the Working Group agreed to a late response.", field="reason")
    within_years(agreed_on, field="agreed_on")
    today = timezone.localdate()
    if agreed_on > today:
        raise DomainError(
            f"The agreement is recorded once given: not later than today ({words(today)}).",
            field="agreed_on",
        )
    if agreed_on < consultation.opens_on:
        raise DomainError(
            f"The consultation opened on {words(consultation.opens_on)}; the agreement "
            "cannot come before it.",
            field="agreed_on",
        )
    if user is not None and not answers_for_self(user, consultation):
        raise DomainError(
            f"{user} is neither the Consumer Body nor invited by the Working Group: invite them "
            "first.",
            field="user",
        )
    with transaction.atomic():
        response = (
            ConsultationResponse.objects.standing()
            .select_for_update()
            .filter(consultation=consultation)
            .filter(Q(party=party) if party else Q(party__isnull=True, submitted_by=user))
            .first()
        )
        late = {
            "late": True,
            "late_reason": reason.strip(),
            "late_agreed_by": by,
            "late_agreed_on": agreed_on,
        }
        if response is None:
            name = party.name if party else (user.organisation or user.get_full_name())  # type: ignore[union-attr]
            response = ConsultationResponse.objects.create(
                consultation=consultation,
                party=party,
                respondent_name=name or str(user),
                submitted_by=user,
                status=DRAFT,
                **late,
            )
        else:
            for name, value in late.items():
                setattr(response, name, value)
            response.save(update_fields=list(late))
        audit_record(
            actor=by,
            action=ChangeAction.CONSULTATION_LATE_ALLOWED,
            target=response,
            data={"reason": reason.strip(), "agreed_on": agreed_on.isoformat()},
        )
    return response
