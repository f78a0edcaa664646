"""The Authority's own pages: what awaits it, and a form for each step it takes (10.21, 11.12, 11.21,
11.22.2, 13.9-13.14, 13.17-13.22, 14.9-14.11).

Each step is a form, then a confirmation page saying what will happen and who is told, then the
service (dated by the system's clock), then a message and back to the proposal. A letter uploaded
on the form is held until the confirmation, then handed to the service, which keeps it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from panel import access
from panel.errors import DomainError

from .. import pages, services
from ..authority_queue import awaiting_authority
from ..forms.authority import (
    INTERIM,
    AuthorityAppealForm,
    AuthorityDecideForm,
    AuthorityDirectForm,
    AuthorityImplementationDateForm,
    AuthorityWaiveWaitForm,
)
from ..forms.common import attach_domain_error
from ..models import AppealRecord, ChangeProposal, ChangeReport
from .common import me, proposal_or_404, proposal_url
from .held_letters import held as _held
from .held_letters import hold as _hold
from .held_letters import letter as _letter

PARTIES_TOLD = (
    "The Secretariat, every Party, the Consumer Body, the transmission system operator and "
    "designated bodies are sent notice of the decision (13.14); the Proposer is told too."
)
PANEL_TOLD = "The Secretariat (for the Panel) and the Proposer are told by e-mail."


# -- one step ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What a page needs to take one step: its words, what happens, and the call."""

    title: str
    clause: str
    happens: Callable[[dict[str, Any]], str]
    told: str
    act: Callable[[dict[str, Any], services.Upload | None], object]
    done: str
    confirm_label: str = "Confirm and record"


def _summary(form: forms.Form) -> list[tuple[str, str]]:
    rows = []
    for field in form:
        if field.name in ("document", "document_title", "document_confidential"):
            continue
        value = form.cleaned_data.get(field.name)
        if isinstance(field.field, forms.ChoiceField) and value not in (None, ""):
            value = dict(field.field.choices).get(value, value)  # type: ignore[arg-type]
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        if value not in (None, ""):
            rows.append((str(field.label), str(value)))
    return rows


def _run(
    request: HttpRequest, *, proposal: ChangeProposal, form: forms.Form, step: Step
) -> HttpResponse:
    user = me(request)
    token = request.POST.get("letter", "") if request.method == "POST" else ""
    held = _held(token, user.pk) if token else None
    if held and "document" in form.fields:
        form.fields["document"].required = False
        form.letter_kept = True  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "p": proposal,
        "slug": pages.reference_slug(proposal),
        "title": step.title,
        "clause": step.clause,
        "form": form,
        "held": posixpath.basename(held) if held else "",
        "letter": token if held else "",
    }
    if request.method != "POST":
        return render(request, "changes/authority/form.html", context)
    if not form.is_valid():
        return render(request, "changes/authority/form.html", context, status=400)
    upload = form.cleaned_data.get("document")
    if upload:
        token = _hold(upload, user.pk)
        held = _held(token, user.pk)
        context.update(held=posixpath.basename(held) if held else "", letter=token)
    if "back" in request.POST:
        return render(request, "changes/authority/form.html", context)
    if "confirmed" not in request.POST:
        context.update(
            summary=_summary(form),
            letter_title=form.cleaned_data.get("document_title") or "",
            letter_confidential=bool(form.cleaned_data.get("document_confidential")),
            happens=step.happens(form.cleaned_data),
            told=step.told,
            confirm_label=step.confirm_label,
        )
        return render(request, "changes/authority/confirm.html", context)
    try:
        step.act(form.cleaned_data, _letter(held, form.cleaned_data) if held else None)
    except DomainError as exc:
        attach_domain_error(form, exc, default=None)
        return render(request, "changes/authority/form.html", context, status=exc.http_status)
    if held:
        default_storage.delete(held)
    messages.success(request, step.done)
    return redirect(proposal_url(proposal))


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    if request.method != "POST":
        return None, None
    return request.POST, request.FILES


def _reason(d: dict[str, Any]) -> str:
    return str(d.get("reason") or "")


# -- the queue ----------------------------------------------------------------------------------


