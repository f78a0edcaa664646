"""Writes to the register tables: Parties, categories, affiliations, sites, representatives,
closure days, users and roles. Each checks permission, validates, saves and audits in one
transaction, so the admin's forms are no back door.

Register rows are ended by a date, not deleted; only a closure day (a calendar entry) and a
representative link (a person no longer acting for a Party) can be removed, and that is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django_otp.models import Device

from ..audit import PanelAction, audit_record
from ..errors import Conflict, DomainError
from ..models import (
    ClosureDay,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    User,
)
from .common import ensure_secretariat
from .dates import check_date
from .voters import authorised_voter_confirm

REMOVABLE = (ClosureDay, PartyRepresentative)
_UNSHOWN = {"password"}  # changed, but its value never goes in the audit trail


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date | dt.datetime | Decimal):
        return str(value)
    return str(value)


def _values(row: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def _changes(before: dict[str, Any] | None, row: models.Model) -> dict[str, Any]:
    after = _values(row)
    changed = {}
    for name, value in after.items():
        if name == row._meta.pk.attname or (before is not None and before.get(name) == value):
            continue
        changed[name] = "(changed)" if name in _UNSHOWN else _plain(value)
    return changed


def membership_check(*, party: Party, category: str) -> None:
    """The Crowded Meter Room Coordinator is a Party with no Party Category: it never votes."""
    if party.is_crowded_meter_room_coordinator:
        raise DomainError(
            f"{party.name} is the Crowded Meter Room Coordinator: it holds no Party Category "
            "and does not vote.",
            field="category",
            rule="cmr_coordinator_has_no_category",
        )


def register_row_check(*, row: models.Model) -> None:
    """Raise DomainError naming the field if the register row breaks a rule (no writes)."""
    if isinstance(row, PartyCategoryMembership) and row.party_id:
        membership_check(party=row.party, category=row.category)
    if isinstance(row, Party) and row.is_crowded_meter_room_coordinator and row.pk:
        if PartyCategoryMembership.objects.filter(party=row).exists():
            raise DomainError(
                f"{row.name} holds a Party Category: end it before recording the Party as the "
                "Crowded Meter Room Coordinator, which holds none.",
                field="is_crowded_meter_room_coordinator",
                rule="cmr_coordinator_has_no_category",
            )


def register_dates_check(*, row: models.Model) -> None:
    """Every date of a register row (a closure day, an accession, a termination, a Party
    Category held from and to) lies within 1990-2200: refused naming the field."""
    for f in row._meta.concrete_fields:
        value = getattr(row, f.attname, None)
        if isinstance(f, models.DateField) and isinstance(value, dt.date):
            check_date(
                value.date() if isinstance(value, dt.datetime) else value,
                field=f.name,
                what=f"the {f.verbose_name}",
            )


def _rules(row: models.Model) -> None:
    register_dates_check(row=row)
    register_row_check(row=row)
    if isinstance(row, PartyRepresentative) and not row.authorised_voter:
        # Withdrawing a nomination also withdraws its confirmation (12.4).
        row.confirmed_at, row.confirmed_by = None, None


def register_row_save(*, by: User, row: models.Model) -> models.Model:
    """Add or change one register row; the audit record lists the fields that changed."""
    ensure_secretariat(by, doing=f"change the register ({row._meta.verbose_name})")
    if isinstance(row, User):
        return user_save(by=by, user=row)
    _rules(row)
    try:
        row.full_clean(validate_unique=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == "__all__" else field) from exc
    with transaction.atomic():
        _save_changed(
            row,
            by=by,
            added=PanelAction.REGISTER_ROW_ADDED,
            changed=PanelAction.REGISTER_ROW_CHANGED,
        )
    return row


def _save_changed(
    row: models.Model, *, by: User, added: PanelAction, changed: PanelAction
) -> tuple[dict[str, Any] | None, bool]:
    """Save a new or changed row, its audit record naming the fields that changed; an unchanged
    row is not saved. Returns the row's values before and whether it was saved."""
    found = type(row)._default_manager.filter(pk=row.pk).values().first() if row.pk else None
    before = dict(found) if found else None
    fields = _changes(before, row)
    if before is not None and not fields:
        return before, False
    row.save()
    audit_record(
        actor=by, action=changed if before else added, target=row, data={"changed": fields}
    )
    return before, True


def register_row_remove(*, by: User, row: models.Model, reason: str = "") -> None:
    """Remove a closure day or a representative link; other register rows are end-dated."""
    ensure_secretariat(by, doing=f"remove a {row._meta.verbose_name}")
    if not isinstance(row, REMOVABLE):
        raise Conflict(
            f"A {row._meta.verbose_name} is never deleted: give it an end date instead.",
            rule="end_date_not_delete",
        )
    with transaction.atomic():
        audit_record(
            actor=by,
            action=PanelAction.REGISTER_ROW_REMOVED,
            target=row,
            data={"row": {k: _plain(v) for k, v in _values(row).items()}, "reason": reason},
        )
        row.delete()


def user_save(*, by: User, user: User) -> User:
    """Add or change a user account; a change of role has its own audit record."""
    ensure_secretariat(by, doing="change user accounts and roles")
    with transaction.atomic():
        before, saved = _save_changed(
            user, by=by, added=PanelAction.USER_ADDED, changed=PanelAction.USER_CHANGED
        )
        if not saved:
            return user
        old_role = before["role"] if before else None
        if old_role != user.role:
            audit_record(
                actor=by,
                action=PanelAction.USER_ROLE_CHANGED,
                target=user,
                data={"from": old_role, "to": user.role},
            )
    return user


def second_factor_remove(*, by: User, device: Device, reason: str = "") -> None:
    """Remove a lost authenticator so its owner sets up a new one at the next sign-in."""
    ensure_secretariat(by, doing="remove a second-factor device")
    owner = device.user
    with transaction.atomic():
        audit_record(
            actor=by,
            action=PanelAction.USER_SECOND_FACTOR_REMOVED,
            target=owner,
            data={"device": device.name, "kind": device._meta.label, "reason": reason},
        )
        device.delete()


def representative_confirm(*, by: User, link: PartyRepresentative) -> PartyRepresentative:
    """The Secretariat confirms a Party's nomination of an authorised voter (12.4)."""
    return authorised_voter_confirm(by=by, link=link)
