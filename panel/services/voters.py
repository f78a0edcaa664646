"""A Party's authorised voters (12.4.5): the Party nominates and removes them, the Secretariat
confirms them and issues the one-time code with which a voter enrols a second factor.

The Party acts through its contract manager (its representative with `manages_voters`, set by
the Secretariat) or a representative the manager designates. Nominations are dated by the
system's clock. A code is shown once and only its hash is kept; it is used at most once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..access import SECRETARIAT, allowed
from ..audit import PanelAction, audit_record
from ..errors import Conflict, DomainError, NotAllowed
from ..mail import mail_send
from ..models import AuditRecord, EnrolmentCode, Party, PartyRepresentative, Role, Suspension, User
from .common import audited_save, ensure_secretariat

CODE_VALID_FOR = dt.timedelta(days=7)
CODE_VALID_AT_MOST = dt.timedelta(days=30)
CODE_VALID_AT_LEAST = dt.timedelta(hours=1)
CODE_TRIES = 5  # wrong codes in THROTTLE_WINDOW before the voter must wait
THROTTLE_WINDOW = dt.timedelta(minutes=15)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


# -- who may -------------------------------------------------------------------------------


def manages_voters(user: User | None, party: Party) -> bool:
    """True when `user` is the Party's contract manager or the representative it designated."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return PartyRepresentative.objects.filter(user=user, party=party, manages_voters=True).exists()


def ensure_voter_manager(user: User | None, party: Party, *, doing: str) -> None:
    if not manages_voters(user, party):
        raise NotAllowed(
            f"Only {party.name}'s contract manager, or the representative it designates, may "
            f"{doing} (12.4.5). Ask your contract manager, or the Secretariat to record who "
            "your contract manager is.",
            rule="party_voter_manager_only",
        )


def _ensure_party_may_nominate(party: Party) -> None:
    today = timezone.localdate()
    if not party.is_party_on(today):
        raise Conflict(
            f"{party.name} is not a Party today (its accession ended or has not begun): it "
            "cannot nominate authorised voters.",
            rule="not_a_party",
        )
    if Suspension.objects.on(today).filter(party=party).exists():
        raise Conflict(
            f"{party.name}'s election and voting rights are suspended by the Panel (54.3-54.4): "
            "it cannot nominate authorised voters until they are restored.",
            rule="suspended",
        )


def _locked(link: PartyRepresentative) -> PartyRepresentative:
    return (
        PartyRepresentative.objects.select_for_update(of=("self",))
        .select_related("user", "party")
        .get(pk=link.pk)
    )


def _tell(template: str, *, link: PartyRepresentative, by: User, **extra: object) -> None:
    context = {"party": link.party, "voter": link.user, "by": by, **extra}
    mail_send(template=f"panel/{template}", to=[link.user.email], context=context)
    mail_send(template=f"panel/{template}", to=[settings.SECRETARIAT_EMAIL], context=context)


# -- nominations ----------------------------------------------------------------------------


def authorised_voter_nominate(
    *,
    by: User,
    party: Party,
    link: PartyRepresentative | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> PartyRepresentative:
    """Nominate one of the Party's representatives (`link`), or invite a new one by name and
    e-mail, as an authorised voter; the Secretariat confirms it (12.4.5)."""
    ensure_voter_manager(by, party, doing="nominate its authorised voters")
    _ensure_party_may_nominate(party)
    with transaction.atomic():
        if link is None:
            link = _invite(
                by=by, party=party, first_name=first_name, last_name=last_name, email=email
            )
        else:
            link = _locked(link)
            if link.party_id != party.pk:
                raise DomainError(
                    f"{link.user} does not represent {party.name}.", field="link", rule="own_party"
                )
            if link.authorised_voter:
                raise Conflict(
                    f"{link.user.get_full_name() or link.user} is already nominated as an "
                    f"authorised voter for {party.name}.",
                    field="link",
                    rule="already_nominated",
                )
            if not link.user.is_active:
                raise DomainError(
                    f"{link.user}'s account is closed: ask the Secretariat to reopen it.",
                    field="link",
                    rule="active_account",
                )
        link.authorised_voter = True
        link.confirmed_at, link.confirmed_by = None, None
        link.nominated_at, link.nominated_by = timezone.now(), by
        audited_save(
            link,
            ["authorised_voter", "confirmed_at", "confirmed_by", "nominated_at", "nominated_by"],
            by=by,
            action=PanelAction.AUTHORISED_VOTER_NOMINATED,
            data={"party": party.short_code, "user": link.user.username},
        )
        _tell("voter_nominated", link=link, by=by)
    return link


def _invite(
    *, by: User, party: Party, first_name: str, last_name: str, email: str
) -> PartyRepresentative:
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip().lower()
    if not first_name:
        raise DomainError("Enter the new voter's first name.", field="first_name")
    if not last_name:
        raise DomainError("Enter the new voter's last name.", field="last_name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(
            "Enter the new voter's e-mail address, like name@example.com.", field="email"
        ) from exc
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            f"An account with {email} exists already. If that person represents {party.name}, "
            "nominate them from the list; otherwise ask the Secretariat to link the account.",
            field="email",
            rule="account_exists",
        )
    username, n = email, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{email}-{n}"
    user = User(
        username=username[:150],
        first_name=first_name[:150],
        last_name=last_name[:150],
        email=email,
        role=Role.PARTY_REPRESENTATIVE,
        organisation=party.name[:200],
    )
    user.set_unusable_password()
    user.save()
    audit_record(
        actor=by, action=PanelAction.USER_ADDED, target=user, data={"invited_for": party.short_code}
    )
    link = PartyRepresentative.objects.create(user=user, party=party)
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    mail_send(
        template="panel/voter_invited",
        to=[email],
        context={"party": party, "voter": user, "by": by, "link": settings.SITE_URL + path},
    )
    return link


