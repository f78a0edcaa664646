"""Scheduled jobs of the change process. Thin: take ids or a day, reload, safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.calendar import WorkingDayCalendar
from panel.errors import DomainError
from panel.mail import mail_send

from . import selectors
from .models import ChangeProposal, Deadline, DeadlineDigest, RegisterCopy
from .services import proposal_transition
from .states import State

log = logging.getLogger(__name__)


def _day(day: str | None) -> dt.date:
    return dt.date.fromisoformat(day) if day else timezone.localdate()


@shared_task
def flag_due_and_overdue(day: str | None = None) -> dict[str, int]:
    """Each morning: close lapsed windows, flag overdue deadlines, e-mail the Secretariat once."""
    today = _day(day)
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


# The step that closes each window once its deadline has passed with no notice received.
WINDOW_CLOSES = {
    State.WITHDRAWN: "withdrawal_lapse",  # 11.32
    State.ACCEPTED_APPEAL_WINDOW: "appeal_window_close",  # 13.18
    State.REJECTED_APPEAL_WINDOW: "appeal_window_close",
    State.REFERRED_TO_AUTHORITY: "authority_decline",  # 10.21
}


def close_lapsed_windows(today: dt.date) -> int:
    """Adoption windows (11.32) and appeal windows (13.18) whose 10 Working Days have passed."""
    due = ChangeProposal.objects.filter(
        status__in=list(WINDOW_CLOSES), current_deadline__due_on__lt=today
    ).values_list("pk", "status")
    done = 0
    for pk, status in due:
        try:
            proposal_transition(
                proposal=ChangeProposal(pk=pk),
                action=WINDOW_CLOSES[State(status)],
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
    try:
        proposal_transition(
            proposal=ChangeProposal(pk=proposal_id),
            action="withdrawal_lapse",
            by=None,
            today=_day(day),
            reason="No Party adopted the proposal within 10 Working Days.",
        )
    except DomainError:
        return False
    return True


@shared_task
def send_deadline_digest(digest_id: int) -> bool:
    """Owe the morning digest to the Secretariat once (the dispatcher sends it)."""
    with transaction.atomic():
        digest = DeadlineDigest.objects.select_for_update().get(pk=digest_id)
        if digest.sent_at is not None:
            return False
        mail_send(
            template="changes/deadline_digest",
            to=[settings.SECRETARIAT_EMAIL],
            context={
                "day": digest.day,
                "due": list(selectors.deadlines_due_on(digest.day)),
                "overdue": list(selectors.deadlines_overdue(digest.day)),
            },
        )
        DeadlineDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
    return True


@shared_task
def freeze_register_if_first_working_day(day: str | None = None) -> bool:
    """On the first Working Day of each month, copy the Change Register to the Authority (11.28)."""
    today = _day(day)
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
def send_register_copy(copy_id: int) -> bool:
    """Owe the month's copy to the Authority once, the CSV and HTML attached (11.28)."""
    with transaction.atomic():
        copy = RegisterCopy.objects.select_for_update().get(pk=copy_id)
        if copy.sent_at is not None:
            return False
        name = f"change-register-{copy.month:%Y-%m}"
        mail_send(
            template="changes/register_copy",
            to=[settings.AUTHORITY_EMAIL],
            context={"month": copy.month},
            attachments=[
                (f"{name}.csv", copy.csv, "text/csv"),
                (f"{name}.html", copy.html, "text/html"),
            ],
        )
        RegisterCopy.objects.filter(pk=copy.pk).update(sent_at=timezone.now())
    return True
