"""The Panel at work: seats, members, Alternates, meetings, resolutions, the Standing Issues Group.

Models here are part of the panel app (imported at the end of panel/models.py).
Clauses 5.5-5.9 (composition), 6 (Panel Members, Alternates, vacancies), 7.1-7.23 (meetings,
quorum, resolutions, minutes), 54.3-54.7 (suspension), Schedule 7 (Standing Issues Group).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import IsNull
from simple_history.models import HistoricalRecords

__all__ = [
    "AgendaItem",
    "Constituency",
    "IssueForm",
    "MeetingAttendance",
    "MeetingObserver",
    "MeetingPaper",
    "MinutesObjection",
    "NonVotingAppointment",
    "NonVotingBody",
    "OfficeRole",
    "PanelAppointment",
    "PanelChair",
    "PanelMeeting",
    "PanelMinutes",
    "PanelVacancy",
    "Resolution",
    "ResolutionConflict",
    "ResolutionKind",
    "ResolutionVote",
    "SigChair",
    "SigMeeting",
    "SigOutcome",
    "SEATS",
    "term_end_for",
]


class Constituency(models.TextChoices):
    """Who elected (or appointed) the holder of a Panel office (5.5)."""

    DNO = "DNO", "elected by the DNO Parties"
    IDNO_OTSO = "IDNO_OTSO", "elected by the IDNO/OTSO Parties"
    SUPPLIER = "SUPPLIER", "elected by the Supplier Parties"
    CVA = "CVA", "elected by the CVA Registrants"
    AUTHORITY = "AUTHORITY", "appointed by the Authority (5.8)"


# Offices per constituency (5.5); the Authority appointee is optional and has no Alternate.
SEATS: dict[str, int] = {
    Constituency.DNO: 2,
    Constituency.IDNO_OTSO: 1,
    Constituency.SUPPLIER: 2,
    Constituency.CVA: 1,
    Constituency.AUTHORITY: 1,
}


class OfficeRole(models.TextChoices):
    MEMBER = "MEMBER", "Panel Member"
    ALTERNATE = "ALTERNATE", "Alternate"


class AppointedUnder(models.TextChoices):
    ELECTION = "ELECTION", "annual election (6.2-6.3)"
    AUTHORITY_SELECTION = "AUTHORITY_SELECTION", "selected by the Authority (6.4)"
    STEP_UP = "STEP_UP", "Alternate appointed to a vacant office (6.9)"
    BY_ELECTION = "BY_ELECTION", "by-election (6.9.2, 6.14)"
    AUTHORITY_5_8 = "AUTHORITY_5_8", "appointed by the Authority (5.8)"


class EndReason(models.TextChoices):
    RETIRED = "RETIRED", "retired at the end of the term (6.7, 6.10)"
    RESIGNED = "RESIGNED", "resigned by notice in writing (6.8.1)"
    MISSED_MEETINGS = "MISSED_MEETINGS", "failed to attend consecutive meetings (6.8.2)"
    LEFT_CATEGORY = "LEFT_CATEGORY", "ceased to be employed within the Party Category (6.8.3)"
    DISQUALIFIED = "DISQUALIFIED", "bankruptcy, disqualification, conviction or detention (6.8)"
    DIED = "DIED", "died (6.8)"
    NOT_CONFIRMED = "NOT_CONFIRMED", "did not confirm in writing within 20 Working Days (6.17)"
    STEPPED_UP = "STEPPED_UP", "appointed Panel Member in a vacant office (6.9, 6.14)"
    REMOVED_BY_AUTHORITY = "REMOVED_BY_AUTHORITY", "removed by the Authority (5.8)"


def term_end_for(appointed_from: dt.date) -> dt.date:
    """Retirement on 1 December in the second year following appointment (6.7)."""
    return dt.date(appointed_from.year + 2, 12, 1)


class PanelAppointmentQuerySet(models.QuerySet):
    def live_on(self, day: dt.date) -> PanelAppointmentQuerySet:
        return self.filter(appointed_from__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class PanelAppointment(models.Model):
    """One person holding one Panel office for a period: the register of members (7.7.2).

    Rows are never deleted: a person leaving gets `ended_on` and `end_reason`, so the register
    keeps its history. `term_ends` is computed (6.7; 6.10 for a replacement; none under 5.8).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_appointments"
    )
    role = models.CharField(max_length=12, choices=OfficeRole.choices)
    constituency = models.CharField(max_length=12, choices=Constituency.choices)
    seat = models.PositiveSmallIntegerField(default=1, help_text="Office number in its category.")
    employer = models.ForeignKey(
        "panel.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the employer is not a Party (6.8.3.2-6.8.3.3).",
    )
    employer_name = models.CharField(max_length=200, blank=True)
    allocated_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_alternates",
        help_text="For an Alternate: the Panel Member it is allocated to (6.11).",
    )
    appointed_under = models.CharField(
        max_length=24, choices=AppointedUnder.choices, default=AppointedUnder.ELECTION
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    elected_on = models.DateField(null=True, blank=True)
    confirmed_on = models.DateField(
        null=True, blank=True, help_text="Written confirmations of 6.17 received."
    )
    appointed_from = models.DateField()
    term_ends = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = PanelAppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["constituency", "seat", "role", "-appointed_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "seat", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_live_holder_per_panel_office",
                violation_error_message="That office already has a holder.",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_live_panel_office_per_person",
                violation_error_message="No one person can hold more than one office (5.6).",
            ),
            models.CheckConstraint(
                condition=(
                    Q(constituency__in=["DNO", "SUPPLIER"], seat__in=[1, 2])
                    | Q(constituency__in=["IDNO_OTSO", "CVA", "AUTHORITY"], seat=1)
                ),
                name="panel_seat_within_category_allowance",
                violation_error_message="5.5 gives 2 DNO, 1 IDNO/OTSO, 2 Supplier, 1 CVA seats.",
            ),
            models.CheckConstraint(
                condition=~Q(constituency="AUTHORITY", role="ALTERNATE"),
                name="authority_appointee_has_no_alternate",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("appointed_from")),
                name="panel_appointment_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""),
                name="panel_appointment_end_has_reason",
                violation_error_message="Say why the office ended.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.get_role_display()} {self.office_label}"

    def save(self, *args, **kwargs) -> None:
        if self.term_ends is None:
            if self.replaces is not None and self.appointed_under == AppointedUnder.STEP_UP:
                self.term_ends = self.replaces.term_ends  # 6.10: the rest of the term
            elif self.appointed_under != AppointedUnder.AUTHORITY_5_8:
                self.term_ends = term_end_for(self.appointed_from)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.person.get_full_name() or self.person.username

    @property
    def office_label(self) -> str:
        return f"{self.get_constituency_display()} (seat {self.seat})"

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name


class PanelVacancy(models.Model):
    """An office fallen vacant (6.8, 6.17) and how it is being filled (6.9, 6.14)."""

    class Outcome(models.TextChoices):
        ALTERNATE_STEPPED_UP = "ALTERNATE_STEPPED_UP", "Alternate appointed (6.9.1)"
        BY_ELECTION_NEEDED = "BY_ELECTION_NEEDED", "election needed (6.9.2, 6.14)"
        FILLED = "FILLED", "filled"
        AUTHORITY_MAY_APPOINT = "AUTHORITY_MAY_APPOINT", "the Authority may appoint (5.8)"

    vacated = models.OneToOneField(
        PanelAppointment, on_delete=models.PROTECT, related_name="vacancy"
    )
    arose_on = models.DateField()
    reason = models.CharField(max_length=24, choices=EndReason.choices)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    filled_by = models.ForeignKey(
        PanelAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-arose_on"]
        verbose_name_plural = "Panel vacancies"

    def __str__(self) -> str:
        return f"Vacancy {self.vacated.office_label} from {self.arose_on}"


class NonVotingBody(models.TextChoices):
    """Those entitled to attend and speak but not vote (5.7)."""

    AUTHORITY = "AUTHORITY", "the Authority"
    NETSO = "NETSO", "the National Electricity Transmission System Operator"
    CONSUMER_BODY = "CONSUMER_BODY", "the Consumer Body"
    BSCCO = "BSCCO", "BSCCo (by invitation)"
    RECCO = "RECCO", "RECCo (by invitation)"
    SECCO = "SECCO", "SECCo (by invitation)"


class NonVotingAppointment(models.Model):
    body = models.CharField(max_length=16, choices=NonVotingBody.choices)
    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointed_from = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["body", "-appointed_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(ended_on__isnull=True),
                name="one_live_appointee_per_body",
                violation_error_message="Each body appoints one person at a time (5.7).",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.get_body_display()}"


class PanelMeeting(models.Model):
    """A meeting of the Panel (7.9-7.23)."""

    class Status(models.TextChoices):
        SCHEDULED = "SCHEDULED", "scheduled"
        NOTICE_GIVEN = "NOTICE_GIVEN", "notice given"
        HELD = "HELD", "held"
        CANCELLED = "CANCELLED", "cancelled"

    reference = models.CharField(max_length=40, unique=True)
    meeting_date = models.DateField()
    starts_at = models.TimeField(default=dt.time(10, 0))
    venue = models.CharField(max_length=200, help_text="Or the call details (7.13).")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    notice_given_on = models.DateField(null=True, blank=True)
    short_notice_basis = models.CharField(
        max_length=300,
        blank=True,
        help_text="The Section 1C requirement allowing less than five Working Days' notice (7.14).",
    )
    requisitioned_by = models.ForeignKey(
        PanelAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requisition_received_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requisitioned_by__isnull=True)
                | Q(requisition_received_on__isnull=False),
                name="requisition_has_received_date",
            ),
            models.CheckConstraint(
                condition=Q(notice_given_on__isnull=True)
                | Q(notice_given_on__lte=models.F("meeting_date")),
                name="notice_before_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.meeting_date:%d %b %Y})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        PanelAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(null=True, blank=True)
    minutes_objection = models.BooleanField(
        default=False, help_text="Disagreement with the last minutes: first item (7.22)."
    )
    confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingPaper(models.Model):
    """A supporting paper sent with the notice (7.15); confidential ones stay off the Website (57.1)."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    title = models.CharField(max_length=300)
    document_url = models.URLField(blank=True)
    summary = models.TextField(blank=True)
    confidential = models.BooleanField(default=False)
    circulated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "title"]

    def __str__(self) -> str:
        return self.title


class MeetingAttendance(models.Model):
    """Who came: a Panel Member, or an Alternate acting for an absent one (6.12-6.13).

    A row with present=False records apologies. An Alternate is due to attend when its allocated
    member is absent, or when `due` is set (6.8.2).
    """

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    appointment = models.ForeignKey(
        PanelAppointment, on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(default=True)
    acting_for = models.ForeignKey(
        PanelAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.BooleanField(default=False, help_text="An Alternate asked to attend.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "appointment"], name="one_attendance_row_per_person"
            ),
            models.UniqueConstraint(
                fields=["meeting", "acting_for"],
                condition=Q(acting_for__isnull=False),
                name="one_alternate_acts_per_member",
                violation_error_message="Another Alternate already acts for that member.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} at {self.meeting.reference}"


class MeetingObserver(models.Model):
    """A Party's representative admitted as an observer on two Working Days' notice (7.18)."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="observers")
    name = models.CharField(max_length=200)
    party = models.ForeignKey("panel.Party", on_delete=models.PROTECT, related_name="+")
    notice_given_on = models.DateField()

    class Meta:
        ordering = ["meeting", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.party.short_code})"


class PanelMinutes(models.Model):
    """Minutes: circulated within five Working Days (7.21), published once approved (5.3.10)."""

    meeting = models.OneToOneField(PanelMeeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField()
    confidential = models.BooleanField(default=False)
    circulated_on = models.DateField(null=True, blank=True)
    approved_at = models.ForeignKey(
        PanelMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-meeting__meeting_date"]
        verbose_name_plural = "Panel minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (Q(approved_on__isnull=False) & Q(confidential=False)),
                name="only_approved_open_minutes_published",
                violation_error_message="Only approved, non-confidential minutes are published.",
            )
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting.reference}"


class MinutesObjection(models.Model):
    minutes = models.ForeignKey(PanelMinutes, on_delete=models.PROTECT, related_name="objections")
    by = models.ForeignKey(PanelAppointment, on_delete=models.PROTECT, related_name="+")
    items = models.TextField(help_text="The items of the minutes disagreed with.")
    received_on = models.DateField()
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="objection"
    )

    def __str__(self) -> str:
        return f"Objection to {self.minutes} by {self.by.display_name}"


