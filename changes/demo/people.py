"""The demo's people: the Secretariat, the Authority and two Party representatives in standing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from panel.models import Category, Party, PartyCategoryMembership, PartyRepresentative, Role, User

from ..services import party_standing_problem


def demo_user(username: str, role: str, **extra: Any) -> User:
    user = User.objects.filter(role=role).order_by("pk").first()
    if role == Role.SECRETARIAT:
        user = user or User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "email": f"{username}@dcusa-demo.example", **extra},
        )
    return user


def parties_and_representatives() -> tuple[Party, User, Party, User]:
    today = timezone.localdate()
    links = [
        link
        for link in PartyRepresentative.objects.select_related("party", "user")
        .filter(
            party__is_crowded_meter_room_coordinator=False, user__role=Role.PARTY_REPRESENTATIVE
        )
        .order_by("pk")
        if not party_standing_problem(link.party, today)
    ][:2]
    if len(links) < 2:
        for code, name in (("DEMA", "Demo Energy A"), ("DEMB", "Demo Energy B")):
            party, _ = Party.objects.get_or_create(
                short_code=code,
                defaults={
                    "name": name,
                    "company_number": f"DEMO{code}",
                    "registered_address": "1 Demo Street",
                    "notice_address": "1 Demo Street",
                    "notice_email": f"notices@{code.lower()}.example",
                    "accession_date": dt.date(2006, 10, 6),
                },
            )
            PartyCategoryMembership.objects.get_or_create(
                party=party, category=Category.SUPPLIER, valid_from=dt.date(2006, 10, 6)
            )
            user, _ = User.objects.get_or_create(
                username=f"rep-{code.lower()}", defaults={"role": Role.PARTY_REPRESENTATIVE}
            )
            PartyRepresentative.objects.get_or_create(user=user, party=party)
        links = list(
            PartyRepresentative.objects.select_related("party", "user")
            .filter(party__is_crowded_meter_room_coordinator=False)
            .order_by("pk")[:2]
        )
    return links[0].party, links[0].user, links[1].party, links[1].user
