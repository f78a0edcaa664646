"""/votes/verify/: anyone checks a receipt against the vote log (12.4.6).

The receipt is the full hash of a vote log entry or its short code (voting.receipts_code). The
page says whether the entry stands for each question it answered or was superseded (by a later
cast, at what time), and after the declaration whether the declaration counted it: the entry
stands and lies within the log the declaration counted (its chain_length). Before the
declaration it never shows the choice (13.4: the votes are published with the declaration).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import Ballot, BallotStatus, Declaration, VoteLogEntry
from ..receipts import standing_votes, verify_chain
from ..receipts_code import (
    FULL_LENGTH,
    SHORT_LENGTH,
    is_receipt_text,
    normalise_code,
    short_receipt,
)


class ReceiptCheckForm(forms.Form):
    receipt = forms.CharField(
        label="Receipt code",
        max_length=200,
        help_text=(
            "The 10-character code, like 3f9c2-a81b0, or the full 64-character receipt. "
            "Capitals, spaces and dashes do not matter."
        ),
    )

    def clean_receipt(self) -> str:
        text = self.cleaned_data["receipt"]
        if not is_receipt_text(text):
            raise forms.ValidationError(
                "A receipt code has only the digits 0-9 and the letters a-f, like 3f9c2-a81b0."
            )
        code = normalise_code(text)
        if len(code) < SHORT_LENGTH:
            raise forms.ValidationError(
                f"A receipt code has {SHORT_LENGTH} characters, like 3f9c2-a81b0; "
                f"this has {len(code)}."
            )
        if len(code) > FULL_LENGTH:
            raise forms.ValidationError(
                f"A full receipt has {FULL_LENGTH} characters; this has {len(code)}."
            )
        return code


@dataclass(frozen=True)
class AnswerCheck:
    """One question the entry answered: does the answer stand, and was it counted?"""

    question: str
    stands: bool
    counted: bool
    superseded_at: dt.datetime | None = None  # when the later cast was recorded
    superseded_by: int | None = None  # the later cast's sequence in the log
    choice: str = ""  # only after the declaration


@dataclass(frozen=True)
class ReceiptCheck:
    entry: VoteLogEntry
    ballot: Ballot
    answers: list[AnswerCheck]
    declaration: Declaration | None

    @property
    def stands(self) -> bool:
        return all(a.stands for a in self.answers)

    @property
    def superseded(self) -> bool:
        return not any(a.stands for a in self.answers)

    @property
    def counted(self) -> bool:
        return self.declaration is not None and all(a.counted for a in self.answers)

    @property
    def partly_counted(self) -> bool:
        return self.declaration is not None and any(a.counted for a in self.answers)

    @property
    def within_declaration(self) -> bool:
        return self.declaration is not None and self.declaration.chain_length >= self.entry.sequence


def entries_matching(code: str) -> list[VoteLogEntry]:
    """The entries whose hash is `code` (a full receipt) or starts with it (a short code); two
    at most, which is enough to know the short code is not unique."""
    entries = VoteLogEntry.objects.select_related("ballot")
    if len(code) == FULL_LENGTH:
        entries = entries.filter(entry_hash=code)
    else:
        entries = entries.filter(entry_hash__startswith=code)
    return list(entries.order_by("pk")[:2])


def check_entry(entry: VoteLogEntry) -> ReceiptCheck:
    """Fetch the ballot's standing votes, the Group's later casts, the questions and the
    declaration (one query each), then judge each answer of the entry."""
    ballot = entry.ballot
    roll_entry = int(entry.payload["roll_entry"])
    standing = standing_votes(ballot.pk)
    later = list(
        VoteLogEntry.objects.filter(
            ballot=ballot, sequence__gt=entry.sequence, payload__roll_entry=roll_entry
        )
        .order_by("sequence")
        .only("sequence", "payload", "recorded_at")
    )
    questions = {q.pk: q for q in ballot.questions.all()}
    declaration = Declaration.objects.filter(ballot=ballot).first()
    within = declaration is not None and declaration.chain_length >= entry.sequence
    answers = []
    for answer in entry.payload["answers"]:
        question_id = int(answer["question"])
        question = questions[question_id]
        now_standing = standing.get((roll_entry, question_id))
        stands = now_standing is not None and now_standing.sequence == entry.sequence
        successor = None
        if not stands:
            successor = next(
                (
                    e
                    for e in later
                    if question_id in {int(a["question"]) for a in e.payload["answers"]}
                ),
                None,
            )
        answers.append(
            AnswerCheck(
                question=question.get_kind_display(),
                stands=stands,
                counted=stands and within,
                superseded_at=successor.recorded_at if successor else None,
                superseded_by=successor.sequence if successor else None,
                choice=question.choice_label(str(answer["choice"])) if declaration else "",
            )
        )
    return ReceiptCheck(entry=entry, ballot=ballot, answers=answers, declaration=declaration)


def verify_receipt(request: HttpRequest) -> HttpResponse:
    """/votes/verify/: is this receipt in the log, does it stand, was it counted?"""
    form = ReceiptCheckForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        code = form.cleaned_data["receipt"]
        matches = entries_matching(code)
        context.update(searched=True, code=code, short=short_receipt(code))
        if len(matches) > 1:
            context["ambiguous"] = True
        elif matches:
            check = check_entry(matches[0])
            context.update(
                check=check,
                entry=check.entry,
                ballot=check.ballot,
                declared=check.declaration is not None,
                open=check.ballot.status == BallotStatus.OPEN,
                blocked=check.ballot.status == BallotStatus.BLOCKED,
                chain=verify_chain(check.ballot) if check.declaration else None,
            )
    return render(request, "voting/verify.html", context)
