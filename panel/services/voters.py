"""A Party's authorised voters (12.4.5): the Party nominates and removes them, the Secretariat
confirms them and issues the one-time code with which a voter enrols a second factor.

The Party acts through its contract manager (its representative with `manages_voters`, set by
the Secretariat) or a representative the manager designates. Nominations are dated by the
system's clock. A code is shown once and only its hash is kept; it is used at most once.
"""

from __future__ import annotations

from django.conf import settings
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
from ..models import EnrolmentCode, Party, PartyRepresentative, Role, Suspension, User
from .common import audited_save, ensure_secretariat

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
