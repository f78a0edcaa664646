"""The notices a step of the change process requires: refusal (10.9, 10.15), acceptance (11.2),
decision (13.14), withdrawal (11.30), adoption (11.31), leaving (11.32).

The 13.8 notice of a declaration is not sent here: the voting system sends the one notice per
recipient, worded from the declaration (voting.services.notices.declaration_notify).

Each is owed through the one dispatcher (`panel.mail.mail_send`) in the step's transaction, and
sent once it commits: one message to the Secretariat, everyone else in Bcc.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from panel.mail import mail_send
from panel.models import NoticeBody, OutgoingMail, Role, User
from panel.selectors import party_notice_emails

from ..models import ChangeProposal, ProposalEvent
from ..states import State

# Owed by the voting system instead (one 13.8 notice per recipient per declaration).
NOT_SENT_HERE = frozenset({"declared"})


def _bodies_emails(on: dt.date) -> list[str]:
    """The Consumer Body, the transmission operator, designated bodies (and the Authority's
    recorded address) (11.2, 13.14): their recorded notice addresses and any accounts."""
    accounts = (
        User.objects.filter(role__in=[Role.CONSUMER_BODY, Role.OTHER_BODY], is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    recorded = (
        NoticeBody.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .exclude(notice_email="")
        .values_list("notice_email", flat=True)
    )
    return [*accounts, *recorded]


def _proposer_emails(p: ChangeProposal) -> list[str]:
    emails = [p.proposer_contact_email] if p.proposer_contact_email else []
    party = p.proposer_party
    if party is not None and party.notice_email:
        emails.append(party.notice_email)
    return emails


def notice_recipients(event: ProposalEvent, notice: str) -> list[str]:
    p = event.proposal
    if notice in ("received", "refused"):
        recipients = _proposer_emails(p)
        if notice == "refused" and event.action == "panel_refuse":
            recipients.append(settings.SECRETARIAT_EMAIL)
        return recipients
    everyone = party_notice_emails(event.on) + _bodies_emails(event.on)
    if notice in ("accepted", "decided"):
        everyone.append(settings.AUTHORITY_EMAIL)  # 11.2.5, 13.8.5
    return everyone


def proposal_event_notify(*, event: ProposalEvent, notice: str) -> OutgoingMail | None:
    """Owe the notice `notice` of the step `event` (nothing when nobody is to be told)."""
    if not notice or notice in NOT_SENT_HERE:
        return None
    recipients = sorted(set(filter(None, notice_recipients(event, notice))))
    if not recipients:
        return None
    p = event.proposal
    return mail_send(
        template=f"changes/notice_{notice}",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=recipients,
        context={
            "proposal": p,
            "event": event,
            "status": State(event.to_state).label,
            "assessment": p.initial_assessment if notice == "accepted" else "",
            "deadline": event.data.get("deadline"),
        },
    )
