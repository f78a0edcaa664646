"""Shared factories for the register (factory-boy). Import these from any app's tests.

Dates default to a register that has existed since 2020-01-01 with no end, so a Party made
with defaults holds its category on any recent day. Pass dates to test edges.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import (
    Affiliation,
    Category,
    CorporateGroup,
    CvaSite,
    IdnoOtso,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    Role,
    Suspension,
    User,
)

START = dt.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    """A user in a role: UserFactory(role=Role.AUTHORITY). No usable password: use force_login."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda i: f"user{i}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.PUBLIC
    organisation = ""
    password = factory.LazyFunction(lambda: make_password(None))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda i: f"Party {i} Limited")
    short_code = factory.Sequence(lambda i: f"P{i:04d}")
    company_number = factory.Sequence(lambda i: f"{10000000 + i}")
    registered_address = "1 Registered Street, London"
    notice_address = "1 Notice Street, London"
    notice_email = factory.LazyAttribute(lambda p: f"notices@{p.short_code.lower()}.example")
    contract_manager = "Contract Manager"
    accession_date = START


class PartyCategoryMembershipFactory(factory.django.DjangoModelFactory):
    """PartyCategoryMembershipFactory(category=Category.IDNO_OTSO) records IDNO by default."""

    class Meta:
        model = PartyCategoryMembership

    party = factory.SubFactory(PartyFactory)
    category = Category.SUPPLIER
    idno_otso = factory.LazyAttribute(
        lambda m: IdnoOtso.IDNO if m.category == Category.IDNO_OTSO else ""
    )
    valid_from = START
    valid_to = None


MembershipFactory = PartyCategoryMembershipFactory


class CorporateGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorporateGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda i: f"Holding Group {i}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    corporate_group = factory.SubFactory(CorporateGroupFactory)
    party = factory.SubFactory(PartyFactory)
    valid_from = START
    valid_to = None


class MeteringSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeteringSnapshot

    party = factory.SubFactory(PartyFactory)
    category = Category.SUPPLIER
    metering_points = 1000
    as_of = dt.date(2025, 12, 31)
    received_on = dt.date(2026, 1, 15)
    source = "factory"


SnapshotFactory = MeteringSnapshotFactory


class CvaSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CvaSite

    party = factory.SubFactory(PartyFactory)
    site_name = factory.Sequence(lambda i: f"Site {i}")
    maximum_export_capacity_kw = 1000
    maximum_import_capacity_kw = 500
    valid_from = START
    valid_to = None


class SuspensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suspension

    party = factory.SubFactory(PartyFactory)
    valid_from = dt.date(2026, 1, 1)
    valid_to = None
    panel_resolution = "Panel 2026-01 R1"
    reason = "Event of Default (54.3)"


class PartyRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyRepresentative

    user = factory.SubFactory(UserFactory, role=Role.PARTY_REPRESENTATIVE)
    party = factory.SubFactory(PartyFactory)
    authorised_voter = False


def party_in(
    category: str,
    *,
    group: CorporateGroup | None = None,
    valid_from: dt.date = START,
    **party_fields: Any,
) -> Party:
    """A Party holding one category (and in a corporate group if given) since `valid_from`."""
    party = PartyFactory(**party_fields)
    PartyCategoryMembershipFactory(party=party, category=category, valid_from=valid_from)
    if group is not None:
        AffiliationFactory(party=party, corporate_group=group, valid_from=valid_from)
    return party


def make_secretariat(username: str = "secretariat", **fields: Any) -> User:
    """A Secretariat user with admin access (is_staff); needs a second factor on the site."""
    return UserFactory(username=username, role=Role.SECRETARIAT, is_staff=True, **fields)


def make_representative(
    party: Party, *, authorised_voter: bool = False, **user_fields: Any
) -> User:
    """A Party representative user linked to `party`."""
    user = UserFactory(role=Role.PARTY_REPRESENTATIVE, **user_fields)
    PartyRepresentativeFactory(user=user, party=party, authorised_voter=authorised_voter)
    return user


def login_verified(client: Client, user: User) -> Client:
    """Sign in as `user` with a confirmed TOTP device, as if the code had been entered."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
