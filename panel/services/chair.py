"""The Panel Chair: chosen by a simple majority of the Panel Members at a meeting (7.1-7.4)."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import Conflict, DomainError
from ..models import PanelAppointment, PanelChair, PanelMeeting, Resolution, ResolutionKind, User
from .common import ensure_live_member, ensure_secretariat
from .resolutions import resolution_take


def panel_chair_choose(
    *,
    by: User,
    meeting: PanelMeeting,
    candidate: PanelAppointment,
    votes: Mapping[int, str],
    authority_consent: bool = False,
) -> Resolution:
    """Appoint the Panel Chair by a simple majority of the Panel Members (7.1); no casting vote (7.4).

    A Panel Member removed from the office is reappointed only with the Authority's prior
    consent (7.2). Each member's vote is recorded as for any resolution (7.23).
    """
    ensure_secretariat(by, doing="record the Panel's choice of Chair (7.1)")
    ensure_live_member(
        candidate,
        on=meeting.meeting_date,
        field="candidate",
        what="The Panel Chair is a Panel Member (7.1)",
    )
    removed = PanelChair.objects.filter(
        appointment__person=candidate.person,
        end_reason__in=[
            PanelChair.EndReason.REMOVED_BY_PANEL,
            PanelChair.EndReason.REMOVED_BY_AUTHORITY,
        ],
    ).exists()
    if removed and not authority_consent:
        raise DomainError(
            f"{candidate.display_name} was removed from the office of Panel Chair and may not be "
            "reappointed without the Authority's prior consent (7.2).",
            field="authority_consent",
            rule="7.2",
        )
    current = PanelChair.objects.filter(ended_on__isnull=True).first()
    if current is not None and current.appointment_id == candidate.pk:
        raise Conflict(f"{candidate.display_name} is already the Panel Chair.", field="candidate")
    return resolution_take(
        by=by,
        meeting=meeting,
        kind=ResolutionKind.PANEL_CHAIR,
        title=f"Appointment of {candidate.display_name} as Panel Chair",
        votes=votes,
        payload={"appointment_id": candidate.pk, "authority_consent": authority_consent},
    )
