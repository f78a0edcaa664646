"""Consultations answered online by their respondents (11.14.1, 11.17, 57.3): a Party's
representatives, the Consumer Body and those the Working Group invites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from panel.calendar import WorkingDayCalendar
from panel.errors import DomainError, NotAllowed
from panel.models import Party, Role

from .. import services
from ..forms.common import attach_domain_error
from ..forms.consultations import AnswerForm
from ..models import Consultation, ConsultationInvitation, ConsultationResponse
from ..pages import reference_slug
from ..services import responding as rules
from .common import me

NOT_A_RESPONDENT = (
    "Consultations are answered online by the Parties' representatives, the Consumer Body and "
    "those the Working Group invites (11.14.1). Your account is none of these; to respond, write "
    "to the Secretariat."
)


@dataclass(frozen=True)
class Row:
    """A consultation on my list, with the responses I (or my Parties) wrote to it."""

    consultation: Consultation
    slug: str
    working_days_left: int
    responses: list[ConsultationResponse]
    may_change: bool


def _visible(request: HttpRequest) -> tuple[list[Party], bool, set[int]]:
    """(my Parties, whether I answer for myself everywhere, consultations I was invited to)."""
    user = me(request)
    parties = rules.respondent_parties(user)
    invited = set(
        ConsultationInvitation.objects.filter(user=user).values_list("consultation_id", flat=True)
    )
    return parties, user.role == Role.CONSUMER_BODY, invited


def _working_days_left(calendar: WorkingDayCalendar, today: dt.date, closes_on: dt.date) -> int:
    """Working Days from today to the close, both counted (0 once closed)."""
    if closes_on < today:
        return 0
    return calendar.working_days_between(today - dt.timedelta(days=1), closes_on)


@login_required
def my_consultations(request: HttpRequest, **kwargs: object) -> HttpResponse:
    """/my/consultations/: the open consultations with their deadlines, my responses, past ones."""
    user = me(request)
    parties, for_self, invited = _visible(request)
    today = timezone.localdate()
    rows = Consultation.objects.select_related("proposal").filter(opens_on__lte=today)
    if not parties and not for_self:
        rows = rows.filter(pk__in=invited)
    mine = ConsultationResponse.objects.standing().select_related("party")
    own: dict[int, list[ConsultationResponse]] = {}
    for r in mine.filter(party__in=parties) | mine.filter(party__isnull=True, submitted_by=user):
        own.setdefault(r.consultation_id, []).append(r)
    calendar = WorkingDayCalendar.load()
    open_rows: list[Row] = []
    past_rows: list[Row] = []
    for c in rows.order_by("closes_on", "pk"):
        responses = own.get(c.pk, [])
        row = Row(
            consultation=c,
            slug=reference_slug(c.proposal),
            working_days_left=_working_days_left(calendar, today, c.closes_on),
            responses=responses,
            may_change=any(r.late_agreed_on for r in responses),
        )
        (open_rows if rules.is_open_on(c, today) else past_rows).append(row)
    return render(
        request,
        "changes/responding/list.html",
        {
            "open_rows": open_rows,
            "past_rows": past_rows[::-1],
            "respondent": bool(parties or for_self or invited),
            "not_a_respondent": NOT_A_RESPONDENT,
            "today": today,
        },
    )


def _chosen_party(request: HttpRequest, parties: list[Party]) -> Party | None:
    """The Party this response is for: the one chosen (form or link), else my only one."""
    if not parties:
        return None
    wanted = request.POST.get("party") or request.GET.get("party")
    for p in parties:
        if wanted and str(p.pk) == wanted:
            return p
    return parties[0]


def _initial(response: ConsultationResponse | None, party: Party | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"party": party.pk if party else None}
    if response is not None:
        initial["confidential"] = response.confidential
        for a in response.answers.select_related("question"):
            initial[f"answer_{a.question.number}"] = a.text
            initial[f"answer_{a.question.number}_confidential"] = a.confidential
    return initial


@login_required
def my_consultation(request: HttpRequest, pk: int, **kwargs: object) -> HttpResponse:
    """/my/consultations/<pk>/: answer online; save a draft, or submit after a confirmation."""
    user = me(request)
    consultation = get_object_or_404(Consultation.objects.select_related("proposal"), pk=pk)
    parties = rules.respondent_parties(user)
    if not parties and not rules.answers_for_self(user, consultation):
        raise PermissionDenied(NOT_A_RESPONDENT)
    party = _chosen_party(request, parties)
    response = rules.own_response(consultation=consultation, user=user, party=party)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "c": consultation,
        "slug": reference_slug(consultation.proposal),
        "party": party,
        "parties": parties,
        "response": response,
        "answers": list(response.answers.select_related("question")) if response else [],
        "questions": list(consultation.questions.all()),
        "documents": consultation.documents.filter(voided_on__isnull=True),
        "not_yet": today < consultation.opens_on,
        "may_change": rules.may_still_change(consultation, response),
        "working_days_left": _working_days_left(
            WorkingDayCalendar.load(), today, consultation.closes_on
        ),
    }
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        consultation=consultation,
        parties=parties,
        initial=_initial(response, party),
    )
    context["form"] = form
    if request.method != "POST":
        return render(request, "changes/responding/answer.html", context)
    if not form.is_valid():
        return render(request, "changes/responding/answer.html", context, status=400)
    d = form.cleaned_data
    chosen = d.get("party") or party
    action = request.POST.get("action")
    if action == "back":
        return render(request, "changes/responding/answer.html", context)
    submit = action == "submit"
    if submit and request.POST.get("confirmed") != "yes":
        context["chosen"] = chosen
        context["review"] = [
            (q, d.get(f"answer_{q.number}") or "", d.get(f"answer_{q.number}_confidential"))
            for q in context["questions"]
        ]
        return render(request, "changes/responding/confirm.html", context)
    service = services.consultation_submit if submit else services.consultation_save_draft
    try:
        saved = service(
            consultation=consultation,
            by=user,
            answers=d["answers"],
            party=chosen,
            confidential=d["confidential"],
        )
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from refusal
    except DomainError as refusal:
        attach_domain_error(form, refusal, default="answer_1")
        return render(request, "changes/responding/answer.html", context, status=400)
    if submit:
        messages.success(
            request,
            f"Your response to '{consultation.title}' is submitted; an acknowledgement with what "
            f"you submitted is on its way to {user.email or 'your address'}.",
        )
    else:
        messages.success(request, "Your draft is saved. Nobody else sees it until you submit.")
    target = f"{request.path}?party={saved.party_id}" if saved.party_id else request.path
    return redirect(target)
