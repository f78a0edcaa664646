"""The scheduled jobs: every beat entry names a task the worker has registered."""

from __future__ import annotations

from django.conf import settings

from dcusa.celery import app


def _registered() -> set[str]:
    app.loader.import_default_modules()
    return set(app.tasks)


def test_every_scheduled_job_is_a_registered_task() -> None:
    registered = _registered()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - registered == set()


def test_the_mail_dispatcher_tasks_are_registered() -> None:
    assert {"panel.mail.deliver_mail", "panel.mail.deliver_owed_mail"} <= _registered()
