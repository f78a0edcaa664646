"""The public Change Register (11.25-11.28, Schedule 14): the list and its exports, the monthly
copies, a proposal's page and its papers (57.3)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from panel.views.paging import one_page

from .. import pages, selectors
from ..forms.register import RegisterFilterForm
from ..models import AppealRecord, ChangeProposal, ConsultationInvitation, RegisterCopy
from .common import proposal_or_404
from .steps import step_url

PAGE_SIZE = 25


def _filtered_register(request: HttpRequest) -> tuple[RegisterFilterForm, Any]:
    form = RegisterFilterForm(request.GET or None)
    query = form.query() if form.is_valid() else pages.RegisterQuery()
    return form, pages.register_search(query)


def register(request: HttpRequest) -> HttpResponse:
    """The Change Register (11.25-11.28): every proposal in the process, with its deadline."""
    form, proposals = _filtered_register(request)
    page, query = one_page(request, proposals, PAGE_SIZE)
    rows = [(selectors.register_row(p), pages.reference_slug(p)) for p in page.object_list]
    return render(
        request,
        "changes/register.html",
        {"form": form, "page": page, "rows": rows, "query": query},
    )


def register_csv(request: HttpRequest) -> HttpResponse:
    _, proposals = _filtered_register(request)
    rows = [selectors.register_row(p) for p in proposals]
    response = HttpResponse(selectors.register_as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="change-register.csv"'
    return response


def register_copy_list(request: HttpRequest) -> HttpResponse:
    """The monthly copies sent to the Authority (11.28)."""
    return render(request, "changes/register_copies.html", {"copies": pages.register_copies()})


def register_copy_download(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    copy = get_object_or_404(RegisterCopy, month=f"{month}-01")
    if fmt == "csv":
        response = HttpResponse(copy.csv, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(copy.html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="change-register-{month}.{fmt}"'
    return response


def proposal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A Change Proposal with its papers, timeline, Working Group, consultations and reports."""
    proposal = pages.public_proposal(reference)
    if proposal is None:
        return render(
            request,
            "changes/not_found.html",
            {"reference": reference, "number": pages.reference_number(reference)},
            status=404,
        )
    canonical = pages.reference_slug(proposal)
    if reference != canonical:
        return redirect("changes:detail", canonical, permanent=True)
    user = request.user if request.user.is_authenticated else None
    page = pages.proposal_page(proposal=proposal, user=user)
    return render(
        request,
        "changes/detail.html",
        {
            "p": proposal,
            "page": page,
            "slug": canonical,
            "actions": _actions(proposal, canonical, user),
            "answerable": _answerable(page, user),
            "is_secretariat": bool(user and user.is_secretariat),
            "includes": _includes(),
        },
    )


def _actions(proposal: ChangeProposal, slug: str, user: Any) -> list[tuple[Any, str]]:
    """The steps open to the user now, each pointing at the form this user takes it on."""
    if user is None:
        return []
    steps = selectors.next_actions(proposal=proposal, user=user)
    pending = None
    if any(t.action.startswith("appeal_") and t.action != "appeal_lodged" for t in steps):
        # Each appeal is decided on its own (13.20-13.21): the oldest one undecided.
        pending = (
            AppealRecord.objects.filter(proposal=proposal, outcome="")
            .order_by("lodged_on", "pk")
            .values_list("pk", flat=True)
            .first()
        )
    withdrew = any(t.action == "adopt" for t in steps) and (
        proposal.proposer_party_id in user.represented_party_ids()
    )
    out = []
    for t in steps:
        if t.action == "adopt" and withdrew and not user.is_secretariat:
            continue  # the withdrawing Party does not adopt its own proposal (11.31)
        url = step_url(slug, t.action, user, pending_appeal=pending)
        if url is not None:
            out.append((t, url))
    return out


def _may_respond(user: Any) -> bool:
    """Parties (through their representatives) and the Consumer Body answer consultations;
    others only when the Working Group invites them (11.14.1)."""
    return bool(user.role == "CONSUMER_BODY" or user.party_links.exists())


def _answerable(page: Any, user: Any) -> list[Any]:
    """The consultations open today that this user may answer online (11.14.1)."""
    if user is None or user.is_secretariat:
        return []
    today = timezone.localdate()
    open_now = [
        cv.consultation
        for cv in page.consultations
        if cv.consultation.opens_on <= today <= cv.consultation.closes_on
        and cv.consultation.closed_on is None
    ]
    if not open_now:
        return []
    if _may_respond(user):
        return open_now
    invited = set(
        ConsultationInvitation.objects.filter(user=user, consultation__in=open_now).values_list(
            "consultation_id", flat=True
        )
    )
    return [c for c in open_now if c.pk in invited]


# Parts of the proposal page other pages add when they exist (included only then).
OPTIONAL_INCLUDES = ("changes/_implementation.html", "changes/_alternatives.html")


def _includes() -> list[str]:
    found = []
    for name in OPTIONAL_INCLUDES:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


def document_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """A paper, served through a check so a confidential one never leaks by its URL (57.3)."""
    proposal = proposal_or_404(reference)
    user = request.user if request.user.is_authenticated else None
    doc = pages.document_for(proposal=proposal, user=user, pk=pk)
    if doc is None or not doc.file:
        raise Http404("No such document, or it is confidential.")
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this document is missing.")
    return FileResponse(handle, as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
