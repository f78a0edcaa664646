"""The Celery app: every deadline and scheduled job runs through it (beat schedule in settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcusa.settings")

app = Celery("dcusa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
