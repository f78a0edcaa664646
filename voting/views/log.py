"""The downloadable vote log of a ballot (12.4.6): anyone may recompute the chain with
`python -m voting.verify log.json`, no database needed.

Always: each entry's sequence, time, previous hash and hash, and the head (so the head can be
watched while the vote is open). After the declaration only: each entry's payload (the Group, its
choices and reason), the roll, the declared head and the declared counts, so the standing votes
and the result can be recomputed. `?case=1` adds the tally-contract cases (they contain N) for
those who may see N (the Secretariat, the Authority, the Panel). `?ballot=<id>` picks an earlier
ballot of the same proposal (a 14.3 re-vote keeps the first).
"""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from .. import selectors
from ..chain import canonical_json
from ..models import Ballot, Declaration, VoteLogEntry
from .common import viewer

FORMAT = "dcusa-vote-log/1"
HOW_TO_CHECK = "python -m voting.verify log.json (add --head <hash from the 13.8 notice>)"


def _ballot(request: HttpRequest, reference: str, suffix: str) -> Ballot | HttpResponse:
    canonical = selectors.normalise_reference(reference)
    slug = canonical.replace(" ", "-")
    if slug != reference:  # the URL form of the proposal pages: /changes/DCP-417/vote/log.json
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(f"/changes/{slug}/vote/{suffix}{query}")
    wanted = request.GET.get("ballot", "")
    if wanted:
        if not (wanted.isascii() and wanted.isdigit() and len(wanted) < 10):
            raise Http404("No such ballot.")
        found = selectors.ballots_for_reference(canonical).filter(pk=int(wanted)).first()
    else:
        found = selectors.current_ballot(canonical)
    if found is None:
        raise Http404(f"No vote on {canonical}.")
    return found


def _results(declaration: Declaration) -> dict[str, Any]:
    """The declared counts per question and category: Groups that voted and that accepted each
    option (no N, no weights), and the outcome."""
    out: dict[str, Any] = {}
    for qid, result in declaration.results.items():
        if "counts" in result:  # an election: votes per candidate (6.2)
            out[qid] = {"counts": result["counts"], "groups_voted": result["groups_voted"]}
            continue
        out[qid] = {
            "outcome": result.get("outcome"),
            "selected_option": result.get("selected_option"),
            "categories": [
                {
                    "category": c["category"],
                    "counted": c["counted"],
                    "groups_total": c["groups_total"],
                    "groups_voted": c["groups_voted"],
                    "accept_groups": {
                        label: o["accept_groups"] for label, o in c.get("options", {}).items()
                    },
                }
                for c in result.get("categories", [])
            ],
        }
    return out


def log_document(ballot: Ballot, *, with_cases: bool = False) -> dict[str, Any]:
    """The download, as a JSON-ready dict (four queries)."""
    declaration = Declaration.objects.filter(ballot=ballot).first()
    declared = declaration is not None
    entries = []
    for e in VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence"):
        row: dict[str, Any] = {
            "sequence": e.sequence,
            "recorded_at": e.recorded_at.isoformat(),
            "previous_hash": e.previous_hash,
            "entry_hash": e.entry_hash,
        }
        if declared:
            row["payload"] = e.payload
        entries.append(row)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "reference": ballot.reference,
        "ballot": ballot.pk,
        "status": ballot.status,
        "closes_at": ballot.closes_at.isoformat(),
        "closed_at": ballot.closed_at.isoformat() if ballot.closed_at else None,
        "head": {"length": ballot.chain_length, "hash": ballot.chain_head},
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "kind": q.kind,
                "text": q.text,
                "options": q.options,
            }
            for q in ballot.questions.order_by("position")
        ],
        "declaration": None,
        "how_to_check": HOW_TO_CHECK,
        "entries": entries,
    }
    if declaration is not None:
        roll = list(ballot.roll.order_by("category", "group_name", "pk"))
        labels = selectors.case_labels(roll)
        doc["roll"] = [
            {"roll_entry": e.pk, "category": e.category, "group": labels[e.pk]} for e in roll
        ]
        doc["declaration"] = {
            "declared_at": declaration.declared_at.isoformat(),
            "chain_length": declaration.chain_length,
            "chain_head": declaration.chain_head,
            "results": _results(declaration),
        }
        if with_cases:
            doc["cases"] = declaration.cases
    return doc


def log_json(request: HttpRequest, reference: str) -> HttpResponse:
    found = _ballot(request, reference, "log.json")
    if isinstance(found, HttpResponse):
        return found
    with_cases = request.GET.get("case") == "1"
    if with_cases and not selectors.can_see_confidential(viewer(request), found):
        raise PermissionDenied("The cases contain N: the Secretariat and the Authority only.")
    response = JsonResponse(
        log_document(found, with_cases=with_cases), json_dumps_params={"ensure_ascii": False}
    )
    name = "case" if with_cases else "log"
    response["Content-Disposition"] = (
        f'inline; filename="{found.reference.replace(" ", "-")}-vote-{name}.json"'
    )
    if with_cases:
        response["Cache-Control"] = "private, no-store"
    return response


def _cell(text: str) -> str:
    """A spreadsheet must not run a Group's name or reason as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def log_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """The same entries, one row each; the payload column is the exact text that is hashed."""
    found = _ballot(request, reference, "log.csv")
    if isinstance(found, HttpResponse):
        return found
    doc = log_document(found)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{found.reference.replace(' ', '-')}-vote-log.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheets read UTF-8
    writer = csv.writer(response)
    declared = doc["declaration"] is not None
    head = ["sequence", "recorded_at", "previous_hash", "entry_hash"]
    writer.writerow(
        head + (["category", "group", "answers", "reason", "payload"] if declared else [])
    )
    for e in doc["entries"]:
        row = [e["sequence"], e["recorded_at"], e["previous_hash"], e["entry_hash"]]
        if declared:
            p = e["payload"] if isinstance(e["payload"], dict) else {}
            answers = "; ".join(f"{a['question']}={a['choice']}" for a in p.get("answers", []))
            row += [
                p.get("category", ""),
                _cell(str(p.get("group", ""))),
                _cell(answers),
                _cell(str(p.get("reason", ""))),
                canonical_json(e["payload"]),
            ]
        writer.writerow(row)
    return response
