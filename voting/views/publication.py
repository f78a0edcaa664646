"""The public vote page of a proposal (13.4.3) as HTML, JSON and CSV: every ballot of the
proposal, oldest first (a 14.3 re-vote on the date sits under the declaration before it)."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import selectors
from ..models import Ballot
from ..publication import proposal_publication, slug
from .common import viewer


def _vote_url(reference: str, suffix: str = "vote/") -> str:
    return f"/changes/{quote(reference)}/{suffix}"


def _ballots_or_404(
    request: HttpRequest, reference: str, suffix: str
) -> tuple[Ballot, list[Ballot]] | HttpResponse:
    """(the ballot the page is about now, every ballot of the proposal), or a redirect to the
    canonical URL (/changes/DCP-417/vote/, like the proposal pages)."""
    canonical = selectors.normalise_reference(reference)
    if slug(canonical) != reference:
        return redirect(_vote_url(slug(canonical), suffix), permanent=False)
    ballots = list(selectors.ballots_for_reference(canonical))
    current = selectors.current_ballot(canonical)
    if current is None:
        raise Http404(f"No vote on {canonical}.")
    return current, ballots


def _published(request: HttpRequest, reference: str, suffix: str) -> Any:
    found = _ballots_or_404(request, reference, suffix)
    if isinstance(found, HttpResponse):
        return found
    current, ballots = found
    pubs = proposal_publication(ballots, viewer(request))
    by_pk = {p["ballot"]: p for p in pubs}
    return current, ballots, pubs, by_pk[current.pk]


def vote_page(request: HttpRequest, reference: str) -> HttpResponse:
    """/changes/<reference>/vote/: each ballot's status, and its declaration once declared."""
    found = _published(request, reference, "vote/")
    if isinstance(found, HttpResponse):
        return found
    current, ballots, pubs, _ = found
    by_pk = {b.pk: b for b in ballots}
    items = [{"ballot": by_pk[p["ballot"]], "pub": p} for p in pubs]
    return render(
        request,
        "voting/vote_page.html",
        {"ballot": current, "items": items, "now": timezone.now()},
    )


def vote_page_json(request: HttpRequest, reference: str) -> HttpResponse:
    """The current ballot at the top level; every ballot, oldest first, under "ballots"."""
    found = _published(request, reference, "vote.json")
    if isinstance(found, HttpResponse):
        return found
    _, _, pubs, current = found
    return JsonResponse({**current, "ballots": pubs})


CSV_HEADER = [
    "record",
    "reference",
    "ballot_opened",
    "status",
    "category",
    "group",
    "question",
    "vote",
    "reason",
    "groups_voted",
    "groups_eligible",
    "chain_length",
    "chain_head",
]


def vote_page_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """Per ballot, oldest first: a "ballot" row (status; the log's head once declared), "turnout"
    rows where the viewer may see them, and after the declaration one "vote" row per Group and
    question with its reason. No N or weights, ever."""
    found = _published(request, reference, "vote.csv")
    if isinstance(found, HttpResponse):
        return found
    current, _, pubs, _ = found
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug(current.reference)}-vote.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for pub in pubs:
        head = [pub["reference"], pub["opens_at"], pub["status"]]
        d = pub["declaration"]
        chain = [d["chain_length"], d["chain_head"]] if d else ["", ""]
        writer.writerow(["ballot", *head, "", "", "", "", "", "", "", *chain])
        for t in pub["turnout"] or []:
            row = ["turnout", *head, t["label"], "", "", "", ""]
            writer.writerow([*row, t["groups_voted"], t["eligible_groups"], "", ""])
        for r in d["votes"] if d else []:
            for question, answer in r["answers"].items():
                reason = r["reasons"].get(question, "")
                row = ["vote", *head, r["category_label"], r["group"], question, answer, reason]
                writer.writerow([*row, "", "", "", ""])
    return response
