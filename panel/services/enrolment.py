"""One-time enrolment codes (panel.models.EnrolmentCode): the Secretariat issues a code with
which a user enrols a second factor, never with the password alone; the code is kept hashed,
works once, lapses, and wrong tries are throttled."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from ..audit import PanelAction, audit_record
from ..errors import DomainError, NotAllowed
from ..mail import mail_send
from ..models import AuditRecord, EnrolmentCode, User
from .common import ensure_secretariat

CODE_VALID_FOR = dt.timedelta(days=7)
CODE_VALID_AT_MOST = dt.timedelta(days=30)
CODE_VALID_AT_LEAST = dt.timedelta(hours=1)
CODE_TRIES = 5  # wrong codes in THROTTLE_WINDOW before the voter must wait
THROTTLE_WINDOW = dt.timedelta(minutes=15)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _normal(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def enrolment_code_issue(*, user: User, by: User, valid_for: dt.timedelta = CODE_VALID_FOR) -> str:
    """Issue a one-time code with which `user` enrols a second factor; returns the code once
    (give it to the user by another channel than their e-mail). Earlier unused codes lapse."""
    ensure_secretariat(by, doing="issue enrolment codes")
    if not CODE_VALID_AT_LEAST <= valid_for <= CODE_VALID_AT_MOST:
        raise DomainError(
            "An enrolment code is valid for between one hour and 30 days.",
            field="valid_for",
            rule="code_validity_bounded",
        )
    if not user.is_active:
        raise DomainError(
            f"{user}'s account is closed: reopen it first.", field="user", rule="active_account"
        )
    plain = _new_code()
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        lapsed = EnrolmentCode.objects.filter(
            user=user, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        code = EnrolmentCode.objects.create(
            user=user,
            code_hash=make_password(plain),
            issued_by=by,
            issued_at=now,
            expires_at=now + valid_for,
        )
        audit_record(
            actor=by,
            action=PanelAction.ENROLMENT_CODE_ISSUED,
            target=user,
            data={"code": code.pk, "expires_at": str(code.expires_at), "revoked": lapsed},
        )
        mail_send(
            template="panel/voter_enrolment_code",
            to=[user.email],
            context={"voter": user, "expires": _when(code.expires_at)},
        )
    return plain


def _refusals_since(user: User, since: dt.datetime) -> list[dt.datetime]:
    return list(
        AuditRecord.objects.filter(
            action=PanelAction.ENROLMENT_CODE_REFUSED.value,
            target_type=User._meta.label,
            target_id=str(user.pk),
            at__gte=since,
        )
        .order_by("at")
        .values_list("at", flat=True)
    )


def _why_not(user: User, plain: str, now: dt.datetime) -> str:
    """Which of the user's recent codes this was, to say why it does not work."""
    for code in EnrolmentCode.objects.filter(user=user)[:5]:
        if not check_password(plain, code.code_hash):
            continue
        if code.used_at is not None:
            return (
                f"That code was used at {_when(code.used_at)}; each code works once. Ask the "
                "Secretariat for a new one."
            )
        if code.revoked_at is not None:
            return "That code was replaced by a newer one: use the latest code the Secretariat gave you."
        if code.expires_at <= now:
            return (
                f"That code expired at {_when(code.expires_at)}. Ask the Secretariat for a new one."
            )
    return "That is not the enrolment code the Secretariat gave you: check it and retry."


def enrolment_code_redeem(*, user: User, code: str) -> EnrolmentCode:
    """Use `user`'s valid code (marked used at once); a wrong, expired or used code is refused
    and counted: after CODE_TRIES wrong codes in THROTTLE_WINDOW the user must wait."""
    now = timezone.now()
    tries = _refusals_since(user, now - THROTTLE_WINDOW)
    if len(tries) >= CODE_TRIES:
        wait = tries[-CODE_TRIES] + THROTTLE_WINDOW - now
        minutes = max(1, int(wait.total_seconds() // 60) + 1)
        raise NotAllowed(
            f"Too many wrong enrolment codes: wait {minutes} minute(s), then retry.",
            field="code",
            rule="code_throttled",
        )
    plain = _normal(code)
    with transaction.atomic():
        live = EnrolmentCode.objects.select_for_update().filter(
            user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        for candidate in live:
            if check_password(plain, candidate.code_hash):
                candidate.used_at = now
                candidate.save(update_fields=["used_at"])
                audit_record(
                    actor=user,
                    action=PanelAction.ENROLMENT_CODE_USED,
                    target=user,
                    data={"code": candidate.pk},
                )
                return candidate
    why = _why_not(user, plain, now)
    with transaction.atomic():
        audit_record(actor=user, action=PanelAction.ENROLMENT_CODE_REFUSED, target=user)
    raise DomainError(why, field="code", rule="enrolment_code")
