"""Suspension of a Party's election and voting rights and its restoration (54.3-54.4).

The one path for every suspension: the admin, the API and the Panel's resolutions all call
`suspension_record` / `suspension_restore`, which check the period, audit, and give the notice
to the Authority and the Parties.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from ..audit import PanelAction, audit_record
from ..errors import Conflict, DomainError
from ..mail import mail_send
from ..models import Party, Suspension, User
from ..selectors import party_notice_emails
from .common import audited_create, audited_save, ensure_secretariat, today


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


def _notify(template: str, suspension: Suspension, *, by: User) -> None:
    """The Panel notifies the Authority and all the Parties (54.3, 54.4)."""
    mail_send(
        template=template,
        to=[settings.AUTHORITY_EMAIL],
        bcc=party_notice_emails(today()),
        context={"suspension": suspension, "party": suspension.party},
    )
    audit_record(
        actor=by,
        action=PanelAction.SUSPENSION_NOTIFIED,
        target=suspension,
        data={"template": template},
    )


def suspension_record(
    *,
    by: User,
    party: Party,
    valid_from: dt.date,
    panel_resolution: str,
    reason: str = "",
    valid_to: dt.date | None = None,
    notify: bool = True,
) -> Suspension:
    """Record the Panel's suspension of a Party's election and voting rights (54.3-54.4).

    While suspended the Party is treated as if it were not a Party for Clause 6 and Section 1C:
    `panel.selectors.groups_of` leaves it out of its Group. `notify=False` when the notice goes
    with the Panel's resolution instead.
    """
    ensure_secretariat(by, doing="record a suspension")
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=party.pk).first()
        suspension_check(
            party=party, valid_from=valid_from, valid_to=valid_to, panel_resolution=panel_resolution
        )
        suspension = audited_create(
            Suspension,
            by=by,
            action=PanelAction.SUSPENSION_RECORDED,
            data={
                "valid_from": str(valid_from),
                "valid_to": str(valid_to) if valid_to else None,
                "panel_resolution": panel_resolution,
            },
            party=party,
            valid_from=valid_from,
            valid_to=valid_to,
            panel_resolution=panel_resolution.strip(),
            reason=reason,
        )
        if notify:
            _notify("panel/suspension_notice", suspension, by=by)
    return suspension


def suspension_restore(
    *,
    by: User,
    suspension: Suspension,
    restored_on: dt.date,
    note: str = "",
    notify: bool = True,
) -> Suspension:
    """Record the day a suspended Party's rights are restored (54.4).

    A suspension with a last day later than the restoration is shortened to it.
    """
    ensure_secretariat(by, doing="record the restoration of rights")
    with transaction.atomic():
        suspension = (
            Suspension.objects.select_for_update().select_related("party").get(pk=suspension.pk)
        )
        # valid_to is the last day suspended: rights are back on the day of restoration.
        last_day = max(restored_on - dt.timedelta(days=1), suspension.valid_from)
        if suspension.valid_to is not None and suspension.valid_to <= last_day:
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
        fields = ["valid_to"]
        if note:
            suspension.reason = f"{suspension.reason}\n{note}".strip()
            fields.append("reason")
        audited_save(
            suspension,
            fields,
            by=by,
            action=PanelAction.SUSPENSION_RESTORED,
            data={"valid_to": str(restored_on)},
        )
        if notify:
            _notify("panel/restoration_notice", suspension, by=by)
    return suspension


def suspension_live(party: Party, on: dt.date) -> list[Suspension]:
    """The Party's suspensions in force on or after the day (for a restoration, 54.4)."""
    return list(
        Suspension.objects.filter(party=party).exclude(valid_to__lt=on).order_by("valid_from")
    )
