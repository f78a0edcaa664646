"""Panel meetings: notice, agenda, papers, attendance, observers, minutes (7.9-7.22)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .seats import PanelAppointment


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
