"""The Secretariat desk: per proposal its state, its deadline and the steps it may take now;
the generic confirmation of a state-machine step; closing a consultation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from panel import access
from panel.errors import DomainError

from .. import pages, selectors, services
from ..forms.common import attach_domain_error
from ..forms.transitions import TransitionForm
from ..models import ChangeProposal, Consultation
from ..states import TRANSITIONS_BY_ACTION
from .common import me, posted, proposal_or_404, proposal_url, uploaded
from .steps import STEP_FORMS, desk_url, step_url

# Checked on the server for every request, not only by hiding the link.
secretariat_required = access.role_required(access.SECRETARIAT, doing="use the Secretariat desk")


def _pending_voters_url() -> str:
    """The Secretariat's list of authorised voters awaiting confirmation (panel.urls_my)."""
    try:
        return reverse("voters:pending")
    except NoReverseMatch:
        return ""


@secretariat_required
def desk(request: HttpRequest) -> HttpResponse:
    """Per proposal: its state, its deadline and the steps the Secretariat may take now; above
    them, what Parties and the Authority did online and what awaits confirmation."""
    rows = selectors.secretariat_desk(user=me(request))
    today = timezone.localdate()
    return render(
        request,
        "changes/desk.html",
        {
            "rows": [
                (p, slug, [(t, step_url(slug, t.action, me(request))) for t in actions])
                for p, actions in rows
                for slug in [pages.reference_slug(p)]
            ],
            "inbox": selectors.desk_inbox(today=today),
            "pending_voters_url": _pending_voters_url(),
            "recent_days": selectors.DESK_RECENT_DAYS,
            "today": today,
        },
    )


@secretariat_required
def desk_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Confirm a step of the state machine and take it through `proposal_transition`."""
    proposal = proposal_or_404(reference)
    transition = TRANSITIONS_BY_ACTION.get(action)
    if transition is None or action in selectors.BALLOT_ACTIONS:
        # Ballots are opened and declared by the voting service (13.4), never by hand.
        raise Http404(f"'{action}' is not a step the Secretariat takes on the desk.")
    if action in STEP_FORMS:
        # This step records data its own service needs: take it on its own form.
        return redirect(desk_url(pages.reference_slug(proposal), action))
    form = TransitionForm(posted(request), uploaded(request), action=action)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _take_step(request, form, proposal, action)
        except DomainError as exc:
            attach_domain_error(form, exc)
            status = exc.http_status
        else:
            proposal.refresh_from_db()
            messages.success(
                request,
                f"{proposal.reference}: {transition.label} — done. It is now "
                f"'{proposal.get_status_display()}'.",
            )
            return redirect("changes:desk")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "changes/desk_action.html",
        {"p": proposal, "slug": pages.reference_slug(proposal), "t": transition, "form": form},
        status=status,
    )


def _take_step(
    request: HttpRequest, form: TransitionForm, proposal: ChangeProposal, action: str
) -> None:
    d = form.cleaned_data
    documents = []
    if d.get("document"):
        documents.append(
            services.Upload(
                title=d.get("document_title") or d["document"].name,
                file=d["document"],
                confidential=d.get("document_confidential", False),
            )
        )
    if action == "submit":
        services.proposal_submit(proposal=proposal, by=me(request))
        return
    services.proposal_transition(
        proposal=proposal,
        action=action,
        by=me(request),
        reason=d.get("reason") or "",
        documents=documents,
        **form.step_data(),
    )


@secretariat_required
@require_POST
def consultation_close(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    proposal = proposal_or_404(reference)
    consultation = get_object_or_404(Consultation, pk=pk, proposal=proposal)
    try:
        services.consultation_close(consultation=consultation, by=me(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"'{consultation.title}' is closed.")
    return redirect(proposal_url(proposal))
