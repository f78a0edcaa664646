"""Every e-mail of the change process is owed through the one dispatcher (panel.mail) in the
transaction of the step: a refused step owes nothing; the digest and register copy once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from changes import services
from changes.models import DeadlineDigest, RegisterCopy
from changes.states import State
from changes.tasks import flag_due_and_overdue, freeze_register_if_first_working_day
from panel.errors import DomainError
from panel.models import OutgoingMail

from .factories import proposal_in

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_withdrawal_owes_one_notice_to_the_secretariat_with_the_parties_in_bcc(
    rep, party, other_party
):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    services.proposal_withdraw(proposal=p, by=rep, reason="No longer needed")
    mail = OutgoingMail.objects.get(template="changes/notice_withdrawn")
    assert mail.subject == f"{p.reference} withdrawn: any Party may adopt it within 10 Working Days"
    assert mail.to == [settings.SECRETARIAT_EMAIL]
    assert other_party.notice_email in mail.bcc and party.notice_email in mail.bcc
    assert "Reasons:\nNo longer needed" in mail.body
    assert "Any Party may adopt the withdrawn proposal: by " in mail.body


def test_a_refused_step_owes_no_notice(rep, party, other_rep):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    with pytest.raises(DomainError):
        services.proposal_withdraw(proposal=p, by=other_rep, reason="Not mine to withdraw")
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db(transaction=True)  # owed mail is sent once the step commits
def test_the_digest_and_the_register_copy_are_owed_once_and_sent(rep, party):
    proposal_in(State.WITH_PANEL, raised_by=rep, party=party, due_on=D(2027, 1, 4))
    with time_machine.travel(dt.datetime(2027, 1, 4, 7, 0), tick=False):
        flag_due_and_overdue()
        flag_due_and_overdue()
        freeze_register_if_first_working_day()
        freeze_register_if_first_working_day()
    digest = OutgoingMail.objects.get(template="changes/deadline_digest")
    copy = OutgoingMail.objects.get(template="changes/register_copy")
    assert digest.to == [settings.SECRETARIAT_EMAIL] and digest.sent_at is not None
    assert digest.subject == "Deadlines: 1 due today, 0 overdue"
    assert "Due today (1):\n  DCP " in digest.body and "Overdue (0):\n  none" in digest.body
    assert copy.to == [settings.AUTHORITY_EMAIL] and copy.sent_at is not None
    assert [a[0] for a in copy.attachments] == [
        "change-register-2027-01.csv",
        "change-register-2027-01.html",
    ]
    assert DeadlineDigest.objects.get().sent_at is not None
    assert RegisterCopy.objects.get().sent_at is not None
