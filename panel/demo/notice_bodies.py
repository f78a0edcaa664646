"""The demo's notice bodies (13.8.2-13.8.5): where the Consumer Body, the transmission operator,
a designated body and the Authority receive notices; one designated body has only a postal
address, so the Secretariat is told to post its notice. Idempotent (looked up by kind and name)."""

from __future__ import annotations

import datetime as dt

from ..models import NoticeBody, NoticeBodyKind

NOTICE_BODIES = [
    (NoticeBodyKind.CONSUMER_BODY, "Citizens Advice", "dcusa.notices@consumer.example", ""),
    (
        NoticeBodyKind.NETSO,
        "National Energy System Operator",
        "code.notices@neso.example",
        "Faraday House, Warwick Technology Park, Warwick CV34 6DA",
    ),
    (
        NoticeBodyKind.DESIGNATED,
        "Smart Energy Code Administrator",
        "",
        "2nd Floor, 1 Example Street, London EC1A 1AA",
    ),
    (
        NoticeBodyKind.AUTHORITY,
        "Gas and Electricity Markets Authority",
        "industrycodes@authority.example",
        "10 South Colonnade, London E14 4PU",
    ),
]


def seed_notice_bodies() -> int:
    """The recorded addresses; returns how many rows were added."""
    made = 0
    for kind, name, email, address in NOTICE_BODIES:
        _, created = NoticeBody.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "notice_email": email,
                "notice_address": address,
                "designated_on": dt.date(2019, 4, 1) if kind == NoticeBodyKind.DESIGNATED else None,
            },
        )
        made += created
    return made
