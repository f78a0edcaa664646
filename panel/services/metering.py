"""N data: recording received metering point counts, one by one or by CSV import (12.11-12.12)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from .. import importers
from ..audit import PanelAction
from ..errors import Conflict, DomainError
from ..importers import METERING_CATEGORIES, ImportReport
from ..models import Category, MeteringSnapshot, Party, PartyCategoryMembership, User
from .common import audited_create, ensure_secretariat


def metering_snapshot_check(
    *,
    party: Party,
    category: str,
    metering_points: int,
    as_of: dt.date,
    received_on: dt.date,
    source: str,
    today: dt.date | None = None,
) -> None:
    """Raise DomainError naming the field if the snapshot cannot be recorded (no writes)."""
    today = today or timezone.localdate()
    if category not in METERING_CATEGORIES:
        raise DomainError(
            "Metering data are recorded only for DNO Parties and Supplier Parties; a CVA "
            "Registrant's N comes from its sites in the Party Details (12.11).",
            field="category",
            rule="category_has_no_metering_data",
        )
    if isinstance(metering_points, bool) or not isinstance(metering_points, int):
        raise DomainError(
            "Give a whole number of metering points.", field="metering_points", rule="whole_number"
        )
    if metering_points < 0:
        raise DomainError(
            "The number of metering points cannot be negative.",
            field="metering_points",
            rule="whole_number",
        )
    if received_on > today:
        raise DomainError(
            f"{received_on:%d %B %Y} is in the future; data cannot be received after today.",
            field="received_on",
            rule="not_in_future",
        )
    if received_on < as_of:
        raise DomainError(
            f"The data cannot be received ({received_on:%d %B %Y}) before the day they "
            f"describe ({as_of:%d %B %Y}).",
            field="received_on",
            rule="not_before_as_of",
        )
    if not source.strip():
        raise DomainError("Say where the data came from.", field="source", rule="required")
    if not party.is_party_on(as_of):
        raise DomainError(
            f"{party.name} was not a Party on {as_of:%d %B %Y}.",
            field="party",
            rule="not_a_party_on_as_of",
        )
    holds = (
        PartyCategoryMembership.objects.on(as_of).filter(party=party, category=category).exists()
    )
    if not holds:
        raise DomainError(
            f"{party.name} did not hold the {Category(category).label} category on "
            f"{as_of:%d %B %Y}; N is recorded only for a category the Party holds.",
            field="category",
            rule="party_holds_category",
        )
    if MeteringSnapshot.objects.filter(
        party=party,
        category=category,
        as_of=as_of,
        received_on=received_on,
        metering_points=metering_points,
    ).exists():
        raise Conflict(
            "This count is already recorded (same Party, category, dates and number).",
            field="metering_points",
            rule="already_recorded",
        )


def metering_snapshot_record(
    *,
    by: User,
    party: Party,
    category: str,
    metering_points: int,
    as_of: dt.date,
    received_on: dt.date,
    source: str,
) -> MeteringSnapshot:
    """Record a received count of metering points (append-only evidence for N, 12.12)."""
    ensure_secretariat(by, doing="record metering data")
    with transaction.atomic():
        metering_snapshot_check(
            party=party,
            category=category,
            metering_points=metering_points,
            as_of=as_of,
            received_on=received_on,
            source=source,
        )
        snapshot = audited_create(
            MeteringSnapshot,
            by=by,
            action=PanelAction.METERING_SNAPSHOT_RECORDED,
            data={"as_of": str(as_of), "received_on": str(received_on), "source": source},
            party=party,
            category=category,
            metering_points=metering_points,
            as_of=as_of,
            received_on=received_on,
            source=source.strip(),
            recorded_by=by,
        )
    return snapshot


def metering_import(
    *,
    by: User | None,
    rows: Iterable[Mapping[str, object]] | None = None,
    file: bytes | IO[bytes] | None = None,
    source: str = "",
    today: dt.date | None = None,
) -> ImportReport:
    """Import metering snapshots from a CSV file or rows: every row, or none (all-or-nothing).

    `by` is None only for a server operator running `manage.py import_metering` without
    --by (shell access to the server is already trusted); everyone else must be the
    Secretariat. Row problems come back in the report; nothing is written then.
    """
    if by is not None:
        ensure_secretariat(by, doing="import metering data")
    if (rows is None) == (file is None):
        raise DomainError("Give either a file or rows to import.", field="file", rule="required")
    today = today or timezone.localdate()
    if file is not None:
        data = file if isinstance(file, bytes) else file.read()
        name = source or Path(getattr(file, "name", "") or "upload.csv").name
    else:
        name = source or "rows"
        headers, records = importers.rows_from_mappings(rows or [])

    with transaction.atomic():
        if file is not None:
            checked = importers.check_file(data, default_source=name, today=today)
        else:
            checked = importers.check_rows(headers, records, default_source=name, today=today)
        if checked.errors:
            return ImportReport(source=name, errors=checked.errors)
        for row in checked.rows:
            audited_create(
                MeteringSnapshot,
                by=by,
                action=PanelAction.METERING_SNAPSHOT_IMPORTED,
                data={
                    "file": name,
                    "row": row.row,
                    "as_of": str(row.as_of),
                    "received_on": str(row.received_on),
                    "via": "import" if by is not None else "manage.py import_metering",
                },
                party_id=row.party_id,
                category=row.category,
                metering_points=row.metering_points,
                as_of=row.as_of,
                received_on=row.received_on,
                source=row.source,
                recorded_by=by,
            )
    return ImportReport(source=name, imported=len(checked.rows))
