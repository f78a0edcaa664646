"""A Party nominates and removes its authorised voters (12.4.5); the Secretariat confirms them and
issues the one-time code with which a voter enrols a second factor.

Thin views: each parses its form, calls one service in `panel.services` and shows its
refusal next to the field it names, or as a message beside the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import access, services
from ..errors import DomainError
from ..models import EnrolmentCode, Party, PartyRepresentative, User

SECRETARIAT_DOING = "confirm authorised voters and issue enrolment codes (12.4.5)"


class InviteForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We e-mail them a link to choose a password.",
    )


class RemoveForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, remove this authorised voter now",
        error_messages={"required": "Tick the box to confirm the removal, or cancel."},
    )


class CodeForm(forms.Form):
    valid_days = forms.IntegerField(
        label="Valid for (days)",
        initial=7,
        min_value=1,
        max_value=30,
        help_text="Between 1 and 30 days; 7 unless there is a reason.",
        error_messages={
            "min_value": "A code is valid for at least 1 day.",
            "max_value": "A code is valid for at most 30 days.",
            "invalid": "Enter a whole number of days, from 1 to 30.",
            "required": "Enter how many days the code is valid for, from 1 to 30.",
        },
    )


def _refuse(party: Party) -> PermissionDenied:
    return PermissionDenied(
        f"Only {party.name}'s contract manager, or the representative it designates, may see "
        f"and change its authorised voters (12.4.5), and the Secretariat. If you should, ask "
        "the Secretariat to record you as the Party's contract manager."
    )


def _party_for(request: HttpRequest, short_code: str) -> tuple[Party, bool, bool]:
    """The Party, whether the user manages its voters and whether the user is the Secretariat;
    refuses everyone else."""
    party = get_object_or_404(Party, short_code=short_code)
    manager = services.manages_voters(cast(User, request.user), party)
    secretariat = access.allowed(request.user, access.SECRETARIAT)
    if not manager and not secretariat:
        raise _refuse(party)
    return party, manager, secretariat


def _said(request: HttpRequest, refusal: DomainError) -> None:
    messages.error(request, refusal.message)


def _links(party: Party) -> list[PartyRepresentative]:
    return list(
        PartyRepresentative.objects.filter(party=party)
        .select_related("user", "nominated_by", "confirmed_by")
        .order_by("-authorised_voter", "user__last_name", "user__first_name", "user__username")
    )


def _page(
    request: HttpRequest, party: Party, manager: bool, secretariat: bool, invite: InviteForm
) -> HttpResponse:
    links = _links(party)
    context = {
        "party": party,
        "manager": manager,
        "secretariat": secretariat,
        "voters": [link for link in links if link.authorised_voter],
        "others": [link for link in links if not link.authorised_voter],
        "invite": invite,
    }
    return render(request, "panel/voters/party_voters.html", context)


@login_required
def party_voters(request: HttpRequest, short_code: str) -> HttpResponse:
    """The Party's representatives and authorised voters; the manager nominates, invites and
    designates; the Secretariat confirms."""
    party, manager, secretariat = _party_for(request, short_code)
    user = cast(User, request.user)
    invite = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method != "POST":
        return _page(request, party, manager, secretariat, invite)
    action = request.POST.get("action", "")
    if action == "invite":
        if invite.is_valid():
            try:
                link = services.authorised_voter_nominate(
                    by=user, party=party, **invite.cleaned_data
                )
            except DomainError as refusal:
                invite.add_error(
                    refusal.field if refusal.field in invite.fields else None, refusal.message
                )
            else:
                messages.success(
                    request,
                    f"{link.user.get_full_name()} is invited and nominated; they get an e-mail to "
                    "choose a password, and the Secretariat confirms the nomination.",
                )
                return redirect(request.path)
        return _page(request, party, manager, secretariat, invite)
    link = get_object_or_404(PartyRepresentative, pk=request.POST.get("link") or 0, party=party)
    try:
        done = _act(action, by=user, party=party, link=link)
    except DomainError as refusal:
        _said(request, refusal)
    else:
        messages.success(request, done)
    return redirect(request.path)


def _act(action: str, *, by: User, party: Party, link: PartyRepresentative) -> str:
    name = link.user.get_full_name() or link.user.username
    if action == "nominate":
        services.authorised_voter_nominate(by=by, party=party, link=link)
        return f"{name} is nominated as an authorised voter; the Secretariat confirms it."
    if action == "confirm":
        services.authorised_voter_confirm(by=by, link=link)
        return f"{name} is confirmed as an authorised voter for {party.name}."
    if action in ("designate", "undesignate"):
        services.voter_manager_designate(by=by, link=link, manages=action == "designate")
        return (
            f"{name} may now nominate and remove {party.name}'s authorised voters."
            if action == "designate"
            else f"{name} no longer manages {party.name}'s authorised voters."
        )
    raise DomainError("Choose one of the buttons on the page.", rule="unknown_action")


@login_required
def voter_remove(request: HttpRequest, short_code: str, pk: int) -> HttpResponse:
    """Confirm, then remove an authorised voter: at once, and the voter and Secretariat told."""
    party, manager, _ = _party_for(request, short_code)
    if not manager:
        raise _refuse(party)
    link = get_object_or_404(PartyRepresentative.objects.select_related("user"), pk=pk, party=party)
    form = RemoveForm(request.POST if request.method == "POST" else None)
    back = reverse("voters:party_voters", args=[party.short_code])
    if request.method == "POST" and form.is_valid():
        try:
            services.authorised_voter_remove(by=cast(User, request.user), link=link)
        except DomainError as refusal:
            _said(request, refusal)
        else:
            messages.success(
                request,
                f"{link.user.get_full_name() or link.user} is no longer an authorised voter "
                f"for {party.name}; they and the Secretariat have been told by e-mail.",
            )
        return redirect(back)
    context = {"party": party, "link": link, "form": form, "back": back}
    return render(request, "panel/voters/remove_confirm.html", context)


@access.role_required(access.SECRETARIAT, doing=SECRETARIAT_DOING)
def pending_nominations(request: HttpRequest) -> HttpResponse:
    """Nominations awaiting the Secretariat's confirmation, oldest first."""
    links = (
        PartyRepresentative.objects.filter(authorised_voter=True, confirmed_at__isnull=True)
        .select_related("user", "party", "nominated_by")
        .order_by("nominated_at", "pk")
    )
    return render(request, "panel/voters/pending.html", {"links": links})


