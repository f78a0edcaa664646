"""The Secretariat's ballot pages: the list with turnout, opening a vote on a proposal, one
ballot's roll, close, declaration, notices and void. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from panel.access import SECRETARIAT, allowed
from panel.errors import DomainError

from .. import selectors
from ..forms import OpenBallotForm, VoidForm
from ..models import Ballot, BallotStatus, Declaration
from ..receipts import verify_chain
from ..services import ballot_close, ballot_open_for_proposal, ballot_void, declaration_notify
from .common import me, viewer


def _ensure_staff_view(request: HttpRequest) -> None:
    """The ballot pages: the Secretariat, the Panel and the Authority (turnout, 13.4.3)."""
    if not selectors.can_see_turnout(viewer(request)):
        raise PermissionDenied("Ballots are managed by the Secretariat.")


@login_required
def ballot_list(request: HttpRequest) -> HttpResponse:
    _ensure_staff_view(request)
    ballots = Ballot.objects.select_related("declaration").order_by("-opens_at")[:200]
    rows = [(b, selectors.turnout(b)) for b in ballots]
    form = OpenBallotForm() if allowed(me(request), SECRETARIAT) else None
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
            by=me(request),
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
    show_n = selectors.can_see_confidential(viewer(request), ballot)
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
            "is_secretariat": allowed(me(request), SECRETARIAT),
            "chain": verify_chain(ballot) if ballot.status != BallotStatus.OPEN else None,
        },
    )


@login_required
@require_POST
def ballot_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ballot = get_object_or_404(Ballot, pk=pk)
    try:
        if action == "close":
            ballot = ballot_close(ballot=ballot, by=me(request))
            if ballot.tally_error:
                messages.error(request, f"Closed, but it cannot be tallied: {ballot.tally_error}")
            else:
                messages.success(request, f"Voting on {ballot.reference} is closed and declared.")
        elif action == "notify":
            declaration = get_object_or_404(Declaration, ballot=ballot)
            sent = declaration_notify(declaration=declaration, by=me(request))
            messages.success(request, f"Notice of the declaration sent to {sent} addresses.")
        elif action == "void":
            form = VoidForm(request.POST)
            ballot_void(
                ballot=ballot,
                by=me(request),
                reason=form.data.get("reason", ""),
            )
            messages.success(request, f"The vote on {ballot.reference} is marked void.")
        else:
            raise Http404("Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"/votes/ballots/{ballot.pk}/")
