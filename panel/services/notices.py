"""The Panel's notices by e-mail, through the one dispatcher (`panel.mail.mail_send`).

A meeting's notice goes to the Panel Members, Alternates and 5.7 appointees in full, and to the
Parties without the confidential items and papers (7.14-7.15, 57.1). Clause 54 resolutions go
to the Authority and every Party (54.3-54.4). Each is owed in the transaction of the change.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from ..audit import PanelAction, audit_record
from ..calendar import WorkingDayCalendar
from ..mail import mail_send
from ..models import PanelMeeting, PanelMinutes, Resolution, User
from ..panel_rules import within_working_days
from ..selectors import next_meeting_warning, panel_people_emails, party_notice_emails
from .common import MINUTES_WORKING_DAYS, today


def meeting_notice_send(meeting: PanelMeeting, *, by: User | None) -> int:
    """Owe the notice of a meeting with its agenda and papers; returns how many recipients."""
    on = today()
    panel = panel_people_emails(on)
    parties = sorted(set(party_notice_emails(on)) - set(panel))
    agenda = list(meeting.agenda.all())
    papers = list(meeting.papers.all())
    context = {"meeting": meeting, "site_url": settings.SITE_URL}
    mail_send(
        template="panel/meeting_notice",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=panel,
        context={**context, "agenda": agenda, "papers": papers, "for_panel": True},
    )
    if parties:
        withheld = sum(1 for item in agenda if item.confidential)
        withheld += sum(1 for paper in papers if paper.confidential)
        mail_send(
            template="panel/meeting_notice",
            to=[settings.SECRETARIAT_EMAIL],
            bcc=parties,
            context={
                **context,
                "agenda": [item for item in agenda if not item.confidential],
                "papers": [paper for paper in papers if not paper.confidential],
                "withheld": withheld,
                "for_panel": False,
            },
        )
    audit_record(
        actor=by,
        action=PanelAction.MEETING_NOTICE_SENT,
        target=meeting,
        data={"panel": len(panel), "parties": len(parties)},
    )
    return len(panel) + len(parties)


def clause_54_notify(resolution: Resolution, *, by: User | None) -> int:
    """The Panel notifies the Authority and all the Parties of a Clause 54 resolution."""
    parties = party_notice_emails(today())
    mail_send(
        template="panel/clause_54_resolution",
        to=[settings.AUTHORITY_EMAIL],
        bcc=parties,
        context={"resolution": resolution},
    )
    audit_record(actor=by, action=PanelAction.RESOLUTION_NOTIFIED, target=resolution)
    return len(parties) + 1


def things_due(on: dt.date) -> list[str]:
    """Meeting due within three months (7.9) and minutes due within five Working Days (7.21)."""
    lines = []
    warning = next_meeting_warning(on)
    if warning:
        lines.append(warning)
    closures = WorkingDayCalendar.load().closures
    circulated = PanelMinutes.objects.filter(circulated_on__isnull=False).values("meeting_id")
    held = PanelMeeting.objects.filter(status=PanelMeeting.Status.HELD).exclude(pk__in=circulated)
    for meeting in held:
        due = within_working_days(meeting.meeting_date, MINUTES_WORKING_DAYS, closures)
        lines.append(f"Minutes of {meeting.reference} are due by {due:%-d %B %Y} (7.21).")
    return lines


def panel_secretary_remind(on: dt.date | None = None) -> int:
    """Tell the Panel Secretary what is due; returns how many lines were sent."""
    lines = things_due(on or today())
    if lines:
        mail_send(
            template="panel/things_due", to=[settings.SECRETARIAT_EMAIL], context={"lines": lines}
        )
    return len(lines)