@access.role_required(access.SECRETARIAT_OR_AUTHORITY, doing="see what awaits the Authority")
def authority_queue(request: HttpRequest, **kwargs: object) -> HttpResponse:
    today = timezone.localdate()
    matters = awaiting_authority(today)
    groups: dict[str, list[Any]] = {}
    for m in matters:
        groups.setdefault(m.kind, []).append(m)
    return render(
        request,
        "changes/authority/queue.html",
        {
            "today": today,
            "must": [(k, rows) for k, rows in groups.items() if rows[0].must],
            "may": [(k, rows) for k, rows in groups.items() if not rows[0].must],
            "count": len(matters),
            "is_authority": access.allowed(request.user, access.AUTHORITY),
        },
    )


# -- Part 1 decision (13.9-13.12) -------------------------------------------------------------

DECISION_HAPPENS = {
    "accept": "{r} will be accepted: the Panel then sets its implementation plan (13.15, 14.6).",
    "reject": "{r} will be rejected (13.12).",
    "send_back": "The vote on {r} will be void and the Panel must revise and resubmit the Change "
    "Report (13.11A).",
}


@access.role_required(access.AUTHORITY, doing="decide on a Part 1 Matter (13.9-13.12)")
def authority_decide(request: HttpRequest, reference: str, **kwargs: object) -> HttpResponse:
    proposal = proposal_or_404(reference)
    by = me(request)
    step = Step(
        title=f"Decide on {proposal.reference}",
        clause="13.9-13.12",
        happens=lambda d: DECISION_HAPPENS[d["decision"]].format(r=proposal.reference),
        told=PARTIES_TOLD,
        act=lambda d, letter: services.proposal_authority_decide(
            proposal=proposal, by=by, decision=d["decision"], reasons=_reason(d), document=letter
        ),
        done=f"Your decision on {proposal.reference} has been recorded and notice sent (13.14).",
        confirm_label="Confirm the decision",
    )
    data, files = _posted(request)
    initial = {"decision": request.GET.get("decision", "")}
    return _run(
        request,
        proposal=proposal,
        form=AuthorityDecideForm(data, files, initial=initial),
        step=step,
    )


# -- one appeal (13.20-13.22, 13.21.1) --------------------------------------------------------

APPEAL_HAPPENS = {
    "screened_out": "The appeal will be found not to meet 13.20; the decision on {r} stands "
    "and any suspension ends (13.20).",
    "dismissed": "The appeal will be dismissed; the decision on {r} stands (13.21.2(A)).",
    "quashed": "The decision on {r} will be quashed and it is treated as a Part 1 Matter "
    "(13.21.2(B)(i), 13.22).",
    "sent_back": "{r} will go back to the Panel for reconsideration, then to the vote again "
    "(13.21.2(B)(ii)).",
    INTERIM: "The interim directions will be recorded on this appeal; the Panel must give "
    "effect to them (13.21.1). The appeal stays open.",
}


def _decide_appeal(
    appeal: AppealRecord, by: Any, d: dict[str, Any], letter: services.Upload | None
) -> object:
    if d["outcome"] == INTERIM:
        return services.appeal_interim_directions(appeal=appeal, by=by, directions=_reason(d))
    return services.appeal_decide(
        appeal=appeal, by=by, outcome=d["outcome"], reasons=_reason(d), document=letter
    )


@access.role_required(access.AUTHORITY, doing="decide an appeal (13.20-13.22)")
def authority_appeal(
    request: HttpRequest, reference: str, pk: int, **kwargs: object
) -> HttpResponse:
    proposal = proposal_or_404(reference)
    appeal = get_object_or_404(AppealRecord, pk=pk, proposal=proposal)
    if appeal.outcome:
        raise Http404(f"The appeal by {appeal.appellant_name} has already been decided.")
    by = me(request)
    step = Step(
        title=f"Decide the appeal by {appeal.appellant_name} on {proposal.reference}",
        clause="13.20-13.22",
        happens=lambda d: APPEAL_HAPPENS[d["outcome"]].format(r=proposal.reference),
        told=PARTIES_TOLD,
        act=lambda d, letter: _decide_appeal(appeal, by, d, letter),
        done=f"Your decision on the appeal by {appeal.appellant_name} has been recorded.",
    )
    data, files = _posted(request)
    form = AuthorityAppealForm(data, files, initial={"outcome": request.GET.get("outcome", "")})
    return _run(request, proposal=proposal, form=form, step=step)


# -- directions (10.21, 11.12, 11.21) ---------------------------------------------------------

