"""Loads the demo: a fictional industry, proposals in every state, one vote open. Idempotent."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from changes.demo import seed_changes
from panel.demo import seed_panel, seed_register
from voting.demo import seed_voting

# After the register: the Panel, then proposals in every state, then the votes on them.
SEEDERS = (seed_panel, seed_changes, seed_voting)


class Command(BaseCommand):
    help = "Create the demo data (safe to run again: nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's own notices are not news to anyone: keep them out of the console.
        logging.getLogger("celery").setLevel(logging.WARNING)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            logins = seed_register()
            for seed in SEEDERS:
                seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (one per role):")
        for login in logins:
            note = f"  [{login.note}]" if login.note else ""
            self.stdout.write(f"  {login.role:<52} {login.username:<12} {login.password}{note}")
        self.stdout.write(
            "Second factor: add the TOTP key to an authenticator app, or print the current code "
            "with: .venv/bin/python manage.py demo_totp USERNAME"
        )
