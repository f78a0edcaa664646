"""Panel resolutions, at a meeting or in writing, with each Panel Member's vote (7.19-7.23)."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from .meetings import PanelMeeting
from .seats import PanelAppointment


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
        # A record of the Panel's decision (7.23): only what it carried out is written later.
        triggers = [
            pgtrigger.ReadOnly(name="resolution_effect_only", exclude=["effect"]),
            pgtrigger.Protect(name="resolution_not_deleted", operation=pgtrigger.Delete),
        ]
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
        triggers = [
            pgtrigger.Protect(
                name="resolution_vote_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]
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

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="resolution_conflict_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment.display_name}: {self.note}"
