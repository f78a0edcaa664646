"""manage.py enrolment_code USERNAME: the first one-time enrolment code of a Secretariat account.

A new deployment's first Secretariat user has nobody to issue its code: whoever runs the server
issues it here (an operator with shell access). Only for a Secretariat account that has no
confirmed second factor yet; every later code is issued on the Secretariat's own page. The code
is printed once; the issue is audited like any other.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.errors import DomainError
from panel.models import User
from panel.services.enrolment import enrolment_code_issue


class Command(BaseCommand):
    help = (
        "Print a one-time code with which a Secretariat user without a second factor enrols one "
        "(the first account of a new deployment)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The Secretariat user's user name.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: no user '{options['username']}'.")
        if not user.is_secretariat:
            raise CommandError(
                "username: only a Secretariat account gets its code here; the Secretariat issues "
                "everyone else's on its page."
            )
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CommandError(
                f"username: {user} already has a second factor; issue codes on the Secretariat's "
                "page."
            )
        try:
            code = enrolment_code_issue(user=user, by=user)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'username'}: {exc.message}") from exc
        self.stdout.write(f"Enrolment code for {user.username} (shown once): {code}")