class ResolutionKind(models.TextChoices):
    GENERAL = "GENERAL", "general"
    SUSPENSION = "SUSPENSION", "suspension of a Party's rights (54.3)"
    RESTORATION = "RESTORATION", "restoration of a Party's rights (54.4)"
    PART_DETERMINATION = "PART_DETERMINATION", "Part 1 / Part 2 determination"
    WORKING_GROUP = "WORKING_GROUP", "Working Group set-up"
    SEND_BACK = "SEND_BACK", "Change Report sent back"
    SUBMIT_TO_VOTE = "SUBMIT_TO_VOTE", "Change Report submitted to the vote"
    IMPLEMENTATION_TIMETABLE = "IMPLEMENTATION_TIMETABLE", "implementation timetable"
    PANEL_CHAIR = "PANEL_CHAIR", "appointment of the Panel Chair (7.1)"


CLAUSE_54_KINDS = (ResolutionKind.SUSPENSION, ResolutionKind.RESTORATION)


class Resolution(models.Model):
    """A decision of the Panel (7.19) or a written resolution signed by all (7.20).

    Each Panel Member's vote is recorded (7.23). `payload` carries what the kind needs;
    change-proposal kinds are carried out by a handler the changes app registers.
    """

    meeting = models.ForeignKey(
        PanelMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions"
    )
    reference = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=32, choices=ResolutionKind.choices)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    target_ids = models.JSONField(default=list, blank=True)
    target_party = models.ForeignKey(
        "panel.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written = models.BooleanField(default=False)
    passed = models.BooleanField()
    present = models.PositiveSmallIntegerField(help_text="Panel Members present and acting.")
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField()
    effect = models.TextField(blank=True)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(written=True) | Q(meeting__isnull=False),
                name="resolution_at_meeting_or_written",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["SUSPENSION", "RESTORATION"])
                | Q(target_party__isnull=False),
                name="clause_54_resolution_names_party",
                violation_error_message="Name the Breaching Party.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ResolutionVote(models.Model):
    class Choice(models.TextChoices):
        FOR = "FOR", "for"
        AGAINST = "AGAINST", "against"
        ABSTAIN = "ABSTAIN", "abstain"

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(
        PanelAppointment, on_delete=models.PROTECT, related_name="+", help_text="The office."
    )
    cast_by = models.ForeignKey(
        PanelAppointment,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The member, or the Alternate acting for them.",
    )
    choice = models.CharField(max_length=8, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "member"], name="one_vote_per_member_per_resolution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cast_by.display_name}: {self.choice}"


