"""Celery tasks for the Panel at work: notices, Clause 54 notifications, vacancies, reminders.

Each task receives ids, reloads, and is safe to run twice (a sent notice is recorded in the
audit trail and not sent again).
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from .audit import audit_record
from .calendar import WorkingDayCalendar
from .governance import PanelMeeting, PanelMinutes, Resolution
from .models import AuditRecord, Party
from .panel_rules import within_working_days
from .panel_selectors import next_meeting_warning, panel_people_emails


def _party_emails(on) -> list[str]:
    parties = Party.objects.filter(accession_date__lte=on).exclude(termination_date__lt=on)
    return sorted(set(parties.exclude(notice_email="").values_list("notice_email", flat=True)))


def _already_sent(action: str, target) -> bool:
    return AuditRecord.objects.filter(
        action=action, target_type=target._meta.label, target_id=str(target.pk)
    ).exists()


@shared_task
def send_meeting_notice(meeting_id: int) -> int:
    """Notice with agenda to members, Alternates, 5.7 appointees and the Parties (7.14-7.15)."""
    meeting = PanelMeeting.objects.prefetch_related("agenda", "papers").get(pk=meeting_id)
    if _already_sent("panel.meeting.notice_sent", meeting):
        return 0
    today = timezone.localdate()
    recipients = sorted(set(panel_people_emails(today)) | set(_party_emails(today)))
    agenda = "\n".join(f"{i.position}. {i.title}" for i in meeting.agenda.all())
    papers = "\n".join(
        f"- {p.title}" + (" (confidential: Panel only)" if p.confidential else "")
        for p in meeting.papers.all()
    )
    body = (
        f"Notice of the Panel meeting {meeting.reference} on {meeting.meeting_date:%A %-d %B %Y} "
        f"at {meeting.starts_at:%H:%M}, {meeting.venue}.\n\nAgenda:\n{agenda}\n\n"
        f"Papers:\n{papers or '- none'}\n\n"
        f"{settings.SITE_URL}/panel/meetings/{meeting.pk}/\n"
    )
    EmailMessage(
        subject=f"DCUSA Panel: notice of {meeting.reference}",
        body=body,
        to=[settings.SECRETARIAT_EMAIL],
        bcc=recipients,
    ).send()
    audit_record(actor=None, action="panel.meeting.notice_sent", target=meeting)
    return len(recipients)


@shared_task
def notify_clause_54_resolution(resolution_id: int) -> int:
    """The Panel notifies the Authority and all the Parties (54.3, 54.4)."""
    resolution = Resolution.objects.select_related("target_party").get(pk=resolution_id)
    if _already_sent("panel.resolution.notified", resolution):
        return 0
    today = timezone.localdate()
    recipients = _party_emails(today)
    EmailMessage(
        subject=f"DCUSA Panel resolution {resolution.reference}: {resolution.get_kind_display()}",
        body=f"{resolution.title}\n\n{resolution.outcome}\n{resolution.effect}\n",
        to=[settings.AUTHORITY_EMAIL],
        bcc=recipients,
    ).send()
    audit_record(actor=None, action="panel.resolution.notified", target=resolution)
    return len(recipients) + 1


@shared_task
def detect_panel_vacancies() -> int:
    """Offices vacated by missed meetings (6.8.2) or missing confirmations (6.17)."""
    from .panel_services import vacancies_detect

    return len(vacancies_detect(on=timezone.localdate()))


@shared_task
def remind_panel_secretary() -> int:
    """Meeting due within three months (7.9) and minutes due within five Working Days (7.21)."""
    today = timezone.localdate()
    lines = []
    warning = next_meeting_warning(today)
    if warning:
        lines.append(warning)
    closures = WorkingDayCalendar.load().closures
    circulated = PanelMinutes.objects.filter(circulated_on__isnull=False).values("meeting_id")
    for meeting in PanelMeeting.objects.filter(status=PanelMeeting.Status.HELD).exclude(
        pk__in=circulated
    ):
        due = within_working_days(meeting.meeting_date, 5, closures)
        lines.append(f"Minutes of {meeting.reference} are due by {due:%-d %B %Y} (7.21).")
    if lines:
        EmailMessage(
            subject="DCUSA Panel: things due",
            body="\n".join(lines),
            to=[settings.SECRETARIAT_EMAIL],
        ).send()
    return len(lines)
