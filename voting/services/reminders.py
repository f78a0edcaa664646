"""Reminders to Groups that have not voted (12.4.1), each sent once."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.calendar import WorkingDayCalendar, add_working_days
from panel.models import PartyRepresentative

from ..models import Ballot, BallotStatus, Reminder, RollEntry, Vote
from .notices import reminder_send


def reminder_marks_due(ballot: Ballot, today: dt.date, closures: frozenset[dt.date]) -> list[int]:
    """The day-marks whose reminder day has come: `d` Working Days before the closing day."""
    close_day = timezone.localtime(ballot.closes_at).date()
    return [
        d
        for d in sorted(set(ballot.reminder_days))
        if add_working_days(close_day, -d, closures) <= today
    ]


def _recipients(entry: RollEntry) -> list[str]:
    party_ids = list(entry.members.values_list("party_id", flat=True))
    voters = PartyRepresentative.objects.filter(
        party_id__in=party_ids, authorised_voter=True, confirmed_at__isnull=False
    ).exclude(user__email="")
    return sorted(set(voters.values_list("user__email", flat=True)))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each Group that has not voted, once per configured day-mark; returns the e-mails
    owed (sent after each Group's commit)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    closures = WorkingDayCalendar.load().closures
    sent = 0
    for ballot in Ballot.objects.filter(
        status=BallotStatus.OPEN, opens_at__lte=now, closes_at__gt=now
    ):
        marks = reminder_marks_due(ballot, today, closures)
        if not marks:
            continue
        mark = min(marks)  # the nearest mark; earlier marks missed are not sent late
        voted = Vote.objects.filter(ballot=ballot, superseded_at=None).values("roll_entry_id")
        for entry in (
            RollEntry.objects.filter(ballot=ballot).exclude(pk__in=voted).select_related("ballot")
        ):
            recipients = _recipients(entry)
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        ballot=ballot,
                        roll_entry=entry,
                        working_days_before=mark,
                        recipients=recipients,
                    )
                    sent += reminder_send(entry, mark, recipients)
            except IntegrityError:
                continue  # already sent for this mark
    return sent
