"""/votes/verify/: a voter (or anyone) checks a receipt against the vote log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..forms import ReceiptForm
from ..models import Declaration, Vote, VoteLogEntry
from ..receipts import normalise_receipt, verify_chain


def verify_receipt(request: HttpRequest) -> HttpResponse:
    """/votes/verify/: is this receipt in the log? Never the choice before the declaration."""
    form = ReceiptForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        code = normalise_receipt(form.cleaned_data["receipt"])
        entry = VoteLogEntry.objects.select_related("ballot").filter(entry_hash=code).first()
        context["searched"] = True
        context["entry"] = entry
        if entry is not None:
            ballot = entry.ballot
            declared = Declaration.objects.filter(ballot=ballot).exists()
            context["ballot"] = ballot
            context["standing"] = Vote.objects.filter(log_entry=entry, superseded_at=None).exists()
            context["declared"] = declared
            if declared:
                questions = {q.pk: q for q in ballot.questions.all()}
                context["answers"] = [
                    (
                        questions[a["question"]].text,
                        questions[a["question"]].choice_label(a["choice"]),
                    )
                    for a in entry.payload["answers"]
                ]
                context["chain"] = verify_chain(ballot)
    return render(request, "voting/verify.html", context)
