"""manage.py import_metering FILE [--by USERNAME]: import metering snapshots (12.11-12.12).

All-or-nothing: on any problem every problem is printed, nothing is imported and the
command exits non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from panel.errors import DomainError
from panel.models import User
from panel.services import metering_import


class Command(BaseCommand):
    help = (
        "Import metering snapshots from a CSV file with the columns party, category, "
        "metering_points, as_of, received_on and optionally source. Nothing is imported "
        "if any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="The Secretariat user recorded as having imported the data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user is called '{options['by']}'.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.")
        try:
            report = metering_import(by=by, file=data, source=path.name)
        except DomainError as exc:
            raise CommandError(exc.message)
        if not report.ok:
            raise CommandError("\n".join(report.lines()))
        for line in report.lines():
            self.stdout.write(self.style.SUCCESS(line))
