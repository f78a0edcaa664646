"""Scheduled and after-commit jobs of the voting app: each takes ids, reloads, is safe to rerun."""

from __future__ import annotations

from celery import shared_task

from .models import Declaration
from .services import ballots_close_due, declaration_notify, reminders_send
from .services.integrity import ballots_verify_open
from .services.receipt_mail import receipts_send_pending


@shared_task(name="voting.tasks.close_due_ballots")
def close_due_ballots() -> list[int]:
    """Every minute: close each ballot whose window has ended (exactly once), then declare it."""
    return ballots_close_due()


@shared_task(name="voting.tasks.send_vote_reminders")
def send_vote_reminders() -> int:
    """Each morning: remind Groups that have not voted (once per configured day-mark)."""
    return reminders_send()


@shared_task(name="voting.tasks.send_pending_receipts")
def send_pending_receipts() -> int:
    """Every few seconds (and after each cast when there is no broker): send owed receipts."""
    return receipts_send_pending()


@shared_task(name="voting.tasks.send_declaration_notice")
def send_declaration_notice(declaration_id: int) -> int:
    declaration = Declaration.objects.select_related("ballot").filter(pk=declaration_id).first()
    if declaration is None:
        return 0
    return declaration_notify(declaration=declaration, by=None)


@shared_task(name="voting.tasks.verify_open_ballots")
def verify_open_ballots() -> int:
    """Every half hour: check each open ballot's chain and current votes, recording each check;
    the Secretariat is told once of each new disagreement (voting.services.integrity)."""
    return ballots_verify_open()
