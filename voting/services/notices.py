"""The e-mails the voting system sends through the one dispatcher (panel.mail): the notice that a
vote is open (12.4.1), the one 13.8 notice of a declaration (to each Party and, at their recorded
addresses, the bodies of 13.8.2-13.8.5), reminders to Groups that have not voted; and the
receipt's words (templates/mail/voting/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from panel.access import SECRETARIAT, require
from panel.audit import audit_record
from panel.mail import mail_send
from panel.models import (
    REQUIRED_NOTICE_BODIES,
    NoticeBody,
    NoticeBodyKind,
    PartyRepresentative,
    Role,
    User,
)
from panel.selectors import party_notice_emails

from ..audit import VotingAction
from ..models import Ballot, BallotKind, Declaration, Question, RollEntry, RollMember, VoteLogEntry
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


def _current_bodies(today: Any) -> list[NoticeBody]:
    return list(NoticeBody.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today)))


def _accounts(*roles: str) -> set[str]:
    return set(
        User.objects.filter(role__in=roles, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def notice_bodies_missing(today: Any = None) -> list[str]:
    """The required 13.8 recipients (REQUIRED_NOTICE_BODIES) with no address to e-mail: no
    current notice body of the kind (the Consumer Body's or the Authority's account, or the
    Authority's address in the settings, also reach them)."""
    today = today or timezone.localdate()
    reached = {b.kind for b in _current_bodies(today) if b.notice_email}
    if _accounts(Role.CONSUMER_BODY):
        reached.add(NoticeBodyKind.CONSUMER_BODY)
    if settings.AUTHORITY_EMAIL or _accounts(Role.AUTHORITY):
        reached.add(NoticeBodyKind.AUTHORITY)
    return [NoticeBodyKind(k).label for k in REQUIRED_NOTICE_BODIES if k not in reached]


def notice_recipients(today: Any = None) -> list[str]:
    """13.8: each Party (its notice address), the Consumer Body, the transmission operator,
    designated bodies and the Authority (their recorded addresses, and any accounts)."""
    today = today or timezone.localdate()
    emails = set(party_notice_emails(today))
    emails |= {b.notice_email for b in _current_bodies(today) if b.notice_email}
    emails |= _accounts(Role.CONSUMER_BODY, Role.OTHER_BODY, Role.AUTHORITY)
    if settings.AUTHORITY_EMAIL:
        emails.add(settings.AUTHORITY_EMAIL)
    return sorted(emails)


def _roll_note(note: Any) -> str:
    if isinstance(note, dict):
        return str(note.get("text") or note.get("note") or "; ".join(map(str, note.values())))
    return str(note)


def declaration_context(declaration: Declaration) -> dict[str, Any]:
    """What templates/mail/voting/declaration_notice.txt says, all from the declaration."""
    ballot = declaration.ballot
    return {
        "reference": ballot.reference,
        "title": ballot.title,
        "matter": ballot.get_matter_display(),
        "closed": when(ballot.closed_at or ballot.closes_at),
        "declared": when(declaration.declared_at),
        "outcome_lines": _outcome_lines(declaration),
        # The published head of the vote log and how many entries it counted (13.4.3).
        "chain_head": declaration.chain_head or ballot.chain_head,
        "chain_length": declaration.chain_length or ballot.chain_length,
        "roll_notes": [_roll_note(n) for n in declaration.roll_notes or []],
        "vote_page_url": vote_page_url(ballot),
        "verify_url": f"{settings.SITE_URL}/votes/verify/",
    }


def _warn_missing(ballot: Ballot, by: User | None, today: Any) -> list[str]:
    """Tell the Secretariat (mail + audit) which required recipients the notice cannot reach,
    and which bodies have only a postal address (the notice is to be posted to them)."""
    missing = notice_bodies_missing(today)
    by_post = [b for b in _current_bodies(today) if not b.notice_email]
    if not missing and not by_post:
        return []
    audit_record(
        actor=by,
        action=VotingAction.NOTICE_RECIPIENT_MISSING,
        target=ballot,
        data={"missing": missing, "by_post": [str(b) for b in by_post]},
    )
    mail_send(
        template="voting/notice_recipient_missing",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=secretariat_emails(),
        context={
            "reference": ballot.reference,
            "missing": missing,
            "by_post": [(str(b), b.notice_address) for b in by_post],
            "site_url": settings.SITE_URL,
        },
    )
    return missing


def declaration_notify(*, declaration: Declaration, by: User | None = None) -> int:
    """Owe the one 13.8 notice of a declaration, one e-mail per recipient (no one sees another's
    address); sent after the commit. A required recipient with no address is reported to the
    Secretariat. The Secretariat may send it again."""
    if by is not None:
        require(by, SECRETARIAT, doing="send notices of a declaration", rule="13.8")
    ballot = declaration.ballot
    today = timezone.localdate()
    context = declaration_context(declaration)
    recipients = notice_recipients(today)
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
    _warn_missing(ballot, by, today)
    return sent


def _voter_emails(ballot: Ballot) -> list[str]:
    parties = RollMember.objects.filter(roll_entry__ballot=ballot).values("party_id")
    voters = PartyRepresentative.objects.filter(
        party_id__in=parties, authorised_voter=True, confirmed_at__isnull=False
    ).exclude(user__email="")
    return sorted(set(voters.values_list("user__email", flat=True)))


def vote_open_notify(*, ballot: Ballot) -> int:
    """12.4.1: the Change Report goes to all Parties with the period within which votes must be
    cast; each authorised voter of a Group on the roll is told how to vote. Owed in the opening's
    transaction, sent after it commits; how many e-mails are owed."""
    if ballot.kind != BallotKind.PARTY_VOTE:
        return 0
    report = ballot.change_report
    context = {
        "reference": ballot.reference,
        "title": ballot.title,
        "matter": ballot.get_matter_display(),
        "eligible": ", ".join(ballot.eligible),
        "questions": [q.text for q in ballot.questions.order_by("position")],
        "opens": when(ballot.opens_at),
        "closes": when(ballot.closes_at),
        "window_direction": ballot.window_direction,
        "report_version": report.version if report is not None else None,
        "proposal_url": (
            f"{settings.SITE_URL}/changes/{ballot.reference.replace(' ', '-')}/"
            if ballot.proposal_id
            else ""
        ),
        "cast_url": f"{settings.SITE_URL}/my/votes/{ballot.pk}/",
        "site_url": settings.SITE_URL,
    }
    owed = [
        mail_send(
            template="voting/vote_open",
            to=[settings.SECRETARIAT_EMAIL],
            bcc=party_notice_emails(ballot.roll_date),
            context=context,
        ),
        mail_send(
            template="voting/vote_open_voter",
            to=[settings.SECRETARIAT_EMAIL],
            bcc=_voter_emails(ballot),
            context=context,
        ),
    ]
    return sum(1 for m in owed if m is not None)
