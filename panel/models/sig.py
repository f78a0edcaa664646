"""The DCUSA Standing Issues Group: its Chair, meetings, Issue Forms and outcomes (Schedule 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import IsNull


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
