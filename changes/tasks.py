"""Scheduled jobs and e-mail notices of the change process. Thin: take ids, reload, safe twice."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.calendar import WorkingDayCalendar
from panel.errors import DomainError
from panel.models import Party, Role, User

from . import selectors
from .models import ChangeProposal, Deadline, DeadlineDigest, ProposalEvent, RegisterCopy
from .services import proposal_transition
from .states import State

log = logging.getLogger(__name__)


def _today() -> dt.date:
    return timezone.localdate()


@shared_task
def flag_due_and_overdue(day: str | None = None) -> dict[str, int]:
    """Each morning: close lapsed windows, flag overdue deadlines, e-mail the Secretariat once."""
    today = dt.date.fromisoformat(day) if day else _today()
    lapsed = close_lapsed_windows(today)
    flagged = Deadline.objects.filter(
        closed_on__isnull=True, due_on__lt=today, overdue_flagged_on__isnull=True
    ).update(overdue_flagged_on=today)
    due = list(selectors.deadlines_due_on(today))
    overdue = list(selectors.deadlines_overdue(today))
    sent = 0
    try:
        with transaction.atomic():
            digest = DeadlineDigest.objects.create(
                day=today, due_today=len(due), overdue=len(overdue)
            )
            transaction.on_commit(lambda: send_deadline_digest.delay(digest.pk))
            sent = 1
    except IntegrityError:
        pass  # already sent today
    return {"lapsed": lapsed, "flagged": flagged, "digest": sent}


def close_lapsed_windows(today: dt.date) -> int:
    """Adoption windows (11.32) and appeal windows (13.18) whose 10 Working Days have passed."""
    actions = {
        State.WITHDRAWN: "withdrawal_lapse",
        State.ACCEPTED_APPEAL_WINDOW: "appeal_window_close",
        State.REJECTED_APPEAL_WINDOW: "appeal_window_close",
        State.REFERRED_TO_AUTHORITY: "authority_decline",
    }
    due = ChangeProposal.objects.filter(
        status__in=list(actions), current_deadline__due_on__lt=today
    ).values_list("pk", "status")
    done = 0
    for pk, status in due:
        try:
            proposal_transition(
                proposal=ChangeProposal(pk=pk),
                action=actions[State(status)],
                by=None,
                today=today,
                reason="The window closed with no notice received.",
            )
            done += 1
        except DomainError as exc:  # moved on meanwhile: nothing to do
            log.info("window not closed for proposal %s: %s", pk, exc.message)
    return done


@shared_task
def adoption_window_expired(proposal_id: int, day: str | None = None) -> bool:
    """Take a withdrawn proposal nobody adopted out of the process (11.32); safe to repeat."""
    today = dt.date.fromisoformat(day) if day else _today()
    try:
        proposal_transition(
            proposal=ChangeProposal(pk=proposal_id),
            action="withdrawal_lapse",
            by=None,
            today=today,
            reason="No Party adopted the proposal within 10 Working Days.",
        )
    except DomainError:
        return False
    return True


@shared_task
def send_deadline_digest(digest_id: int) -> None:
    digest = DeadlineDigest.objects.get(pk=digest_id)
    if digest.sent_at is not None:
        return
    due = list(selectors.deadlines_due_on(digest.day))
    overdue = list(selectors.deadlines_overdue(digest.day))
    lines = [f"Change process deadlines on {digest.day:%A %d %B %Y}", ""]
    lines.append(f"Due today ({len(due)}):")
    lines += [f"  {d.proposal.reference}: {d.what} ({d.rule})" for d in due] or ["  none"]
    lines.append("")
    lines.append(f"Overdue ({len(overdue)}):")
    lines += [
        f"  {d.proposal.reference}: {d.what}, due {d.due_on:%d %B %Y} ({d.rule})" for d in overdue
    ] or ["  none"]
    send_mail(
        f"Deadlines: {len(due)} due today, {len(overdue)} overdue",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [settings.SECRETARIAT_EMAIL],
    )
    DeadlineDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())


@shared_task
def freeze_register_if_first_working_day(day: str | None = None) -> bool:
    """On the first Working Day of each month, copy the Change Register to the Authority (11.28)."""
    today = dt.date.fromisoformat(day) if day else _today()
    calendar = WorkingDayCalendar.load()
    if today != calendar.first_working_day_of_month(today.year, today.month):
        return False
    month = today.replace(day=1)
    rows = selectors.register_rows()
    title = f"DCUSA Change Register, {month:%B %Y}"
    try:
        with transaction.atomic():
            copy = RegisterCopy.objects.create(
                month=month,
                made_on=today,
                csv=selectors.register_as_csv(rows),
                html=selectors.register_as_html(rows, title=title),
            )
            transaction.on_commit(lambda: send_register_copy.delay(copy.pk))
    except IntegrityError:
        return False  # this month's copy exists
    return True


@shared_task
def send_register_copy(copy_id: int) -> None:
    copy = RegisterCopy.objects.get(pk=copy_id)
    if copy.sent_at is not None:
        return
    message = EmailMessage(
        f"DCUSA Change Register, {copy.month:%B %Y}",
        "The Change Register as at the first Working Day of the month (Clause 11.28) is attached.",
        settings.DEFAULT_FROM_EMAIL,
        [settings.AUTHORITY_EMAIL],
    )
    message.attach(f"change-register-{copy.month:%Y-%m}.csv", copy.csv, "text/csv")
    message.attach(f"change-register-{copy.month:%Y-%m}.html", copy.html, "text/html")
    message.send()
    RegisterCopy.objects.filter(pk=copy.pk).update(sent_at=timezone.now())


# -- notices ------------------------------------------------------------------------------------


def _all_party_emails(on: dt.date) -> list[str]:
    return list(
        Party.objects.filter(accession_date__lte=on)
        .exclude(termination_date__lt=on)
        .exclude(notice_email="")
        .values_list("notice_email", flat=True)
    )


def _bodies_emails() -> list[str]:
    """The Consumer Body, the transmission operator and designated bodies (11.2, 13.8)."""
    return list(
        User.objects.filter(role__in=[Role.CONSUMER_BODY, Role.OTHER_BODY], is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _proposer_emails(p: ChangeProposal) -> list[str]:
    emails = [p.proposer_contact_email] if p.proposer_contact_email else []
    party = p.proposer_party
    if party is not None and party.notice_email:
        emails.append(party.notice_email)
    return emails


NOTICE_SUBJECTS = {
    "received": "{ref} received by the Secretariat",
    "refused": "{ref} refused",
    "accepted": "{ref} placed into the Assessment Process",
    "declared": "{ref}: declaration of the vote",
    "decided": "{ref}: the Authority's decision",
    "withdrawn": "{ref} withdrawn: any Party may adopt it within 10 Working Days",
    "adopted": "{ref} adopted by {proposer}",
    "left_process": "{ref} has left the change process",
}


def notice_recipients(event: ProposalEvent, notice: str) -> list[str]:
    p = event.proposal
    if notice in ("received", "refused"):
        recipients = _proposer_emails(p)
        if notice == "refused" and event.action == "panel_refuse":
            recipients.append(settings.SECRETARIAT_EMAIL)
        return recipients
    everyone = _all_party_emails(event.on) + _bodies_emails()
    if notice in ("accepted", "declared", "decided"):
        everyone.append(settings.AUTHORITY_EMAIL)  # 11.2.5, 13.8.5
    return everyone


@shared_task
def send_event_notice(event_id: int) -> int:
    """The notice a step requires: refusal (10.9, 10.15), acceptance (11.2), declaration (13.8),
    decision (13.14), withdrawal (11.30), adoption (11.31). One message, recipients in Bcc."""
    from .states import transition

    event = ProposalEvent.objects.select_related("proposal__proposer_party").get(pk=event_id)
    notice = transition(event.action).notice
    if not notice:
        return 0
    p = event.proposal
    recipients = sorted(set(filter(None, notice_recipients(event, notice))))
    if not recipients:
        return 0
    subject = NOTICE_SUBJECTS[notice].format(ref=p.reference, proposer=p.proposer_display)
    deadline = event.data.get("deadline")
    body = [
        f"{p.reference}: {p.title}",
        f"Proposer: {p.proposer_display}",
        f"Status: {State(event.to_state).label}",
    ]
    if event.reason:
        body += ["", "Reasons:", event.reason]
    if p.initial_assessment and notice == "accepted":
        body += ["", "Initial assessment:", p.initial_assessment]
    if deadline:
        body += ["", f"{deadline['what']}: by {deadline['due_on']}"]
    message = EmailMessage(
        subject,
        "\n".join(body),
        settings.DEFAULT_FROM_EMAIL,
        to=[settings.SECRETARIAT_EMAIL],
        bcc=recipients,
    )
    message.send()
    return len(recipients)
