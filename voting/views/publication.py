"""The public vote page of a proposal (13.4.3) as HTML, JSON and CSV, and receipt verification."""

from __future__ import annotations

import csv
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import selectors
from ..models import Ballot
from ..publication import publication
from .common import viewer


def _vote_url(reference: str, suffix: str = "vote/") -> str:
    return f"/changes/{quote(reference)}/{suffix}"


def _ballot_or_404(request: HttpRequest, reference: str, suffix: str) -> Ballot | HttpResponse:
    canonical = selectors.normalise_reference(reference)
    # The URL form matches the proposal pages: /changes/DCP-417/vote/.
    slug = canonical.replace(" ", "-")
    if slug != reference:
        return redirect(_vote_url(slug, suffix), permanent=False)
    ballot = selectors.current_ballot(canonical)
    if ballot is None:
        raise Http404(f"No vote on {canonical}.")
    return ballot


def vote_page(request: HttpRequest, reference: str) -> HttpResponse:
    """/changes/<reference>/vote/: the declaration and how each Group voted, once declared."""
    found = _ballot_or_404(request, reference, "vote/")
    if isinstance(found, HttpResponse):
        return found
    data = publication(found, viewer(request))
    earlier = [b for b in selectors.ballots_for_reference(found.reference) if b.pk != found.pk]
    return render(
        request,
        "voting/vote_page.html",
        {"ballot": found, "pub": data, "earlier": earlier, "now": timezone.now()},
    )


def vote_page_json(request: HttpRequest, reference: str) -> HttpResponse:
    found = _ballot_or_404(request, reference, "vote.json")
    if isinstance(found, HttpResponse):
        return found
    return JsonResponse(publication(found, viewer(request)))


def vote_page_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """One row per Group that voted, after the declaration; no N or weights, ever."""
    found = _ballot_or_404(request, reference, "vote.csv")
    if isinstance(found, HttpResponse):
        return found
    data = publication(found, None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = found.reference.replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}-vote.csv"'
    writer = csv.writer(response)
    declaration = data["declaration"]
    if declaration is None:
        writer.writerow(["reference", "status"])
        writer.writerow([found.reference, found.status])
        return response
    writer.writerow(["reference", "category", "group", "question", "vote", "reason"])
    for row in declaration["votes"]:  # type: ignore[index]
        for question, answer in row["answers"].items():
            writer.writerow(
                [found.reference, row["category"], row["group"], question, answer, row["reason"]]
            )
    return response
