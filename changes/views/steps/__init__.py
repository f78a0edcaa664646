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


def step_url(slug: str, action: str) -> str:
    """Where the Secretariat takes a step: its own form, else the generic confirmation."""
    if action in STEP_FORMS:
        name, query = STEP_FORMS[action]
        return reverse(name, args=[slug]) + query
    return reverse("changes:desk_action", args=[slug, action])


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
