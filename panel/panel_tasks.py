"""The Panel's beat jobs, kept importable here for CELERY_IMPORTS (they live in panel.tasks)."""

from .tasks import detect_panel_vacancies as detect_panel_vacancies
from .tasks import remind_panel_secretary as remind_panel_secretary
