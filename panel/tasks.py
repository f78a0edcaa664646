"""Celery beat jobs of the Panel: vacancies by missed meetings or confirmations, reminders.

Each reloads what it needs and is safe to run twice. The names stay those the beat schedule
in dcusa/settings.py uses.
"""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .services import panel_secretary_remind, vacancies_detect


@shared_task
def detect_panel_vacancies() -> int:
    """Offices vacated by missed meetings (6.8.2) or missing confirmations (6.17)."""
    return len(vacancies_detect(on=timezone.localdate()))


@shared_task
def remind_panel_secretary() -> int:
    """Meeting due within three months (7.9) and minutes due within five Working Days (7.21)."""
    return panel_secretary_remind(timezone.localdate())
