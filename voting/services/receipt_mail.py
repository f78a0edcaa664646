"""Receipt e-mails owed by casts: every log entry after its ballot's ReceiptCursor, in batches.

The cursor is the receipts' own durable "owed" record (a cast writes nothing for its receipt), so
they do not take an outbox row each: a batch is sent on one connection and the cursor moves in the
same transaction; if sending fails, the batch stays owed. The words are the mail template's
(templates/mail/voting/receipt.txt: subject line, blank line, body), rendered as plain text.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from panel.mail import mail_render
from panel.models import User

from ..cast_rules import category_label
from ..models import Ballot, Question, ReceiptCursor, RollEntry, VoteLogEntry
from .notices import receipt_context

RECEIPT_TEMPLATE = "voting/receipt"


def receipt_text(context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of a receipt, rendered by the one mail dispatcher's renderer."""
    return mail_render(RECEIPT_TEMPLATE, context)


def group_names(roll_entry_ids: set[object]) -> dict[object, str]:
    """'Group name (Party Category)' of each roll entry, in one query."""
    ids = [i for i in roll_entry_ids if isinstance(i, int)]
    rows = RollEntry.objects.filter(pk__in=ids).values_list("pk", "group_name", "category")
    return {pk: f"{name} ({category_label(category)})" for pk, name, category in rows}


def receipts_owed() -> int:
    """How many receipt e-mails are owed now (entries after each ballot's cursor)."""
    total = 0
    for length, sent in Ballot.objects.filter(chain_length__gt=0).values_list(
        "chain_length", "receipt_cursor__sent_through"
    ):
        total += length - (sent or 0)
    return total


def receipts_send_pending(limit: int = 500) -> int:
    """Send up to `limit` owed receipts per ballot, in log order; returns how many were sent.

    Each ballot's cursor row is locked with SKIP LOCKED, so two workers running this at once never
    send one receipt twice; if sending fails the transaction rolls back, the cursor stays where it
    was and the receipts are sent by the next run. A voter with no e-mail address still has the
    receipt on the page and in the API answer.
    """
    ballots = Ballot.objects.filter(
        Q(receipt_cursor__isnull=True, chain_length__gt=0)
        | Q(chain_length__gt=F("receipt_cursor__sent_through"))
    ).values_list("pk", flat=True)
    sent = 0
    for ballot_id in ballots:
        try:
            ReceiptCursor.objects.get_or_create(ballot_id=ballot_id)
        except IntegrityError:  # another worker created it at the same moment
            pass
        sent += _send_for_ballot(ballot_id, limit)
    return sent


def _send_for_ballot(ballot_id: int, limit: int) -> int:
    with transaction.atomic():
        cursor = (
            ReceiptCursor.objects.select_for_update(skip_locked=True)
            .filter(ballot_id=ballot_id)
            .first()
        )
        if cursor is None:
            return 0  # another worker is sending this ballot's receipts
        entries = list(
            VoteLogEntry.objects.filter(ballot_id=ballot_id, sequence__gt=cursor.sent_through)
            .select_related("ballot")
            .order_by("sequence")[:limit]
        )
        if not entries:
            return 0
        emails = dict(
            User.objects.filter(pk__in={e.payload.get("cast_by") for e in entries})
            .exclude(email="")
            .values_list("pk", "email")
        )
        questions = {q.pk: q for q in Question.objects.filter(ballot_id=ballot_id)}
        names = group_names({e.payload.get("roll_entry") for e in entries})
        messages = []
        for entry in entries:
            to = emails.get(entry.payload.get("cast_by"))
            if to:
                context = receipt_context(entry, questions)
                # The Group by its name, as the voter knows it, not its key (SUPPLIER:corporate:7).
                context["group"] = names.get(entry.payload.get("roll_entry"), context["group"])
                subject, body = receipt_text(context)
                messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))
        if messages:
            get_connection().send_messages(messages)
        cursor.sent_through = entries[-1].sequence
        cursor.save(update_fields=["sent_through"])
    return len(messages)
