"""Pages of Panel elections (6.2-6.7): the public list, and the Panel Secretary's forms.

Groups vote through the existing /my/votes/<ballot>/ page (election questions list the
candidates). Thin: parse, call a service, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from panel.access import SECRETARIAT, require
from panel.errors import DomainError, NotAllowed
from panel.models import OfficeRole, Party, User

from ..models import (
    ELECTED_CONSTITUENCIES,
    Election,
    ElectionResult,
    ElectionStatus,
    Nomination,
)
from ..services.election_results import election_count, election_results_publish
from ..services.elections import (
    candidates_publish,
    election_create,
    election_open_ballot,
    nomination_submit,
)


class ElectionForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    category = forms.ChoiceField(choices=[(c.value, c.label) for c in ELECTED_CONSTITUENCIES])
    role = forms.ChoiceField(choices=OfficeRole.choices)


class NominationForm(forms.Form):
    person: Any = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        label="Candidate",
    )
    nominated_by: Any = forms.ModelChoiceField(
        queryset=Party.objects.order_by("name"), label="Put forward through (Party)"
    )
    employer: Any = forms.ModelChoiceField(
        queryset=Party.objects.order_by("name"), required=False, label="Employer (a Party)"
    )
    employer_name = forms.CharField(
        required=False, max_length=200, label="Or employer name (not a Party)"
    )
    received_on = forms.DateField(required=False, help_text="Default: today. Format 2026-10-06.")


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _ensure_secretariat(request: HttpRequest) -> None:
    try:
        require(request.user, SECRETARIAT, doing="run Panel elections", rule="6.2")
    except NotAllowed as refusal:
        raise PermissionDenied(refusal.message) from None


def _with_people() -> Any:
    return Election.objects.prefetch_related(
        Prefetch("nominations", queryset=Nomination.objects.select_related("person", "employer")),
        Prefetch(
            "results",
            queryset=ElectionResult.objects.select_related(
                "nomination__person", "nomination__employer"
            ).order_by("position"),
        ),
        "rounds__ballot",
    )


def election_list(request: HttpRequest) -> HttpResponse:
    """/elections/: every election, its candidates once notified and its published result."""
    return render(
        request,
        "voting/elections/list.html",
        {
            "elections": _with_people().order_by("-year", "category", "role"),
            "hidden": ElectionStatus.NOMINATIONS,
            "published": ElectionStatus.PUBLISHED,
        },
    )


@login_required
def election_manage(request: HttpRequest) -> HttpResponse:
    """/elections/manage/: set up the year's elections."""
    _ensure_secretariat(request)
    form = ElectionForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            election = election_create(by=_me(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{election} set up; {election.seats} office(s).")
            return redirect(f"/elections/{election.pk}/")
    return render(
        request,
        "voting/elections/manage.html",
        {"form": form, "elections": Election.objects.order_by("-year", "category", "role")},
    )


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/elections/<pk>/: nominations, notice, ballot, count and publication."""
    _ensure_secretariat(request)
    election = get_object_or_404(_with_people(), pk=pk)
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = nomination_submit(by=_me(request), election=election, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Nomination of {nomination} recorded.")
            return redirect(f"/elections/{election.pk}/")
    return render(
        request,
        "voting/elections/detail.html",
        {"election": election, "form": form, "statuses": ElectionStatus},
    )


ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "publish-candidates": (candidates_publish, "Candidates notified."),
    "open-ballot": (election_open_ballot, "Voting is open."),
    "count": (election_count, "Counted."),
    "publish-results": (election_results_publish, "Result published; appointments recorded."),
}


@login_required
@require_POST
def election_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _ensure_secretariat(request)
    election = get_object_or_404(Election, pk=pk)
    if action not in ACTIONS:
        raise Http404("Unknown action.")
    service, done = ACTIONS[action]
    try:
        service(by=_me(request), election=election)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        election.refresh_from_db()
        if action == "count" and election.status == ElectionStatus.VOTING:
            done = "Tie for the last office(s): a run-off among the tied candidates is open."
        messages.success(request, done)
    return redirect(f"/elections/{election.pk}/")
