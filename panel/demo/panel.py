"""The demo's Panel: six elected members with Alternates, one meeting held, the next convened.

Made through the Panel's services, as the Secretariat would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import PanelAppointment, PanelMeeting, Party, Role, User
from ..services import (
    AgendaEntry,
    AttendanceEntry,
    PaperEntry,
    appointment_create,
    attendance_record,
    meeting_schedule,
)
from .register import demo_user

PANEL_SEATS = [
    # (constituency, seat, member username, member name, employer short code)
    ("DNO", 1, "panel", ("Pat", "Panelmember"), "DNO01"),
    ("DNO", 2, "panel.dno2", ("Dana", "Northgrid"), "DNO05"),
    ("IDNO_OTSO", 1, "panel.idno", ("Ian", "Lastmile"), "IDN03"),
    ("SUPPLIER", 1, "panel.sup1", ("Suki", "Brightwater"), "SUP01A"),
    ("SUPPLIER", 2, "panel.sup2", ("Sol", "Kestrel"), "SUP03A"),
    ("CVA", 1, "panel.cva", ("Cara", "Dogger"), "CVA01"),
]


def seed_panel(*, stdout: Any = None) -> None:
    """The Panel: six elected members with Alternates, a meeting held and the next one convened."""
    if PanelAppointment.objects.exists():
        return
    secretariat = User.objects.get(username="secretariat")
    today = timezone.localdate()
    start = dt.date(today.year - 1, 12, 1)
    with transaction.atomic():
        members = []
        for constituency, seat, username, (first, last), employer in PANEL_SEATS:
            role = Role.PANEL_MEMBER
            person = demo_user(username, role, first, last)
            party = Party.objects.get(short_code=employer)
            member = appointment_create(
                by=secretariat,
                person=person,
                role="MEMBER",
                constituency=constituency,
                seat=seat,
                appointed_from=start,
                employer=party,
                confirmed_on=start,
            )
            members.append(member)
            alternate_name = "alternate" if username == "panel.sup1" else f"{username}.alt"
            alternate_person = demo_user(
                alternate_name, Role.PANEL_ALTERNATE, "Alex", f"Alt {last}"
            )
            appointment_create(
                by=secretariat,
                person=alternate_person,
                role="ALTERNATE",
                constituency=constituency,
                seat=seat,
                appointed_from=start,
                employer=party,
                allocated_to=member,
                confirmed_on=start,
            )
        held_on = today - dt.timedelta(days=28)
        held = meeting_schedule(
            by=secretariat,
            reference=f"Panel {held_on:%Y-%m}",
            meeting_date=held_on,
            venue="Online",
            agenda=[AgendaEntry("Minutes of the last meeting"), AgendaEntry("Change Proposals")],
            papers=[PaperEntry("Change Proposal progress report", "Status of every proposal.")],
            notice_given_on=held_on - dt.timedelta(days=14),
        )
        attendance_record(
            by=secretariat,
            meeting=held,
            entries=[AttendanceEntry(appointment=m, present=True) for m in members],
        )
        next_on = today + dt.timedelta(days=21)
        if not PanelMeeting.objects.filter(meeting_date=next_on).exists():
            meeting_schedule(
                by=secretariat,
                reference=f"Panel {next_on:%Y-%m}",
                meeting_date=next_on,
                venue="Online",
                agenda=[AgendaEntry("Change Reports for submission to the vote")],
                papers=[PaperEntry("Draft Change Report", "For the Panel's decision.")],
                notice_given_on=today,
            )
    if stdout is not None:
        stdout.write("Panel: 6 members with Alternates, one meeting held, the next convened.")
