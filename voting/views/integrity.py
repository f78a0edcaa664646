"""The Secretariat's page for a ballot whose log and current votes disagree: the entries at fault,
every check, and the recorded decision that resolves a blocked ballot. Thin: parse, call, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from panel.access import SECRETARIAT, SECRETARIAT_OR_AUTHORITY, allowed
from panel.errors import DomainError

from ..models import Ballot, BallotCheck, BallotStatus, FaultDecision, FaultOutcome
from ..services.faults import ballot_fault_decide
from .common import me


class FaultDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", choices=FaultOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why; it is kept with the decision and the faults it answers.",
    )


@login_required
def ballot_faults(request: HttpRequest, pk: int) -> HttpResponse:
    """/votes/ballots/<pk>/faults/: the Secretariat (and the Authority, to read) sees the faults;
    only the Secretariat decides."""
    if not allowed(me(request), SECRETARIAT_OR_AUTHORITY):
        raise PermissionDenied("The faults of a vote are for the Secretariat and the Authority.")
    ballot = get_object_or_404(Ballot, pk=pk)
    may_decide = allowed(me(request), SECRETARIAT) and ballot.status == BallotStatus.BLOCKED
    may_decide = may_decide and ballot.voided_at is None
    form = FaultDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied("Only the Secretariat decides, on a vote that is blocked.")
        if form.is_valid():
            try:
                ballot_fault_decide(
                    ballot=ballot,
                    by=me(request),
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Your decision on {ballot.reference} is recorded.")
                return redirect(f"/votes/ballots/{ballot.pk}/faults/")
    checks = list(BallotCheck.objects.filter(ballot=ballot).order_by("-checked_at", "-pk")[:50])
    failed = next((c for c in checks if not c.ok), None)
    return render(
        request,
        "voting/ballot_faults.html",
        {
            "ballot": ballot,
            "faults": ballot.faults or (failed.faults if failed else []),
            "checks": checks,
            "decisions": FaultDecision.objects.filter(ballot=ballot).select_related("decided_by"),
            "form": form if may_decide else None,
        },
        status=400 if request.method == "POST" else 200,
    )
