"""Reminders to Groups that have not voted: 3 and 1 Working Days before the close, once each."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone

from voting.models import Reminder
from voting.services import reminders_send, vote_cast
from voting.tasks import send_vote_reminders

from .conftest import entry


def morning(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2027, 3, day, 7, 0))


def test_reminders_go_to_groups_that_have_not_voted_once_per_mark(
    world, ballot, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(morning(2), tick=False):
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, world.lone),
            by=world.lone_voter,
            answers={ballot.questions.first().pk: "accept"},
            second_factor=True,
        )
    mail.outbox.clear()
    # Closing day Monday 22 March: 3 Working Days before is Wednesday 17 March.
    with time_machine.travel(morning(16), tick=False):
        assert reminders_send() == 0
    with (
        time_machine.travel(morning(17), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = send_vote_reminders()
        again = reminders_send()
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Voters exist for DNO 1, Big Energy Group and the IDNO; Lone Supply has voted.
    assert recipients == sorted(
        [world.dno_voter.email, world.big_voter.email, world.idno_voter.email]
    )
    assert first == 3 and again == 0
    assert "22 March 2027" in mail.outbox[0].body
    # Groups with no authorised voter are recorded too, so nobody is reminded twice.
    assert Reminder.objects.filter(working_days_before=3).count() == 6
    # 1 Working Day before: Friday 19 March.
    with time_machine.travel(morning(19), tick=False):
        assert reminders_send() == 3
        assert reminders_send() == 0
