"""Loads the demo: a fictional industry, proposals in every state, one vote open. Idempotent."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from panel.demo import seed_register

# Each later capability adds its own demo seeding here (module, function), run in this order.
EXTRA_SEEDERS = [
    ("panel.demo", "seed_panel"),
    ("changes.demo", "seed_changes"),
    ("voting.demo", "seed_voting"),
]


class Command(BaseCommand):
    help = "Create the demo data (safe to run again: nothing is duplicated)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's own notices are not news to anyone: keep them out of the console.
        logging.getLogger("celery").setLevel(logging.WARNING)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            logins = seed_register()
            for module_name, function_name in EXTRA_SEEDERS:
                try:
                    module = importlib.import_module(module_name)
                except ModuleNotFoundError:
                    continue
                getattr(module, function_name)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (one per role):")
        for login in logins:
            note = f"  [{login.note}]" if login.note else ""
            self.stdout.write(f"  {login.role:<52} {login.username:<12} {login.password}{note}")
        self.stdout.write(
            "Second factor: add the TOTP key to an authenticator app, or print the current code "
            "with: .venv/bin/python manage.py demo_totp USERNAME"
        )
