"""A Party's own steps on a proposal: appeal (13.17-13.19), withdraw (11.29-11.30), adopt (11.31).

Each page checks first that the user may take the step now (the state machine's actor and state
checks) and says why not; the form ends with a confirmation of what will happen and who is told;
the service dates the step by the system's clock and refuses, naming the field, what the
agreement does not allow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from panel import access
from panel.errors import DomainError

from .. import pages, services, states
from ..forms.common import attach_domain_error
from ..forms.party import AdoptionForm, AppealForm, WithdrawalForm
from ..models import ChangeProposal
from .common import me, posted, proposal_or_404, proposal_url, uploaded

Act = Callable[[ChangeProposal, Any], object]


def _page(
    request: HttpRequest,
    *,
    proposal: ChangeProposal,
    action: str,
    form: forms.Form,
    act: Act,
    title: str,
    intro: str,
    clause: str,
    done: str,
    default_field: str,
    blocked: str = "",
) -> HttpResponse:
    status, refusal = (403, blocked) if blocked else (200, "")
    try:
        states.check_allowed(states.transition(action), proposal=proposal, user=me(request))
    except DomainError as exc:
        status, refusal = exc.http_status, exc.message
    if not refusal and request.method == "POST":
        if form.is_valid():
            try:
                act(proposal, form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc, default=default_field)
                status = exc.http_status
            else:
                messages.success(request, done)
                return redirect(proposal_url(proposal))
        else:
            status = 400
    context = {
        "form": form,
        "p": proposal,
        "slug": pages.reference_slug(proposal),
        "title": title,
        "intro": intro,
        "clause": clause,
        "refusal": refusal,
    }
    return render(request, "changes/party/step.html", context, status=status)


def _upload(file: Any, title: str, confidential: bool = False) -> list[services.Upload]:
    return [services.Upload(title=title, file=file, confidential=confidential)] if file else []


@login_required
def party_appeal(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = proposal_or_404(reference)
    user = me(request)
    form = AppealForm(posted(request), uploaded(request), proposal=proposal, user=user)

    def act(p: ChangeProposal, d: dict[str, Any]) -> object:
        party, name = form.appellant()
        return services.appeal_lodge(
            proposal=p,
            by=user,
            appellant_party=party,
            appellant_name=name,
            reasons=d["reasons"],
            grounds=d["grounds"],
            documents=_upload(
                d.get("document"), "Appeal: supporting document", d["document_confidential"]
            ),
        )

    ends = proposal.appeal_window_ends
    return _page(
        request,
        proposal=proposal,
        action="appeal_lodged",
        form=form,
        act=act,
        title="Appeal to the Authority",
        intro=(
            f"{proposal.reference} was {form.against} by the Parties' vote. A Party, the Consumer "
            "Body, the transmission operator or a designated body aggrieved by that outcome may "
            "appeal to the Authority"
            + (f" until the end of {ends:%d %B %Y}" if ends else "")
            + ", stating why, against the criteria of Clause 13.20, it should be quashed."
        ),
        clause="13.17-13.20",
        done=f"Your appeal on {proposal.reference} has been lodged with the Authority and "
        "copied to the Secretariat and the Panel.",
        default_field="reasons",
    )


@login_required
def party_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = proposal_or_404(reference)
    user = me(request)
    form = WithdrawalForm(posted(request), uploaded(request), proposal=proposal)

    def act(p: ChangeProposal, d: dict[str, Any]) -> object:
        return services.proposal_withdraw(
            proposal=p,
            by=user,
            reason=d["reason"],
            authority_consent=d.get("authority_consent") or "",
            documents=_upload(d.get("consent_letter"), "The Authority's consent to withdrawal"),
        )

    consent = (
        " It was raised under Clause 10.2.5, so give evidence that the Authority consents."
        if proposal.is_authority_change_proposal
        else ""
    )
    return _page(
        request,
        proposal=proposal,
        action="withdraw",
        form=form,
        act=act,
        title="Withdraw the proposal",
        intro="As the Proposer you may withdraw your support for the proposal at any time "
        f"while it is in the Assessment Process.{consent}",
        clause="11.29-11.32",
        done=f"{proposal.reference} has been withdrawn. Every Party has been told and may "
        "adopt it within 10 Working Days.",
        default_field="reason",
    )


@login_required
def party_adopt(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = proposal_or_404(reference)
    user = me(request)
    form = AdoptionForm(posted(request), proposal=proposal, user=user)

    def act(p: ChangeProposal, d: dict[str, Any]) -> object:
        return services.proposal_adopt(
            proposal=p,
            by=user,
            party=d["party"],
            nominee_name=d["nominee_name"],
            nominee_email=d["nominee_email"],
        )

    deadline = proposal.current_deadline
    until = f" until the end of {deadline.due_on:%d %B %Y}" if deadline else ""
    withdrew = proposal.proposer_party
    blocked = (
        f"You represent {withdrew.name}, which withdrew {proposal.reference}: another Party may "
        "adopt it (11.31)."
        if withdrew is not None
        and withdrew.pk in user.represented_party_ids()
        and not access.allowed(user, access.SECRETARIAT)
        else ""
    )
    return _page(
        request,
        proposal=proposal,
        action="adopt",
        form=form,
        act=act,
        title="Adopt the withdrawn proposal",
        intro=f"{proposal.proposer_display} withdrew its support for {proposal.reference}. Any "
        f"other Party may adopt it{until} and so become its Proposer.",
        clause="11.31",
        done=f"{proposal.reference} has been adopted: your Party is now its Proposer.",
        default_field="party",
        blocked=blocked,
    )
