"""Consultations, their questions, responses and answers (11.14.1, 11.17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import Party

from .documents import ChangeDocument
from .groups import WorkingGroup
from .proposals import ChangeProposal
from .voids import Voidable, VoidableManager, void_has_reason

User = settings.AUTH_USER_MODEL


class Consultation(models.Model):
    """A consultation on a proposal (11.14.1), the final consultation draft among them (11.17)."""

    proposal = models.ForeignKey(
        ChangeProposal, on_delete=models.PROTECT, related_name="consultations"
    )
    working_group = models.ForeignKey(
        WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=250)
    final_draft = models.BooleanField(
        default=False, help_text="The final consultation draft (11.17)."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    documents = models.ManyToManyField(ChangeDocument, blank=True, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    response_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="consultation_closes_after_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} {self.title}"


class ConsultationQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="one_question_number")
        ]

    def __str__(self) -> str:
        return f"Q{self.number}"


class ConsultationInvitation(models.Model):
    """Someone the Working Group invites to respond besides the Parties and the Consumer Body
    (11.14.1): they see the consultation on their own page and may answer it."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="invitations"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consultation_invites")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.consultation}"


class ConsultationResponse(Voidable):
    """A response to a consultation; one entered by mistake is marked void and no longer counts.

    A respondent's own response starts as a draft and is submitted before the close; it may be
    changed until the close (each change audited)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not yet submitted)"
        SUBMITTED = "submitted", "Submitted"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_name = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was submitted online (system clock)."
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    confidential = models.BooleanField(
        default=False, help_text="The whole response is confidential (57.3)."
    )
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    late_agreed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who recorded the Working Group's agreement to a late response.",
    )
    late_agreed_on = models.DateField(null=True, blank=True)

    objects = VoidableManager()

    class Meta:
        ordering = ["submitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late=False) | ~Q(late_reason=""),
                name="late_response_has_reason",
                violation_error_message="A late response is accepted only with a recorded reason.",
            ),
            models.UniqueConstraint(
                fields=["consultation", "party"],
                condition=Q(party__isnull=False, voided_on__isnull=True),
                name="one_response_per_party",
            ),
            void_has_reason("consultation_response_void_has_reason"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="submitted_response_has_date",
                violation_error_message="A submitted response has the date it was submitted.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_name} on {self.consultation}"


class ConsultationAnswer(models.Model):
    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ConsultationQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField()
    confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response} Q{self.question.number}"
