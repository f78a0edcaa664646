"""The Secretariat's ballot pages: the list with turnout, opening a vote on a proposal, one
ballot's roll, close, declaration, notices and void. Thin: parse, call a service, render.

Closing a vote whose closing time has passed and voiding a vote each ask first: a GET shows the
confirmation page with the reason to give, its POST (with `confirm`) calls the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from panel.access import SECRETARIAT, allowed
from panel.errors import DomainError

from .. import selectors
from ..forms import OpenBallotForm
from ..models import Ballot, BallotKind, BallotStatus, Declaration
from ..receipts import verify_chain
from ..services import (
    NotDeclared,
    ballot_close,
    ballot_open_for_proposal,
    ballot_void,
    declaration_notify,
)
from ..services.notices import notice_bodies_missing
from .common import me, viewer

# The steps that ask "Are you sure?" first: the page, its title and the clause.
CONFIRMED = {
    "close": ("voting/confirm_close.html", "12.4.1, 13.4"),
    "void": ("voting/confirm_void.html", "13.11A"),
}


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
            window_direction=request.POST.get("window_direction", ""),
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
            "is_secretariat": allowed(me(request), SECRETARIAT),
            "closing_time_passed": timezone.now() >= ballot.closes_at,
            "notices_missing": (
                notice_bodies_missing() if ballot.kind == BallotKind.PARTY_VOTE else []
            ),
            "chain": verify_chain(ballot) if ballot.status != BallotStatus.OPEN else None,
        },
    )


def _confirm_page(
    request: HttpRequest, ballot: Ballot, action: str, error: DomainError | None = None
) -> HttpResponse:
    """'Are you sure?': what the step does, the reason to give, and the button."""
    _ensure_staff_view(request)
    template, clause = CONFIRMED[action]
    return render(
        request,
        template,
        {
            "ballot": ballot,
            "clause": clause,
            "reason": request.POST.get("reason", "") if error else "",
            "error": error.message if error else "",
            "closing_time_passed": timezone.now() >= ballot.closes_at,
        },
        status=400 if error else 200,
    )


def _close(request: HttpRequest, ballot: Ballot, reason: str) -> None:
    ballot = ballot_close(ballot=ballot, by=me(request), reason=reason)
    if ballot.tally_error:
        messages.error(request, f"Closed, but it cannot be tallied: {ballot.tally_error}")
    else:
        messages.success(request, f"Voting on {ballot.reference} is closed and declared.")


def _void(request: HttpRequest, ballot: Ballot, reason: str) -> None:
    ballot_void(ballot=ballot, by=me(request), reason=reason)
    messages.success(request, f"The vote on {ballot.reference} is marked void.")


@login_required
@require_http_methods(["GET", "POST"])
def ballot_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    ballot = get_object_or_404(Ballot, pk=pk)
    if action in CONFIRMED:
        if request.method == "GET":
            return _confirm_page(request, ballot, action)
        if not request.POST.get("confirm"):  # a bare POST is taken to the question first
            return redirect(f"/votes/ballots/{ballot.pk}/{action}/")
        try:
            (_close if action == "close" else _void)(
                request, ballot, request.POST.get("reason", "")
            )
        except NotDeclared as exc:  # closed, but the proposal cannot move on: said on the page
            messages.error(request, exc.message)
        except DomainError as exc:
            return _confirm_page(request, ballot, action, exc)
        return redirect(f"/votes/ballots/{ballot.pk}/")
    if request.method != "POST":
        raise Http404("Unknown page.")
    try:
        if action == "notify":
            declaration = get_object_or_404(Declaration, ballot=ballot)
            sent = declaration_notify(declaration=declaration, by=me(request))
            messages.success(request, f"Notice of the declaration sent to {sent} addresses.")
        else:
            raise Http404("Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"/votes/ballots/{ballot.pk}/")