def authorised_voter_remove(*, by: User, link: PartyRepresentative) -> PartyRepresentative:
    """The Party withdraws a voter's nomination; it takes effect at once: the voter can no
    longer cast, and the voter and the Secretariat are told."""
    ensure_voter_manager(by, link.party, doing="remove its authorised voters")
    with transaction.atomic():
        link = _locked(link)
        if not link.authorised_voter:
            raise Conflict(
                f"{link.user} is not an authorised voter for {link.party.name}.",
                rule="not_a_voter",
            )
        was_confirmed = link.confirmed_at is not None
        link.authorised_voter = False
        link.confirmed_at, link.confirmed_by = None, None
        link.nominated_at, link.nominated_by = None, by
        audited_save(
            link,
            ["authorised_voter", "confirmed_at", "confirmed_by", "nominated_at", "nominated_by"],
            by=by,
            action=PanelAction.AUTHORISED_VOTER_REMOVED,
            data={
                "party": link.party.short_code,
                "user": link.user.username,
                "was_confirmed": was_confirmed,
            },
        )
        if not link.user.requires_second_factor:  # an unused code no longer enrols anyone
            EnrolmentCode.objects.filter(
                user=link.user, used_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        _tell("voter_removed", link=link, by=by, removed_at=timezone.now())
    return link


def authorised_voter_confirm(*, by: User, link: PartyRepresentative) -> PartyRepresentative:
    """The Secretariat confirms a Party's nomination of an authorised voter (12.4.5)."""
    ensure_secretariat(by, doing="confirm authorised voters")
    with transaction.atomic():
        link = _locked(link)
        if not link.authorised_voter:
            raise DomainError(
                f"{link.party.name} has not nominated {link.user} as an authorised voter; "
                "the Party nominates first.",
                field="authorised_voter",
                rule="nominated_first",
            )
        if link.confirmed_at is not None:
            raise Conflict(
                f"{link.user} was already confirmed as an authorised voter for "
                f"{link.party.name} on {timezone.localtime(link.confirmed_at):%d %B %Y}.",
                field="confirmed_at",
                rule="already_confirmed",
            )
        if not link.user.is_active:
            raise DomainError(
                f"{link.user}'s account is inactive.", field="user", rule="active_account"
            )
        if not link.party.is_party_on(timezone.localdate()):
            raise Conflict(
                f"{link.party.name} is not a Party today: its voters cannot be confirmed.",
                rule="not_a_party",
            )
        link.confirmed_at = timezone.now()
        link.confirmed_by = by
        audited_save(
            link,
            ["confirmed_at", "confirmed_by"],
            by=by,
            action=PanelAction.REPRESENTATIVE_CONFIRMED,
            data={"party": link.party.short_code, "user": link.user.username},
        )
        mail_send(
            template="panel/voter_confirmed",
            to=[link.user.email],
            context={"party": link.party, "voter": link.user, "by": by},
        )
    return link


def voter_manager_designate(
    *, by: User, link: PartyRepresentative, manages: bool = True
) -> PartyRepresentative:
    """The contract manager designates another of the Party's representatives to manage its
    authorised voters (or withdraws that); the Secretariat may record either."""
    if not allowed(by, SECRETARIAT):
        ensure_voter_manager(by, link.party, doing="designate who manages its authorised voters")
        if link.user_id == by.pk and not manages:
            raise Conflict(
                "You cannot withdraw your own designation: another manager, or the Secretariat, "
                "can.",
                rule="not_self",
            )
    with transaction.atomic():
        link = _locked(link)
        if link.manages_voters == manages:
            state = "already manages" if manages else "does not manage"
            raise Conflict(
                f"{link.user} {state} {link.party.name}'s authorised voters.", rule="unchanged"
            )
        link.manages_voters = manages
        audited_save(
            link,
            ["manages_voters"],
            by=by,
            action=PanelAction.VOTER_MANAGER_DESIGNATED,
            data={"party": link.party.short_code, "user": link.user.username, "to": manages},
        )
    return link


# -- enrolment codes ------------------------------------------------------------------------


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
