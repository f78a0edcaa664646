"""Reads about the Panel at work that pages, services and tasks share (Clauses 5-7, Schedule 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from ..calendar import WorkingDayCalendar
from ..models import (
    Affiliation,
    IssueForm,
    MeetingAttendance,
    OfficeRole,
    PanelAppointment,
    PanelChair,
    PanelMeeting,
    PanelMinutes,
    Resolution,
    SigMeeting,
    SigOutcome,
)
from ..panel_rules import (
    Attendee,
    MeetingRecord,
    MemberOffice,
    QuorumResult,
    assess_quorum,
    next_meeting_due_by,
    notice_is_enough,
    seat_holders,
)

NOTICE_WORKING_DAYS = 5  # 7.14


# --- who may see what (checked on the server for every page) ---


# --- the register of members (7.7.2) ---


def live_appointments(on: dt.date) -> QuerySet[PanelAppointment]:
    return (
        PanelAppointment.objects.live_on(on)
        .select_related("person", "employer", "allocated_to__person")
        .order_by("constituency", "seat", "role")
    )


def public_register(on: dt.date) -> QuerySet[PanelAppointment]:
    """Names, category, employer and term end: no contact details (57.1)."""
    return live_appointments(on)


def register_history() -> QuerySet[PanelAppointment]:
    return PanelAppointment.objects.select_related("person", "employer").order_by(
        "constituency", "seat", "role", "-appointed_from"
    )


def member_offices(on: dt.date) -> list[MemberOffice]:
    """Live Panel Member offices with their allocated Alternates (6.11); two queries."""
    live = list(PanelAppointment.objects.live_on(on).select_related("person"))
    alternates: dict[int, list[int]] = {}
    for a in live:
        if a.role == OfficeRole.ALTERNATE and a.allocated_to_id:
            alternates.setdefault(a.allocated_to_id, []).append(a.pk)
    return [
        MemberOffice(
            member_id=a.pk,
            name=a.display_name,
            constituency=a.constituency,
            allocated_alternate_ids=tuple(sorted(alternates.get(a.pk, []))),
        )
        for a in live
        if a.role == OfficeRole.MEMBER
    ]


def meeting_attendees(meeting: PanelMeeting) -> list[Attendee]:
    rows = meeting.attendance.filter(present=True).select_related("appointment__person")
    return [
        Attendee(
            appointment_id=r.appointment_id,
            name=r.appointment.display_name,
            is_alternate=r.appointment.role == OfficeRole.ALTERNATE,
            constituency=r.appointment.constituency,
            acting_for=r.acting_for_id,
        )
        for r in rows
    ]


def clause_54_disqualified(party_id: int, on: dt.date) -> set[int]:
    """Appointments employed by the Breaching Party or an Affiliate of it (54.7)."""
    groups = Affiliation.objects.on(on).filter(party_id=party_id).values("corporate_group_id")
    affiliates = set(
        Affiliation.objects.on(on)
        .filter(corporate_group_id__in=groups)
        .values_list("party_id", flat=True)
    )
    affiliates.add(party_id)
    return set(
        PanelAppointment.objects.live_on(on)
        .filter(employer_id__in=affiliates)
        .values_list("pk", flat=True)
    )


def meeting_quorum(meeting: PanelMeeting, disqualified: Iterable[int] = ()) -> QuorumResult:
    holders = seat_holders(
        member_offices(meeting.meeting_date), meeting_attendees(meeting), disqualified
    )
    return assess_quorum(holders)


def duly_convened(meeting: PanelMeeting, calendar: WorkingDayCalendar | None = None) -> bool:
    """Convened by notice of five Working Days, or shorter where Section 1C requires (7.14)."""
    if meeting.status == PanelMeeting.Status.CANCELLED or meeting.notice_given_on is None:
        return False
    if meeting.short_notice_basis:
        return True
    closures = (calendar or WorkingDayCalendar.load()).closures
    return notice_is_enough(
        meeting.notice_given_on, meeting.meeting_date, NOTICE_WORKING_DAYS, closures
    )


def attendance_records(
    appointment: PanelAppointment,
    meetings: list[PanelMeeting],
    rows: dict[tuple[int, int], MeetingAttendance],
) -> list[MeetingRecord]:
    """Duly convened meetings the person was due to attend during their office (6.8.2).

    A Panel Member is due at every one; an Alternate when its allocated member was absent,
    or when asked (`due`).
    """
    records: list[MeetingRecord] = []
    for m in meetings:
        if m.meeting_date < appointment.appointed_from:
            continue
        own = rows.get((m.pk, appointment.pk))
        attended = bool(own and own.present)
        if appointment.role == OfficeRole.ALTERNATE:
            member_row = rows.get((m.pk, appointment.allocated_to_id or 0))
            member_absent = not (member_row and member_row.present)
            due = bool(own and own.due) or (appointment.allocated_to_id and member_absent)
            if not due and not attended:
                continue
        records.append(MeetingRecord(m.pk, m.meeting_date, attended))
    return records


def held_duly_convened_meetings(up_to: dt.date) -> list[PanelMeeting]:
    calendar = WorkingDayCalendar.load()
    held = PanelMeeting.objects.filter(
        status=PanelMeeting.Status.HELD, meeting_date__lte=up_to
    ).order_by("meeting_date", "pk")
    return [m for m in held if duly_convened(m, calendar)]


# --- meetings ---


def meetings_list() -> QuerySet[PanelMeeting]:
    return PanelMeeting.objects.order_by("-meeting_date")


def meeting_detail(pk: int) -> PanelMeeting:
    return (
        PanelMeeting.objects.prefetch_related(
            "agenda",
            "papers",
            "observers__party",
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related(
                    "appointment__person", "acting_for__person"
                ),
            ),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.prefetch_related(
                    "votes__member__person", "votes__cast_by__person", "conflicts__appointment"
                ).order_by("reference"),
            ),
        )
        .select_related("requisitioned_by__person")
        .get(pk=pk)
    )


def next_meeting_warning(today: dt.date) -> str:
    """Warn when no meeting is scheduled within three months of the last one (7.9)."""
    last = (
        PanelMeeting.objects.filter(status=PanelMeeting.Status.HELD)
        .order_by("-meeting_date")
        .first()
    )
    if last is None:
        return ""
    due_by = next_meeting_due_by(last.meeting_date)
    scheduled = (
        PanelMeeting.objects.exclude(status=PanelMeeting.Status.CANCELLED)
        .filter(meeting_date__gt=last.meeting_date, meeting_date__lte=due_by)
        .exists()
    )
    if scheduled:
        return ""
    return (
        f"The Panel must meet at least once every three months (7.9): the last meeting was on "
        f"{last.meeting_date:%-d %B %Y} and no meeting is scheduled on or before "
        f"{due_by:%-d %B %Y}."
    )


def current_panel_chair() -> PanelChair | None:
    """The Panel Member appointed Panel Chair (7.1), if any."""
    return (
        PanelChair.objects.filter(ended_on__isnull=True)
        .select_related("appointment__person", "resolution")
        .first()
    )


def meeting_minutes(meeting: PanelMeeting) -> PanelMinutes | None:
    return (
        PanelMinutes.objects.filter(meeting=meeting)
        .select_related("approved_at")
        .prefetch_related("objections__by__person", "objections__agenda_item__meeting")
        .first()
    )


def written_resolutions() -> QuerySet[Resolution]:
    """Resolutions in writing signed by all the Panel Members (7.20), with who signed (7.23)."""
    return (
        Resolution.objects.filter(written=True)
        .select_related("target_party")
        .prefetch_related("votes__member__person")
        .order_by("-decided_on", "-reference")
    )


def later_meetings(meeting: PanelMeeting) -> QuerySet[PanelMeeting]:
    """Meetings at which minutes of `meeting` may be approved."""
    return PanelMeeting.objects.filter(meeting_date__gt=meeting.meeting_date).exclude(
        status=PanelMeeting.Status.CANCELLED
    )


def live_members(on: dt.date) -> QuerySet[PanelAppointment]:
    return live_appointments(on).filter(role=OfficeRole.MEMBER)


def public_minutes() -> QuerySet[PanelMinutes]:
    """Approved, non-confidential minutes on the Website (5.3.10, 57.1)."""
    return (
        PanelMinutes.objects.filter(published_on__isnull=False, confidential=False)
        .select_related("meeting")
        .prefetch_related("meeting__resolutions")
    )


def next_open_meeting(after: dt.date) -> PanelMeeting | None:
    return (
        PanelMeeting.objects.filter(
            meeting_date__gt=after,
            status__in=[PanelMeeting.Status.SCHEDULED, PanelMeeting.Status.NOTICE_GIVEN],
        )
        .order_by("meeting_date")
        .first()
    )


# --- Standing Issues Group (Schedule 7) ---


def next_sig_meeting(after: dt.date) -> SigMeeting | None:
    return (
        SigMeeting.objects.filter(meeting_date__gt=after, cancelled=False)
        .order_by("meeting_date")
        .first()
    )


def sig_meetings() -> QuerySet[SigMeeting]:
    return SigMeeting.objects.order_by("-meeting_date")


def sig_meeting_detail(pk: int) -> SigMeeting:
    return SigMeeting.objects.prefetch_related(
        Prefetch("issues", queryset=IssueForm.objects.select_related("raised_by_party")),
        Prefetch("outcomes", queryset=SigOutcome.objects.select_related("issue")),
    ).get(pk=pk)


def issue_forms() -> QuerySet[IssueForm]:
    return IssueForm.objects.select_related("raised_by_party", "meeting")


def issue_form_as_proposal_fields(issue: IssueForm) -> dict[str, Any]:
    """The issue's fields for the changes app to start a Change Proposal from (Schedule 7, 8.5)."""
    return {
        "title": issue.title,
        "description": issue.description,
        "raised_by": issue.raised_by_party_id,
        "raised_by_other": issue.raised_by_other,
        "issue_reference": issue.reference,
    }


def panel_people_emails(on: dt.date) -> list[str]:
    emails = PanelAppointment.objects.live_on(on).exclude(person__email="")
    return sorted(set(emails.values_list("person__email", flat=True)))
