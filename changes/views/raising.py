"""Raising a Change Proposal (10.2-10.6): the form, saved drafts, and submission to the
Secretariat (10.3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from panel import access
from panel.errors import DomainError

from .. import pages, selectors, services
from ..forms.common import attach_domain_error
from ..forms.raising import DraftDeleteForm, ProposalForm, kinds_for
from ..models import ChangeProposal
from ..states import State
from .common import me, proposal_url

# Who may raise a Change Proposal (10.2): the kinds of proposer the user may raise as.
MAY_RAISE = access.Rule(
    "raise_10_2",
    lambda user: bool(kinds_for(user)),
    "Parties, the Consumer Body, the transmission operator, designated persons, the Authority, "
    "or the Secretariat on their behalf,",
)
raiser_required = access.role_required(MAY_RAISE, doing="raise a Change Proposal (10.2)")


def _show_missing(form: ProposalForm, proposal: ChangeProposal) -> set[str]:
    """Each item 10.4 asks for that is not given, next to its field; the fields named."""
    missing = [m for m in pages.missing_items(proposal) if m[0] in form.fields]
    for name, words in missing:
        if name not in form.errors:
            form.add_error(name, f"A Change Proposal must contain {words}.")
    return {name for name, _ in missing}


def _as_typed(form: ProposalForm, proposal: ChangeProposal | None) -> ChangeProposal:
    """The proposal as typed, unsaved: to say what is missing when nothing could be saved."""
    typed = ChangeProposal() if proposal is None else ChangeProposal.objects.get(pk=proposal.pk)
    for name, value in form.draft_fields().items():
        setattr(typed, name, value)
    return typed


def _save_proposal(
    request: HttpRequest, form: ProposalForm, proposal: ChangeProposal | None
) -> ChangeProposal | None:
    """Save as typed, attach any document, and submit if asked; errors go on the form.

    A refused save leaves the draft being edited as it was and creates none (a new proposal is
    saved only once it has a title); a refused submission keeps the draft, now saved as typed.
    """
    user = me(request)
    submitting = "submit" in request.POST
    try:
        proposal = services.proposal_save_draft(by=user, proposal=proposal, **form.draft_fields())
    except DomainError as exc:
        named = _show_missing(form, _as_typed(form, proposal)) if submitting else set()
        if exc.field not in named:
            attach_domain_error(form, exc)
        return proposal
    d = form.cleaned_data
    if d.get("attachment"):
        try:
            services.proposal_attach_document(
                proposal=proposal,
                by=user,
                title=d["attachment_title"],
                file=d["attachment"],
                confidential=d["attachment_confidential"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
            return proposal
    if submitting:
        try:
            services.proposal_submit(proposal=proposal, by=user)
        except DomainError as exc:
            if exc.field not in _show_missing(form, proposal):
                attach_domain_error(form, exc)
    return proposal


def _new_initial(request: HttpRequest) -> dict[str, Any]:
    """A new proposal starts as the user's first kind, for their Party if they have one."""
    initial: dict[str, Any] = {"proposer_kind": kinds_for(me(request))[0].value}
    parties = me(request).represented_party_ids()
    if len(parties) == 1:
        initial["proposer_party"] = next(iter(parties))
    return initial


def _proposal_form_page(request: HttpRequest, proposal: ChangeProposal | None) -> HttpResponse:
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, user=me(request))
        if form.is_valid():
            proposal = _save_proposal(request, form, proposal)
            if not form.errors and proposal is not None:
                if proposal.status != State.DRAFT:
                    messages.success(
                        request,
                        f"{proposal.reference} has been submitted to the Secretariat (10.3).",
                    )
                    return redirect(proposal_url(proposal))
                messages.success(request, "Your draft has been saved.")
                return redirect("changes:draft_edit", proposal.pk)
    else:
        initial = ProposalForm.initial_for(proposal) if proposal else _new_initial(request)
        form = ProposalForm(initial=initial, user=me(request))
    documents = list(proposal.documents.all()) if proposal and proposal.pk else []
    return render(
        request,
        "changes/raise.html",
        {
            "form": form,
            "proposal": proposal if proposal and proposal.pk else None,
            "documents": documents,
        },
        status=400 if form.errors else 200,
    )


@raiser_required
def raise_proposal(request: HttpRequest) -> HttpResponse:
    return _proposal_form_page(request, None)


@raiser_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = pages.draft_for(user=me(request), pk=pk)
    if proposal is None:
        raise Http404("No draft of yours with that number.")
    if proposal.status != State.DRAFT:
        return redirect(proposal_url(proposal))
    return _proposal_form_page(request, proposal)


@raiser_required
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft never submitted, after confirming (its author or the Secretariat)."""
    proposal = pages.draft_for(user=me(request), pk=pk)
    if proposal is None:
        raise Http404("No draft of yours with that number.")
    if proposal.status != State.DRAFT:
        return redirect(proposal_url(proposal))
    form = DraftDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_draft_delete(proposal=proposal, by=me(request))
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, f"Your draft \u201c{proposal.title}\u201d has been deleted.")
            return redirect("changes:drafts")
    return render(
        request,
        "changes/draft_delete.html",
        {"form": form, "proposal": proposal, "documents": list(proposal.documents.all())},
        status=400 if form.errors else 200,
    )


@raiser_required
def draft_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "changes/drafts.html", {"drafts": selectors.drafts_for(user=me(request))}
    )
