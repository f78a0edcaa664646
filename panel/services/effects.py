"""What the panel app itself carries out when a resolution passes: suspension and
restoration of a Party's rights (54.3-54.4) and the appointment of the Panel Chair (7.1).

Suspension and restoration go through the one suspension service, so a resolution is refused
(and rolled back) on the same rules as the admin: no overlap, no end before the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..audit import PanelAction
from ..errors import Conflict, DomainError
from ..models import PanelAppointment, PanelChair, Resolution, ResolutionKind, User
from .common import audited_create, d
from .suspensions import suspension_live, suspension_record, suspension_restore


def _payload_date(resolution: Resolution, key: str, default: dt.date | None) -> dt.date | None:
    value = resolution.payload.get(key)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(f"'{key}' must be a date (YYYY-MM-DD).", field=key) from exc


def _suspend(resolution: Resolution, by: User) -> str:
    """The Breaching Party may not exercise election and voting rights for the period (54.3)."""
    party = resolution.target_party
    if party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    start = _payload_date(resolution, "valid_from", resolution.decided_on) or resolution.decided_on
    end = _payload_date(resolution, "valid_to", None)
    suspension_record(
        by=by,
        party=party,
        valid_from=start,
        valid_to=end,
        panel_resolution=resolution.reference,
        reason=str(resolution.payload.get("reason", resolution.title)),
        notify=False,  # the resolution's own notice goes to the Authority and the Parties
    )
    until = f" until {d(end)}" if end else " until the Panel restores them (54.4)"
    return f"{party.name}'s election and voting rights suspended from {d(start)}{until} (54.3)."


def _restore(resolution: Resolution, by: User) -> str:
    """No Event of Default continues: the restrictions cease (54.4)."""
    party = resolution.target_party
    if party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    restored = (
        _payload_date(resolution, "restored_on", resolution.decided_on) or resolution.decided_on
    )
    live = suspension_live(party, restored)
    if not live:
        raise Conflict(f"{party.name}'s rights are not suspended.")
    for suspension in live:
        suspension_restore(
            by=by,
            suspension=suspension,
            restored_on=restored,
            note=f"Restored by {resolution.reference}.",
            notify=False,
        )
    return f"{party.name}'s election and voting rights restored on {d(restored)} (54.4)."


def _appoint_panel_chair(resolution: Resolution, by: User) -> str:
    candidate = PanelAppointment.objects.select_related("person").get(
        pk=resolution.payload["appointment_id"]
    )
    on = resolution.decided_on
    PanelChair.objects.select_for_update().filter(ended_on__isnull=True).update(
        ended_on=on, end_reason=PanelChair.EndReason.REPLACED
    )
    audited_create(
        PanelChair,
        by=by,
        action=PanelAction.PANEL_CHAIR_APPOINTED,
        appointment=candidate,
        resolution=resolution,
        appointed_on=on,
        authority_consent=bool(resolution.payload.get("authority_consent")),
    )
    return f"{candidate.display_name} appointed Panel Chair from {d(on)} (7.1)."


BUILT_IN_EFFECTS: dict[str, Callable[[Resolution, User], str]] = {
    ResolutionKind.SUSPENSION: _suspend,
    ResolutionKind.RESTORATION: _restore,
    ResolutionKind.PANEL_CHAIR: _appoint_panel_chair,
}
