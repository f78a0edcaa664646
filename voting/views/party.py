"""The Party's pages: its open ballots with deadlines and receipts, and the standard voting form
(12.4.4). Thin: a selector, the one casting service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from panel.errors import DomainError

from .. import selectors
from ..forms import VoteForm
from ..models import Ballot, Vote, VoteLogEntry
from ..receipts_code import short_receipt
from ..services import vote_cast
from .common import me, verified


@login_required
def my_votes(request: HttpRequest) -> HttpResponse:
    """/my/votes/: open ballots for my Groups with deadlines, and past votes with receipts."""
    open_items = []
    for ballot, entries in selectors.open_ballots_for_voter(me(request)):
        rows = []
        for entry in entries:
            live = list(
                Vote.objects.filter(roll_entry=entry, superseded_at=None)
                .select_related("question", "log_entry")
                .order_by("question__position")
            )
            rows.append({"entry": entry, "votes": live})
        open_items.append({"ballot": ballot, "groups": rows})
    past = selectors.past_ballots_for_voter(me(request))
    receipts = (
        VoteLogEntry.objects.filter(payload__cast_by=request.user.pk)
        .select_related("ballot")
        .order_by("-recorded_at")[:50]
    )
    return render(
        request,
        "voting/my_votes.html",
        {"open_items": open_items, "past": past, "receipts": receipts, "now": timezone.now()},
    )


NOT_A_VOTER = (
    "You are not a confirmed authorised voter of any Group on the roll of {reference} (12.4.5): "
    "a Party nominates its authorised voters and the Secretariat confirms them. Your vote cannot "
    "be recorded."
)


@login_required
def my_vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """/my/votes/<ballot>/: the standard form; a later vote replaces the earlier one."""
    ballot = get_object_or_404(Ballot, pk=pk)
    groups = list(selectors.voter_roll_entries(me(request), ballot))
    if not groups:
        # A page that says why, naming the rule, not a bare 403 Forbidden.
        refusal = NOT_A_VOTER.format(reference=ballot.reference)
        context = {"ballot": ballot, "refusal": refusal, "rule": "12.4.5"}
        return render(request, "voting/cast.html", context, status=403)
    questions = list(ballot.questions.order_by("position"))
    wanted = request.GET.get("group")
    initial_group = next((g for g in groups if str(g.pk) == wanted), groups[0])
    form = VoteForm(
        request.POST or None,
        questions=questions,
        groups=groups,
        initial={"group": initial_group.pk},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("group") or groups[0].pk  # one Group: no choice to make
        group = next(g for g in groups if g.pk == chosen)
        try:
            result = vote_cast(
                ballot=ballot,
                roll_entry=group,
                by=me(request),
                answers=form.answers(),
                reason=form.cleaned_data["reason"],
                second_factor=verified(request),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            word = "changed" if result.changed else "recorded"
            messages.success(
                request,
                f"Your vote for {group.group_name} on {ballot.reference} was {word}. "
                f"Receipt code: {short_receipt(result.receipt)}",
            )
            return redirect(f"/my/votes/{ballot.pk}/?group={group.pk}&receipt={result.receipt}")
    current = {
        g.pk: list(
            Vote.objects.filter(roll_entry=g, superseded_at=None)
            .select_related("question", "log_entry")
            .order_by("question__position")
        )
        for g in groups
    }
    return render(
        request,
        "voting/cast.html",
        {
            "ballot": ballot,
            "form": form,
            "groups": groups,
            "current": [(g, current[g.pk]) for g in groups],
            "accepting": ballot.is_accepting(timezone.now()),
            "receipt": request.GET.get("receipt", ""),
        },
    )
