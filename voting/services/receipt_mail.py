"""Receipt e-mails owed by casts (PendingReceipt rows), sent in batches and then removed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from panel.models import User

from ..models import PendingReceipt, Question, VoteLogEntry
from .notices import receipt_text


def receipts_send_pending(limit: int = 500) -> int:
    """Send up to `limit` owed receipts, oldest first, and remove them; returns how many were sent.

    Rows are locked with SKIP LOCKED, so two workers running this at once never send one receipt
    twice; if sending fails the transaction rolls back and the receipts stay owed for the next run.
    A voter with no e-mail address still has the receipt on the page and in the API response.
    """
    with transaction.atomic():
        owed = list(
            PendingReceipt.objects.select_for_update(skip_locked=True)
            .order_by("log_entry_id")
            .values_list("log_entry_id", flat=True)[:limit]
        )
        if not owed:
            return 0
        entries = list(
            VoteLogEntry.objects.filter(pk__in=owed).select_related("ballot").order_by("pk")
        )
        emails = dict(
            User.objects.filter(pk__in={e.payload.get("cast_by") for e in entries})
            .exclude(email="")
            .values_list("pk", "email")
        )
        questions: dict[int, dict[int, Question]] = {}
        for q in Question.objects.filter(ballot_id__in={e.ballot_id for e in entries}):
            questions.setdefault(q.ballot_id, {})[q.pk] = q
        messages = []
        for entry in entries:
            to = emails.get(entry.payload.get("cast_by"))
            if to:
                subject, body = receipt_text(entry, questions.get(entry.ballot_id, {}))
                messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))
        if messages:
            get_connection().send_messages(messages)
        PendingReceipt.objects.filter(log_entry_id__in=owed).delete()
    return len(messages)
