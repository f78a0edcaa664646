"""The e-mails the voting system sends through the one dispatcher (panel.mail): the 13.8 notice of
a declaration, reminders to Groups that have not voted; and the receipt's words
(templates/mail/voting/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.mail import mail_send
from panel.models import Role, User
from panel.selectors import party_notice_emails

from ..audit import VotingAction
from ..models import Ballot, Declaration, Question, RollEntry, VoteLogEntry
from ..wording import when

OUTCOME_WORDS = {
    "recommend_accept": "the Parties recommend to the Authority that the proposal be accepted",
    "recommend_reject": "the Parties recommend to the Authority that the proposal be rejected",
    "accepted": "accepted",
    "rejected": "rejected",
}
COMBINED_WORDS = {
    "accepted": "the variation and the implementation date are both accepted",
    "revote_date": (
        "the variation is accepted but the implementation date is rejected: only a newly "
        "proposed implementation date will be assessed and voted on (14.3)"
    ),
    "rejected": "the variation is rejected, so the proposal is rejected (14.4)",
}


def vote_page_url(ballot: Ballot) -> str:
    return f"{settings.SITE_URL}/changes/{ballot.reference.replace(' ', '-')}/vote/"


def secretariat_emails() -> list[str]:
    emails = set(
        User.objects.filter(role=Role.SECRETARIAT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    emails.add(settings.SECRETARIAT_EMAIL)
    return sorted(emails)


def receipt_context(
    entry: VoteLogEntry, questions: dict[int, Question] | None = None
) -> dict[str, Any]:
    """What templates/mail/voting/receipt.txt says; `questions` (by id) saves a query."""
    ballot = entry.ballot
    if questions is None:
        questions = {q.pk: q for q in Question.objects.filter(ballot=ballot)}
    answers = [
        (questions[a["question"]].text, questions[a["question"]].choice_label(a["choice"]))
        for a in entry.payload["answers"]
    ]
    return {
        "reference": ballot.reference,
        "group": entry.payload["group"],
        "recorded": when(entry.recorded_at),
        "answers": answers,
        "receipt": entry.entry_hash,
        "site_url": settings.SITE_URL,
        "closes": when(ballot.closes_at),
    }


def reminder_send(entry: RollEntry, days: int, recipients: list[str]) -> int:
    """One reminder e-mail to each of the Group's authorised voters; how many are owed."""
    ballot = entry.ballot
    context = {
        "reference": ballot.reference,
        "group": f"{entry.group_name} ({entry.get_category_display()})",
        "closes": when(ballot.closes_at),
        "days": days,
        "site_url": settings.SITE_URL,
        "ballot_id": ballot.pk,
    }
    return sum(
        1 for to in recipients if mail_send(template="voting/reminder", to=[to], context=context)
    )


def _outcome_lines(declaration: Declaration) -> list[str]:
    lines = []
    if declaration.variation_outcome:
        option = f" ({declaration.selected_option})" if declaration.selected_option else ""
        words = OUTCOME_WORDS.get(declaration.variation_outcome, declaration.variation_outcome)
        lines.append(f"The proposed variation{option}: {words}.")
        if declaration.variation_deemed_part1:
            lines.append("Under Clause 13.7 the proposal is deemed to relate to a Part 1 Matter.")
    if declaration.date_outcome:
        words = OUTCOME_WORDS.get(declaration.date_outcome, declaration.date_outcome)
        lines.append(f"The proposed implementation date: {words}.")
    if declaration.combined_outcome:
        lines.append(f"Together: {COMBINED_WORDS[declaration.combined_outcome]}.")
    if declaration.recommendation:
        lines.append("This is a recommendation; the Authority determines the proposal (13.9).")
    return lines


def notice_recipients() -> list[str]:
    """13.8: each Party, the Consumer Body, the transmission operator, designated bodies, the
    Authority."""
    today = timezone.localdate()
    emails = set(party_notice_emails(today))
    emails |= set(
        User.objects.filter(
            role__in=[Role.CONSUMER_BODY, Role.OTHER_BODY, Role.AUTHORITY], is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if settings.AUTHORITY_EMAIL:
        emails.add(settings.AUTHORITY_EMAIL)
    return sorted(emails)


def declaration_notify(*, declaration: Declaration, by: User | None = None) -> int:
    """Owe the 13.8 notice of a declaration, one e-mail per recipient (no one sees another's
    address); sent after the commit. The Secretariat may send it again."""
    if by is not None:
        require(by, SECRETARIAT, doing="send notices of a declaration", rule="13.8")
    ballot = declaration.ballot
    context = {
        "reference": ballot.reference,
        "closed": when(ballot.closed_at or ballot.closes_at),
        "outcome_lines": _outcome_lines(declaration),
        "vote_page_url": vote_page_url(ballot),
    }
    recipients = notice_recipients()
    sent = sum(
        1
        for to in recipients
        if mail_send(template="voting/declaration_notice", to=[to], context=context)
    )
    audit_record(
        actor=by,
        action=VotingAction.DECLARATION_NOTICE,
        target=ballot,
        data={"recipients": len(recipients)},
    )
    return sent
