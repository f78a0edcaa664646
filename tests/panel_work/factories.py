"""Factories for the Panel at work: a full Panel with allocated Alternates, meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory

from panel.models import (
    AppointedUnder,
    Category,
    OfficeRole,
    PanelAppointment,
    PanelMeeting,
    Party,
    Role,
)
from panel.services import minutes_circulate
from tests.factories import UserFactory, party_in

APPOINTED = dt.date(2025, 12, 1)


class PanelMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMeeting

    reference = factory.Sequence(lambda i: f"Panel M{i:03d}")
    meeting_date = dt.date(2026, 3, 18)
    venue = "Conference call"
    status = PanelMeeting.Status.NOTICE_GIVEN
    notice_given_on = factory.LazyAttribute(lambda m: m.meeting_date - dt.timedelta(days=14))


def circulated_minutes(
    by, *, held_on: dt.date, circulated_on: dt.date, text: str = "Minutes", confidential=False
):
    """The minutes of a meeting held on `held_on`, circulated on `circulated_on` (7.21)."""
    held = PanelMeetingFactory(meeting_date=held_on, status=PanelMeeting.Status.HELD)
    return minutes_circulate(
        by=by, meeting=held, text=text, confidential=confidential, circulated_on=circulated_on
    )


def appoint(
    name: str,
    constituency: str,
    *,
    seat: int = 1,
    role: str = OfficeRole.MEMBER,
    employer: Party | None = None,
    allocated_to: PanelAppointment | None = None,
    appointed_from: dt.date = APPOINTED,
    **fields,
) -> PanelAppointment:
    first, _, last = name.partition(" ")
    user = UserFactory(
        username=name.lower().replace(" ", "."),
        first_name=first,
        last_name=last,
        role=Role.PANEL_MEMBER if role == OfficeRole.MEMBER else Role.PANEL_ALTERNATE,
    )
    return PanelAppointment.objects.create(
        person=user,
        role=role,
        constituency=constituency,
        seat=seat,
        employer=employer,
        allocated_to=allocated_to,
        appointed_from=appointed_from,
        elected_on=appointed_from,
        confirmed_on=appointed_from,
        appointed_under=fields.pop("appointed_under", AppointedUnder.ELECTION),
        **fields,
    )


@dataclass
class Panel:
    members: dict[str, PanelAppointment] = field(default_factory=dict)
    alternates: dict[str, PanelAppointment] = field(default_factory=dict)
    employers: dict[str, Party] = field(default_factory=dict)

    def m(self, key: str) -> PanelAppointment:
        return self.members[key]

    def a(self, key: str) -> PanelAppointment:
        return self.alternates[key]


OFFICES = [
    ("dno1", "DNO", 1, Category.DNO),
    ("dno2", "DNO", 2, Category.DNO),
    ("idno", "IDNO_OTSO", 1, Category.IDNO_OTSO),
    ("sup1", "SUPPLIER", 1, Category.SUPPLIER),
    ("sup2", "SUPPLIER", 2, Category.SUPPLIER),
    ("cva", "CVA", 1, Category.CVA),
]


def full_panel() -> Panel:
    """Six elected members (5.5), each with an allocated Alternate (6.11), employed by Parties."""
    panel = Panel()
    for key, constituency, seat, category in OFFICES:
        employer = party_in(category, name=f"{key.upper()} Employer plc")
        panel.employers[key] = employer
        member = appoint(f"Member {key}", constituency, seat=seat, employer=employer)
        panel.members[key] = member
        panel.alternates[key] = appoint(
            f"Alternate {key}",
            constituency,
            seat=seat,
            role=OfficeRole.ALTERNATE,
            employer=employer,
            allocated_to=member,
        )
    return panel
