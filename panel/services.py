"""Writes to the register: each checks permission, validates, audits in the same transaction.

Callers (admin, API, the import_metering command) stay thin and call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from . import importers
from .audit import audit_record
from .errors import Conflict, DomainError, NotAllowed
from .importers import METERING_CATEGORIES, ImportReport
from .models import (
    Category,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    Suspension,
    User,
)


def ensure_secretariat(user: User | None, *, doing: str, rule: str = "secretariat_only") -> None:
    """Writes that are the Secretariat's (7.36-7.41); refuse anyone else."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_secretariat:
        raise NotAllowed(f"Only the Secretariat may {doing}.", rule=rule)


# --- Metering data (12.11-12.12) ----------------------------------------------------------


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
        snapshot = MeteringSnapshot.objects.create(
            party=party,
            category=category,
            metering_points=metering_points,
            as_of=as_of,
            received_on=received_on,
            source=source.strip(),
            recorded_by=by,
        )
        audit_record(
            actor=by,
            action="metering_snapshot.recorded",
            target=snapshot,
            data={"as_of": str(as_of), "received_on": str(received_on), "source": source},
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
            snapshot = MeteringSnapshot.objects.create(
                party_id=row.party_id,
                category=row.category,
                metering_points=row.metering_points,
                as_of=row.as_of,
                received_on=row.received_on,
                source=row.source,
                recorded_by=by,
            )
            audit_record(
                actor=by,
                action="metering_snapshot.imported",
                target=snapshot,
                data={
                    "file": name,
                    "row": row.row,
                    "as_of": str(row.as_of),
                    "received_on": str(row.received_on),
                    "via": "import" if by is not None else "manage.py import_metering",
                },
            )
    return ImportReport(source=name, imported=len(checked.rows))


# --- Suspension (54.3-54.4) ---------------------------------------------------------------


def suspension_check(
    *,
    party: Party,
    valid_from: dt.date,
    panel_resolution: str,
    valid_to: dt.date | None = None,
    exclude_pk: int | None = None,
) -> None:
    """Raise DomainError naming the field if this suspension cannot be recorded (no writes)."""
    if not panel_resolution.strip():
        raise DomainError(
            "Name the Panel resolution that suspended the Party (54.3).",
            field="panel_resolution",
            rule="required",
        )
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "Rights cannot be restored before the suspension starts.",
            field="valid_to",
            rule="period_ordered",
        )
    if not party.is_party_on(valid_from):
        raise DomainError(
            f"{party.name} is not a Party on {valid_from:%d %B %Y}.",
            field="valid_from",
            rule="not_a_party",
        )
    end = valid_to or dt.date.max
    overlapping = (
        Suspension.objects.filter(party=party, valid_from__lte=end)
        .exclude(valid_to__lt=valid_from)
        .exclude(pk=exclude_pk)
    )
    clash = overlapping.first()
    if clash is not None:
        raise Conflict(
            f"{party.name} is already suspended from {clash.valid_from:%d %B %Y} "
            f"({clash.panel_resolution}); record the restoration of that suspension first.",
            field="valid_from",
            rule="one_suspension_at_a_time",
        )


def suspension_record(
    *,
    by: User,
    party: Party,
    valid_from: dt.date,
    panel_resolution: str,
    reason: str = "",
    valid_to: dt.date | None = None,
) -> Suspension:
    """Record the Panel's suspension of a Party's election and voting rights (54.3-54.4).

    While suspended the Party is treated as if it were not a Party for Clause 6 and Section 1C:
    `panel.selectors.groups_of` leaves it out of its Group.
    """
    ensure_secretariat(by, doing="record a suspension")
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=party.pk).first()
        suspension_check(
            party=party, valid_from=valid_from, valid_to=valid_to, panel_resolution=panel_resolution
        )
        suspension = Suspension.objects.create(
            party=party,
            valid_from=valid_from,
            valid_to=valid_to,
            panel_resolution=panel_resolution.strip(),
            reason=reason,
        )
        audit_record(
            actor=by,
            action="suspension.recorded",
            target=suspension,
            data={
                "valid_from": str(valid_from),
                "valid_to": str(valid_to) if valid_to else None,
                "panel_resolution": panel_resolution,
            },
        )
    return suspension


def suspension_restore(*, by: User, suspension: Suspension, restored_on: dt.date) -> Suspension:
    """Record the day a suspended Party's rights end (54.4: restored on application)."""
    ensure_secretariat(by, doing="record the restoration of rights")
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        # valid_to is the last day suspended: rights are back on the day of restoration.
        last_day = max(restored_on - dt.timedelta(days=1), suspension.valid_from)
        if suspension.valid_to is not None:
            raise Conflict(
                f"This suspension already ends on {suspension.valid_to:%d %B %Y}.",
                field="valid_to",
                rule="already_restored",
            )
        suspension_check(
            party=suspension.party,
            valid_from=suspension.valid_from,
            valid_to=last_day,
            panel_resolution=suspension.panel_resolution,
            exclude_pk=suspension.pk,
        )
        suspension.valid_to = last_day
        suspension.save(update_fields=["valid_to"])
        audit_record(
            actor=by,
            action="suspension.restored",
            target=suspension,
            data={"valid_to": str(restored_on)},
        )
    return suspension


# --- Authorised voters (12.4) -------------------------------------------------------------


def representative_confirm(*, by: User, link: PartyRepresentative) -> PartyRepresentative:
    """The Secretariat confirms a Party's nomination of an authorised voter (12.4)."""
    ensure_secretariat(by, doing="confirm authorised voters")
    with transaction.atomic():
        link = (
            PartyRepresentative.objects.select_for_update()
            .select_related("user", "party")
            .get(pk=link.pk)
        )
        if not link.authorised_voter:
            raise DomainError(
                f"{link.party.name} has not nominated {link.user} as an authorised voter; "
                "record the nomination first.",
                field="authorised_voter",
                rule="nominated_first",
            )
        if link.confirmed_at is not None:
            raise Conflict(
                f"{link.user} was already confirmed as an authorised voter for "
                f"{link.party.name} on {timezone.localtime(link.confirmed_at):%d %B %Y}.",
                field="confirmed_at",
                rule="already_confirmed",
            )
        if not link.user.is_active:
            raise DomainError(
                f"{link.user}'s account is inactive.", field="user", rule="active_account"
            )
        link.confirmed_at = timezone.now()
        link.confirmed_by = by
        link.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_record(
            actor=by,
            action="party_representative.confirmed",
            target=link,
            data={"party": link.party.short_code, "user": link.user.username},
        )
    return link
