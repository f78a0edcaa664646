"""The audit trail: every service writes one record in the same transaction as its change.

Each app names its audited events in one enumeration (`panel.audit.PanelAction`,
`changes.audit.ChangeAction`, `voting.audit.VotingAction`); `audit_record` takes a member of one
of them, never a free string, so every event has exactly one name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models

from .models import AuditRecord, User


class PanelAction(StrEnum):
    """The panel app's audited events: the register, N data, suspensions, the Panel at work."""

    # the register (Parties, categories, affiliations, sites, representatives, closure days)
    REGISTER_ROW_ADDED = "register.row_added"
    REGISTER_ROW_CHANGED = "register.row_changed"
    REGISTER_ROW_REMOVED = "register.row_removed"
    USER_ADDED = "user.added"
    USER_CHANGED = "user.changed"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_SECOND_FACTOR_SET_UP = "user.second_factor_set_up"
    USER_SECOND_FACTOR_VERIFIED = "user.second_factor_verified"
    USER_SECOND_FACTOR_REMOVED = "user.second_factor_removed"
    REPRESENTATIVE_CONFIRMED = "party_representative.confirmed"
    # a Party's authorised voters (12.4) and the codes that enrol their second factor
    AUTHORISED_VOTER_NOMINATED = "authorised_voter.nominated"
    AUTHORISED_VOTER_REMOVED = "authorised_voter.removed"
    VOTER_MANAGER_DESIGNATED = "party_representative.manages_voters"
    ENROLMENT_CODE_ISSUED = "enrolment_code.issued"
    ENROLMENT_CODE_USED = "enrolment_code.used"
    ENROLMENT_CODE_REFUSED = "enrolment_code.refused"
    # N data (12.11-12.12)
    METERING_SNAPSHOT_RECORDED = "metering_snapshot.recorded"
    METERING_SNAPSHOT_IMPORTED = "metering_snapshot.imported"
    # suspension (54.3-54.4)
    SUSPENSION_RECORDED = "suspension.recorded"
    SUSPENSION_RESTORED = "suspension.restored"
    SUSPENSION_NOTIFIED = "suspension.notified"
    # Panel offices (Clause 6, 7.1)
    APPOINTMENT_CREATED = "panel.appointment.create"
    APPOINTMENT_ENDED = "panel.appointment.end"
    VACANCY_ARISEN = "panel.vacancy"
    VACANCY_DETECTED = "panel.vacancy.detected"
    PANEL_CHAIR_APPOINTED = "panel.chair.appoint"
    # meetings (7.9-7.18)
    MEETING_CONVENED = "panel.meeting.convene"
    MEETING_NOTICE_SENT = "panel.meeting.notice_sent"
    AGENDA_ITEM_ADDED = "panel.agenda.add"
    OBSERVER_REGISTERED = "panel.observer.register"
    ATTENDANCE_RECORDED = "panel.attendance.record"
    # resolutions (7.19-7.23)
    RESOLUTION_TAKEN = "panel.resolution.take"
    RESOLUTION_WRITTEN = "panel.resolution.written"
    RESOLUTION_CARRIED_OUT = "panel.resolution.effect"
    RESOLUTION_NOTIFIED = "panel.resolution.notified"
    # minutes (7.21-7.22)
    MINUTES_DRAFTED = "panel.minutes.draft"
    MINUTES_CIRCULATED = "panel.minutes.circulate"
    MINUTES_OBJECTION = "panel.minutes.objection"
    MINUTES_APPROVED = "panel.minutes.approve"
    MINUTES_PUBLISHED = "panel.minutes.publish"
    # the Standing Issues Group (Schedule 7)
    SIG_CHAIR_APPOINTED = "sig.chair.appoint"
    SIG_MEETING_SCHEDULED = "sig.meeting.schedule"
    SIG_ISSUE_RAISED = "sig.issue.raise"
    SIG_ISSUE_CHAIR_DECISION = "sig.issue.chair_decision"
    SIG_ISSUE_CONVERTED = "sig.issue.converted"
    SIG_OUTCOME_RECORDED = "sig.outcome"
    SIG_MINUTES_CIRCULATED = "sig.minutes.circulate"


def audit_record(
    *,
    actor: User | None,
    action: StrEnum,
    target: models.Model,
    data: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditRecord:
    """`label` names the target when only its primary key is at hand (default: str(target))."""
    if not isinstance(action, StrEnum):
        raise TypeError(f"audit actions come from an enumeration, not {action!r}")
    actor_obj = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditRecord.objects.create(
        actor=actor_obj,
        action=action.value,
        target_type=target._meta.label,
        target_id=str(target.pk),
        target_label=(str(target) if label is None else label)[:300],
        data=data or {},
    )
