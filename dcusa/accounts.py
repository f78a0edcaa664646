"""Sign-in with a second factor (TOTP, django-otp) for those who need it.

An authenticator is set up only after the one-time enrolment code the Secretariat issued
(`panel.services.enrolment_code_redeem`), never with the password alone.

Confirming an authenticator and verifying a code are audited in the same transaction.
"""

from __future__ import annotations

import base64
import io
from typing import cast

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.audit import PanelAction, audit_record
from panel.errors import DomainError
from panel.models import User
from panel.services import enrolment_code_redeem


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is six digits.")
        return token


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def second_factor_verify(*, user: User, device: TOTPDevice) -> None:
    """Record a verified code; a device's first verified code confirms it (set up)."""
    with transaction.atomic():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(actor=user, action=PanelAction.USER_SECOND_FACTOR_SET_UP, target=user)
        audit_record(actor=user, action=PanelAction.USER_SECOND_FACTOR_VERIFIED, target=user)


ENROLLING = "dcusa_enrolling_device"  # session: the device a redeemed code lets this user set up


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Enrolment code from the Secretariat",
        max_length=32,
        help_text="Twelve letters and digits, like ABCD-EFGH-JKLM. Ask the Secretariat if you "
        "have none.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


def _enrolling_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    pk = request.session.get(ENROLLING)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()


def _enrol_with_code(request: HttpRequest, user: User) -> HttpResponse:
    """No authenticator yet: the user first enters the one-time code the Secretariat issued."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Its own transaction: a refused code stays counted towards the wait.
            enrolment_code_redeem(user=user, code=form.cleaned_data["code"])
        except DomainError as refusal:
            form.add_error("code", refusal.message)
        else:
            with transaction.atomic():
                # A key shown before the code (or to someone else) is never the one confirmed.
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
            request.session[ENROLLING] = device.pk
            return redirect(f"{request.path}?{urlencode({'next': _safe_next(request)})}")
    context = {"code_form": form, "next": _safe_next(request)}
    return render(request, "registration/two_factor.html", context)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter the TOTP code; with no authenticator yet, enter the Secretariat's enrolment code,
    then set one up: never with the password alone."""
    user = cast(User, request.user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = _enrolling_device(request, user)
        if device is None:
            return _enrol_with_code(request, user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed and why and why.get("locked_until"):
            wait = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
            form.add_error("token", f"Too many wrong codes: wait {wait} seconds, then retry.")
        elif device.verify_token(form.cleaned_data["token"]):
            second_factor_verify(user=user, device=device)
            request.session.pop(ENROLLING, None)
            otp_login(request, device)
            messages.success(request, "Second factor verified.")
            return redirect(_safe_next(request))
        else:
            form.add_error(
                "token", "That code is not valid now; check your device's clock and retry."
            )
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request)}
    if setting_up:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg"] = _qr_svg(device.config_url)
    return render(request, "registration/two_factor.html", context)