DIRECTIONS: dict[str, tuple[str, str, str, str]] = {
    # action in the URL: (step, title, clause, what happens)
    "direct-acceptance": (
        "authority_direct_acceptance",
        "Direct the Panel to accept {r}",
        "10.21",
        "{r} goes back to the Panel, which must accept it into the Assessment Process (10.21).",
    ),
    "decline-acceptance": (
        "authority_decline",
        "Decline to direct the Panel to accept {r}",
        "10.21",
        "The Panel's refusal of {r} stands (10.21).",
    ),
    "veto-timetable": (
        "veto_timetable_variation",
        "Veto the Panel's variation of the timetable of {r}",
        "11.12",
        "The timetable of {r} returns to what it was before the Panel varied it (11.12).",
    ),
    "part-opinion": (
        "authority_part_opinion",
        "Give the Authority's opinion: is {r} a Part 1 or Part 2 Matter?",
        "11.21",
        "{r} is treated as a Part {part} Matter; the opinion goes in the Change Report "
        "(11.21.2-11.21.3).",
    ),
}


@access.role_required(access.AUTHORITY, doing="give a direction (10.21, 11.12, 11.21)")
def authority_direct(
    request: HttpRequest, reference: str, action: str, **kwargs: object
) -> HttpResponse:
    if action not in DIRECTIONS:
        raise Http404("No such direction of the Authority.")
    proposal = proposal_or_404(reference)
    by = me(request)
    kind, title, clause, happens = DIRECTIONS[action]
    r = proposal.reference

    def act(d: dict[str, Any], letter: services.Upload | None) -> object:
        extra: dict[str, Any] = {"part": int(d["part"])} if action == "part-opinion" else {}
        return services.proposal_authority_direct(
            proposal=proposal, by=by, action=kind, reasons=_reason(d), document=letter, **extra
        )

    step = Step(
        title=title.format(r=r),
        clause=clause,
        happens=lambda d: happens.format(r=r, part=d.get("part", "")),
        told=PANEL_TOLD,
        act=act,
        done=f"Your direction on {r} has been recorded; the Secretariat and the Proposer are told.",
    )
    data, files = _posted(request)
    return _run(
        request, proposal=proposal, form=AuthorityDirectForm(data, files, action=action), step=step
    )


# -- the 7-day wait (11.22.2) -----------------------------------------------------------------


@access.role_required(access.AUTHORITY, doing="exempt a Change Report from the 7-day wait")
def authority_waive_wait(
    request: HttpRequest, reference: str, version: int, **kwargs: object
) -> HttpResponse:
    proposal = proposal_or_404(reference)
    report = get_object_or_404(ChangeReport, proposal=proposal, version=version)
    by = me(request)
    step = Step(
        title=f"Exempt version {version} of the Change Report on {proposal.reference} from the "
        "7-day wait",
        clause="11.22.2",
        happens=lambda d: (
            f"The Panel may submit {proposal.reference} to the vote without "
            "waiting 7 days after the report was provided to the Authority (11.22.2)."
        ),
        told=PANEL_TOLD,
        act=lambda d, letter: services.change_report_exempt_wait(
            report=report, by=by, reasons=_reason(d), document=letter
        ),
        done=f"Version {version} of the Change Report on {proposal.reference} is exempt from the "
        "7-day wait.",
    )
    data, files = _posted(request)
    return _run(request, proposal=proposal, form=AuthorityWaiveWaitForm(data, files), step=step)


# -- a new implementation date (14.9-14.11) ---------------------------------------------------


@access.role_required(access.AUTHORITY, doing="direct a new implementation date (14.9-14.11)")
def authority_implementation_date(
    request: HttpRequest, reference: str, **kwargs: object
) -> HttpResponse:
    proposal = proposal_or_404(reference)
    by = me(request)
    step = Step(
        title=f"Direct a new implementation date for {proposal.reference}",
        clause="14.9-14.11",
        happens=lambda d: (
            f"{proposal.reference} will take effect on {d['new_date']:%d %B %Y}; "
            "the implementation plan keeps the history of dates (14.9-14.11)."
        ),
        told=PANEL_TOLD,
        act=lambda d, letter: services.implementation_date_direct(
            proposal=proposal,
            by=by,
            new_date=d["new_date"],
            basis=d["basis"],
            reasons=_reason(d),
            document=letter,
        ),
        done=f"The new implementation date of {proposal.reference} has been recorded.",
    )
    data, files = _posted(request)
    form = AuthorityImplementationDateForm(data, files)
    return _run(request, proposal=proposal, form=form, step=step)
