"""Pages of the voting system: the Party's votes, the Secretariat's ballots, publication (13.4.3),
and receipt verification. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import csv
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from panel.errors import DomainError
from panel.models import User

from . import selectors
from .forms import OpenBallotForm, ReceiptForm, VoidForm, VoteForm
from .models import Ballot, BallotStatus, Declaration, Vote, VoteLogEntry
from .receipts import normalise_receipt, verify_chain
from .services import (
    ballot_close,
    ballot_open_for_proposal,
    ballot_void,
    declaration_notify,
    vote_cast,
)


def _me(request: HttpRequest) -> User:
    """The signed-in user (views that need one are behind login_required)."""
    return cast(User, request.user)


def _viewer(request: HttpRequest) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def _vote_url(reference: str, suffix: str = "vote/") -> str:
    return f"/changes/{quote(reference)}/{suffix}"


# -- publication ----------------------------------------------------------------------------


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
    data = selectors.publication(found, _viewer(request))
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
    return JsonResponse(selectors.publication(found, _viewer(request)))


def vote_page_csv(request: HttpRequest, reference: str) -> HttpResponse:
    """One row per Group that voted, after the declaration; no N or weights, ever."""
    found = _ballot_or_404(request, reference, "vote.csv")
    if isinstance(found, HttpResponse):
        return found
    data = selectors.publication(found, None)
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


# -- the Party's votes ----------------------------------------------------------------------


@login_required
def my_votes(request: HttpRequest) -> HttpResponse:
    """/my/votes/: open ballots for my Groups with deadlines, and past votes with receipts."""
    open_items = []
    for ballot, entries in selectors.open_ballots_for_voter(_me(request)):
        rows = []
        for entry in entries:
            live = list(
                Vote.objects.filter(roll_entry=entry, superseded_at=None)
                .select_related("question", "log_entry")
                .order_by("question__position")
            )
            rows.append({"entry": entry, "votes": live})
        open_items.append({"ballot": ballot, "groups": rows})
    past = selectors.past_ballots_for_voter(_me(request))
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


@login_required
def my_vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """/my/votes/<ballot>/: the standard form; a later vote replaces the earlier one."""
    ballot = get_object_or_404(Ballot, pk=pk)
    groups = list(selectors.voter_roll_entries(_me(request), ballot))
    if not groups:
        raise PermissionDenied("You are not an authorised voter of any Group on this vote.")
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
        group_id = form.cleaned_data.get("group", groups[0].pk)
        group = next((g for g in groups if g.pk == group_id), None)
        if group is None:
            raise PermissionDenied("You cannot vote for that Group.")
        try:
            result = vote_cast(
                ballot=ballot,
                roll_entry=group,
                by=_me(request),
                answers=form.answers(),
                reason=form.cleaned_data["reason"],
                second_factor=_verified(request),
            )
        except DomainError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None,
                exc.message,
            )
        else:
            word = "changed" if result.changed else "recorded"
            messages.success(
                request,
                f"Your vote for {group.group_name} on {ballot.reference} was {word}. "
                f"Receipt code: {result.receipt}",
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


# -- the Secretariat ------------------------------------------------------------------------


def _ensure_staff_view(request: HttpRequest) -> None:
    if not selectors.can_see_turnout(_viewer(request)):
        raise PermissionDenied("Ballots are managed by the Secretariat.")


@login_required
def ballot_list(request: HttpRequest) -> HttpResponse:
    _ensure_staff_view(request)
    ballots = Ballot.objects.select_related("declaration").order_by("-opens_at")[:200]
    rows = [(b, selectors.turnout(b)) for b in ballots]
    form = OpenBallotForm() if _me(request).is_secretariat else None
    return render(request, "voting/ballot_list.html", {"rows": rows, "form": form})


@login_required
@require_POST
def ballot_open_view(request: HttpRequest) -> HttpResponse:
    form = OpenBallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a proposal awaiting its vote: " + form.errors.as_text())
        return redirect("/votes/ballots/")
    try:
        ballot = ballot_open_for_proposal(
            proposal=form.cleaned_data["proposal"],
            by=_me(request),
            closes_at=form.cleaned_data.get("closes_at"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("/votes/ballots/")
    messages.success(request, f"Voting on {ballot.reference} is open.")
    return redirect(f"/votes/ballots/{ballot.pk}/")


@login_required
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Roll, turnout, close, declaration, notices and void for one ballot."""
    _ensure_staff_view(request)
    ballot = get_object_or_404(Ballot, pk=pk)
    roll = list(ballot.roll.prefetch_related("members__party").order_by("category", "group_name"))
    show_n = selectors.can_see_confidential(_viewer(request), ballot)
    return render(
        request,
        "voting/ballot_detail.html",
        {
            "ballot": ballot,
            "roll": roll,
            "show_n": show_n,
            "turnout": selectors.turnout(ballot),
            "declaration": Declaration.objects.filter(ballot=ballot).first(),
            "void_form": VoidForm(),
            "is_secretariat": _me(request).is_secretariat,
            "chain": verify_chain(ballot) if ballot.status != BallotStatus.OPEN else None,
        },
    )


@login_required
@require_POST
def ballot_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ballot = get_object_or_404(Ballot, pk=pk)
    try:
        if action == "close":
            ballot = ballot_close(ballot=ballot, by=_me(request))
            if ballot.tally_error:
                messages.error(request, f"Closed, but it cannot be tallied: {ballot.tally_error}")
            else:
                messages.success(request, f"Voting on {ballot.reference} is closed and declared.")
        elif action == "notify":
            declaration = get_object_or_404(Declaration, ballot=ballot)
            sent = declaration_notify(declaration=declaration, by=_me(request))
            messages.success(request, f"Notice of the declaration sent to {sent} addresses.")
        elif action == "void":
            form = VoidForm(request.POST)
            ballot_void(
                ballot=ballot,
                by=_me(request),
                reason=form.data.get("reason", ""),
            )
            messages.success(request, f"The vote on {ballot.reference} is marked void.")
        else:
            raise Http404("Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"/votes/ballots/{ballot.pk}/")
