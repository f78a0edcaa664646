"""The Secretariat desk's steps that record data through a named service, each declared once
(`DeskStep`, by concept in this package) and all served by `desk_step`: check who may, parse the
form, call the service (it owns its transaction), show a refusal next to the field it names,
then say what was done and go back to the proposal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from panel import access
from panel.errors import DomainError

from ... import pages
from ...forms.common import attach_domain_error
from ..common import me, posted, proposal_or_404, proposal_url, uploaded
from . import consultations, decisions, reports, working_groups
from .base import DeskStep

STEPS: dict[str, DeskStep] = {
    **working_groups.STEPS,
    **consultations.STEPS,
    **reports.STEPS,
    **decisions.STEPS,
}

# State-machine actions taken on a step's own form, not the generic confirmation:
# action -> (url name, query string preselecting it).
STEP_FORMS: dict[str, tuple[str, str]] = {
    action: (f"changes:{name}", query)
    for name, step in STEPS.items()
    for action, query in step.takes
}


# The Authority's own forms (changes.views.authority): action -> (url name, extra args, query).
AUTHORITY_FORMS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "authority_accept": ("changes:authority_decide", (), "?decision=accept"),
    "authority_reject": ("changes:authority_decide", (), "?decision=reject"),
    "authority_send_back": ("changes:authority_decide", (), "?decision=send_back"),
    "authority_direct_acceptance": ("changes:authority_direct", ("direct-acceptance",), ""),
    "authority_decline": ("changes:authority_direct", ("decline-acceptance",), ""),
    "veto_timetable_variation": ("changes:authority_direct", ("veto-timetable",), ""),
    "authority_part_opinion": ("changes:authority_direct", ("part-opinion",), ""),
    "implementation_date_directed": ("changes:authority_implementation_date", (), ""),
}
APPEAL_DECISIONS = frozenset(
    {"appeal_screened_out", "appeal_dismissed", "appeal_quashed", "appeal_sent_back"}
)
# A Party's (or another appellant's) own forms (changes.views.party_steps).
PARTY_FORMS: dict[str, str] = {
    "appeal_lodged": "changes:party_appeal",
    "withdraw": "changes:party_withdraw",
    "adopt": "changes:party_adopt",
}


def desk_url(slug: str, action: str) -> str:
    """Where the Secretariat takes a step: its own form, else the generic confirmation."""
    if action in STEP_FORMS:
        name, query = STEP_FORMS[action]
        return reverse(name, args=[slug]) + query
    return reverse("changes:desk_action", args=[slug, action])


def step_url(
    slug: str, action: str, user: Any = None, *, pending_appeal: int | None = None
) -> str | None:
    """Where `user` takes the step `action`: the Secretariat at its desk, the Authority and the
    Parties on their own forms; None when there is no page for this user to take it on (the
    step is then not offered as a button). `pending_appeal` is the appeal an appeal decision
    settles (13.20-13.21: each appeal is decided on its own). Without a user (the admin's
    links): the desk."""
    if user is None or access.allowed(user, access.SECRETARIAT):
        return desk_url(slug, action)
    if getattr(user, "is_authority", False):
        if action in APPEAL_DECISIONS:
            if pending_appeal is None:
                return reverse("changes:authority_queue")
            return reverse("changes:authority_appeal", args=[slug, pending_appeal])
        if action in AUTHORITY_FORMS:
            name, args, query = AUTHORITY_FORMS[action]
            return reverse(name, args=[slug, *args]) + query
    if action in PARTY_FORMS:
        return reverse(PARTY_FORMS[action], args=[slug])
    return None


def desk_step(request: HttpRequest, step: str, reference: str, **ids: int) -> HttpResponse:
    """The one view of every declared step; `step` is its name (and its URL name)."""
    declared = STEPS[step]
    guarded = access.role_required(declared.who, doing=declared.doing)(_take)
    return guarded(request, declared, reference, ids)


def _take(
    request: HttpRequest, declared: DeskStep, reference: str, ids: dict[str, int]
) -> HttpResponse:
    proposal = proposal_or_404(reference)
    ctx = declared.context(proposal=proposal, ids=ids, by=me(request), query=request.GET)
    form = declared.bound_form(ctx, posted(request), uploaded(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                declared.act(ctx, form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc, default=declared.default_field)
                status = exc.http_status
            else:
                messages.success(request, declared.words(declared.done, ctx))
                return redirect(proposal_url(proposal))
        else:
            status = 400
    context: dict[str, Any] = {
        "form": form,
        "p": proposal,
        "slug": pages.reference_slug(proposal),
        "title": declared.words(declared.title, ctx),
        "clause": declared.clause,
    }
    return render(request, declared.template, context, status=status)


def urlpatterns() -> list[URLPattern]:
    """One URL per declared step, named after it."""
    return [path(s.path, desk_step, {"step": name}, name=name) for name, s in STEPS.items()]
