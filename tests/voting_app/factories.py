"""Voting helpers on top of the shared register factories (tests/factories.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import CorporateGroup, MeteringSnapshot, Party, PartyRepresentative, Role, User
from tests.factories import (
    START,
    AffiliationFactory,
    CorporateGroupFactory,
    PartyCategoryMembershipFactory,
    PartyFactory,
    SuspensionFactory,
    UserFactory,
    login_verified,
    make_secretariat,
)

__all__ = [
    "START",
    "CorporateGroupFactory",
    "PartyFactory",
    "UserFactory",
    "login_verified",
    "make_secretariat",
]
PASSWORD = "a-long-secret-passphrase-42"


def member(
    category: str,
    *,
    party: Party | None = None,
    group: CorporateGroup | None = None,
    idno_otso: str = "",
    points: int | None = None,
    received_on: dt.date = dt.date(2026, 1, 15),
    **party_fields: object,
) -> Party:
    """A Party in a category (optionally in a corporate group, with an N snapshot)."""
    party = party or PartyFactory(**party_fields)
    extra = {"idno_otso": idno_otso} if idno_otso else {}
    PartyCategoryMembershipFactory(party=party, category=category, **extra)
    if group is not None and not party.affiliations.exists():
        AffiliationFactory(party=party, corporate_group=group)
    if points is not None:
        snapshot(party, category, points, received_on)
    return party


def snapshot(party: Party, category: str, points: int, received_on: dt.date) -> MeteringSnapshot:
    return MeteringSnapshot.objects.create(
        party=party,
        category=category,
        metering_points=points,
        as_of=received_on,
        received_on=received_on,
        source="test",
    )


def suspend(party: Party, since: dt.date = START) -> None:
    SuspensionFactory(party=party, valid_from=since)


def voter_for(
    party: Party, *, confirmed: bool = True, authorised: bool = True, **kw: object
) -> User:
    """A representative nominated (and confirmed) as an authorised voter of `party`."""
    user = UserFactory(role=Role.PARTY_REPRESENTATIVE, **kw)
    user.set_password(PASSWORD)
    user.save()
    PartyRepresentative.objects.create(
        user=user,
        party=party,
        authorised_voter=authorised,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return user


def with_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def staff(role: str, **kw: object) -> User:
    return UserFactory(role=role, **kw)
