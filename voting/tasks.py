"""Scheduled and after-commit jobs of the voting app: each takes ids, reloads, is safe to rerun."""

from __future__ import annotations

from celery import shared_task

from .models import Declaration, VoteLogEntry


@shared_task(name="voting.tasks.close_due_ballots")
def close_due_ballots() -> list[int]:
    """Every minute: close each ballot whose window has ended (exactly once), then declare it."""
    from .services import ballots_close_due

    return ballots_close_due()


@shared_task(name="voting.tasks.send_vote_reminders")
def send_vote_reminders() -> int:
    """Each morning: remind Groups that have not voted (once per configured day-mark)."""
    from .services import reminders_send

    return reminders_send()


@shared_task(name="voting.tasks.send_vote_receipt")
def send_vote_receipt(log_entry_id: int) -> int:
    """E-mail the receipt of a cast to the voter who cast it."""
    from .services.declaring import _send
    from .services.notices import receipt_text

    entry = VoteLogEntry.objects.select_related("ballot").filter(pk=log_entry_id).first()
    if entry is None:
        return 0
    from panel.models import User

    user = User.objects.filter(pk=entry.payload.get("cast_by")).first()
    if user is None or not user.email:
        return 0
    subject, body = receipt_text(entry)
    return _send([user.email], subject, body)


@shared_task(name="voting.tasks.send_declaration_notice")
def send_declaration_notice(declaration_id: int) -> int:
    from .services import declaration_notify

    declaration = Declaration.objects.select_related("ballot").filter(pk=declaration_id).first()
    if declaration is None:
        return 0
    return declaration_notify(declaration=declaration, by=None)