class ResolutionConflict(models.Model):
    """A conflict noted on a resolution; under 54.7 the member does not act."""

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="conflicts")
    appointment = models.ForeignKey(PanelAppointment, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300)
    excluded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.appointment.display_name}: {self.note}"


class PanelChair(models.Model):
    """The Panel Member appointed Panel Chair by a simple majority of the Panel Members (7.1-7.2).

    Rows are never deleted: a Chair replaced or removed gets `ended_on` and `end_reason`.
    """

    class EndReason(models.TextChoices):
        REPLACED = "REPLACED", "another Panel Member appointed (7.1)"
        REMOVED_BY_PANEL = "REMOVED_BY_PANEL", "removed by a simple majority of the Panel (7.2)"
        REMOVED_BY_AUTHORITY = "REMOVED_BY_AUTHORITY", "removed at the Authority's direction (7.2)"
        LEFT_PANEL = "LEFT_PANEL", "ceased to be a Panel Member"

    appointment = models.ForeignKey(
        PanelAppointment, on_delete=models.PROTECT, related_name="chair_terms"
    )
    resolution = models.OneToOneField(
        "panel.Resolution", on_delete=models.PROTECT, related_name="panel_chair"
    )
    appointed_on = models.DateField()
    authority_consent = models.BooleanField(
        default=False, help_text="The Authority consented to reappointment after removal (7.2)."
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-appointed_on"]
        constraints = [
            models.UniqueConstraint(
                IsNull(models.F("ended_on"), True),
                condition=Q(ended_on__isnull=True),
                name="one_live_panel_chair",
                violation_error_message="The Panel has one Panel Chair at a time (7.1).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment.display_name}, Panel Chair from {self.appointed_on}"


# --- DCUSA Standing Issues Group (Schedule 7) ---


class SigChair(models.Model):
    """The independent Chair, appointed by the Panel for a 12-month term (Schedule 7, 4)."""

    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField()
    term_ends = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    appointing_resolution = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-appointed_on"]
        constraints = [
            models.UniqueConstraint(
                IsNull(models.F("ended_on"), True),
                condition=Q(ended_on__isnull=True),
                name="one_live_sig_chair",
                violation_error_message="The Standing Issues Group has one Chair at a time.",
            ),
            models.CheckConstraint(
                condition=Q(term_ends__gt=models.F("appointed_on")), name="sig_chair_term_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (Chair to {self.term_ends})"


class SigMeeting(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    meeting_date = models.DateField()
    emergency = models.BooleanField(default=False)
    notice_given_on = models.DateField(null=True, blank=True)
    agenda_circulated_on = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    attending = models.PositiveSmallIntegerField(default=0)
    minutes = models.TextField(blank=True)
    minutes_circulated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-meeting_date"]
        verbose_name = "Standing Issues Group meeting"

    def __str__(self) -> str:
        return f"{self.reference} ({self.meeting_date:%d %b %Y})"


class IssueForm(models.Model):
    """A DCUSA Issue Form (Schedule 7, 8)."""

    class Status(models.TextChoices):
        LOGGED = "LOGGED", "logged"
        ON_AGENDA = "ON_AGENDA", "on the agenda"
        AWAITING_CHAIR = "AWAITING_CHAIR", "late: at the Chair's discretion"
        DECLINED_LATE = "DECLINED_LATE", "late: held to a later meeting"
        CLOSED = "CLOSED", "closed"
        CONVERTED = "CONVERTED", "raised as a Change Proposal"

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField()
    raised_by_party = models.ForeignKey(
        "panel.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="issue_forms"
    )
    raised_by_other = models.CharField(
        max_length=200, blank=True, help_text="The Panel, or another person named in 10.2."
    )
    raised_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField()
    meeting = models.ForeignKey(
        SigMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.LOGGED)
    converted_to_reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-raised_on", "-reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(raised_by_party__isnull=False) | ~Q(raised_by_other=""),
                name="issue_form_names_who_raised_it",
                violation_error_message="Say who raised the issue.",
            ),
            models.CheckConstraint(
                condition=~Q(status="CONVERTED") | ~Q(converted_to_reference=""),
                name="converted_issue_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class SigOutcome(models.Model):
    """A recommendation agreed by majority consensus of those attending (Schedule 7, 9)."""

    meeting = models.ForeignKey(SigMeeting, on_delete=models.PROTECT, related_name="outcomes")
    issue = models.ForeignKey(IssueForm, on_delete=models.PROTECT, related_name="outcomes")
    recommendation = models.TextField()
    attending = models.PositiveSmallIntegerField()
    in_favour = models.PositiveSmallIntegerField()
    agreed = models.BooleanField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(in_favour__lte=models.F("attending")), name="sig_favour_le_attending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue.reference} at {self.meeting.reference}"