@require_POST
@access.role_required(access.SECRETARIAT, doing=SECRETARIAT_DOING)
def nomination_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PartyRepresentative.objects.select_related("user", "party"), pk=pk)
    try:
        services.authorised_voter_confirm(by=cast(User, request.user), link=link)
    except DomainError as refusal:
        _said(request, refusal)
    else:
        messages.success(
            request,
            f"{link.user.get_full_name() or link.user} is confirmed as an authorised voter for "
            f"{link.party.name}. Issue them an enrolment code if they have no authenticator.",
        )
    return redirect("voters:pending")


@never_cache
@access.role_required(access.SECRETARIAT, doing=SECRETARIAT_DOING)
def voter_enrolment_code(request: HttpRequest, short_code: str, pk: int) -> HttpResponse:
    """Issue a one-time enrolment code to a Party's representative; the code is shown once."""
    link = get_object_or_404(
        PartyRepresentative.objects.select_related("user", "party"),
        pk=pk,
        party__short_code=short_code,
    )
    form = CodeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "link": link,
        "party": link.party,
        "form": form,
        "has_device": TOTPDevice.objects.filter(user=link.user, confirmed=True).exists(),
        "live_code": EnrolmentCode.objects.filter(
            user=link.user, used_at__isnull=True, revoked_at__isnull=True
        ).first(),
        "back": reverse("voters:party_voters", args=[link.party.short_code]),
    }
    if request.method == "POST" and form.is_valid():
        try:
            context["code"] = services.enrolment_code_issue(
                user=link.user,
                by=cast(User, request.user),
                valid_for=dt.timedelta(days=form.cleaned_data["valid_days"]),
            )
        except DomainError as refusal:
            form.add_error("valid_days" if refusal.field == "valid_for" else None, refusal.message)
        else:
            context["issued"] = EnrolmentCode.objects.filter(user=link.user).first()
            return render(request, "panel/voters/enrolment_code_issued.html", context)
    return render(request, "panel/voters/enrolment_code.html", context)
