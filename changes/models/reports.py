"""Change Reports (11.19-11.24) and alternative variations (11.18, 11.20.6(C), 11.23)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .consultations import ConsultationResponse
from .groups import WorkingGroupMember
from .proposals import ChangeProposal
from .voids import Voidable, VoidableManager, void_has_reason

User = settings.AUTH_USER_MODEL


class AlternativeVariation(Voidable):
    """An alternative variation (11.18, 11.20.6(C)); lettered A/B when added to the report (11.23.3).
    One added in error is withdrawn (marked void) with the reason; its letter is kept."""

    class Source(models.TextChoices):
        WORKING_GROUP = "working_group", "A Working Group member (11.18)"
        RESPONDENT = "respondent", "A consultation respondent (11.20.6(C))"
        PROPOSER = "proposer", "The Proposer (11.18)"

    proposal = models.ForeignKey(
        ChangeProposal, on_delete=models.PROTECT, related_name="alternatives"
    )
    letter = models.CharField(max_length=1, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    put_forward_by = models.CharField(max_length=200)
    by_proposer = models.BooleanField(default=False)
    working_group_member = models.ForeignKey(
        WorkingGroupMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consultation_response = models.ForeignKey(
        ConsultationResponse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    legal_text = models.TextField(blank=True)
    why_original_is_better = models.TextField(blank=True, help_text="11.20.6(C)")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VoidableManager()

    class Meta:
        ordering = ["letter", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "letter"],
                condition=~Q(letter="") & Q(voided_on__isnull=True),
                name="one_alternative_letter",
            ),
            models.CheckConstraint(
                condition=Q(letter__in=["", "A", "B"]),
                name="at_most_two_alternatives_on_the_report",
                violation_error_message="At most two alternatives are added to a Change Report.",
            ),
            models.CheckConstraint(
                condition=(Q(source="working_group") & Q(working_group_member__isnull=False))
                | (Q(source="respondent") & Q(consultation_response__isnull=False))
                | Q(source="proposer", by_proposer=True),
                name="alternative_from_member_or_respondent",
                violation_error_message=(
                    "Alternatives come only from Working Group members or consultation "
                    "respondents, or from the Proposer (11.18, 11.20.6(C))."
                ),
            ),
            void_has_reason("alternative_void_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference}{self.letter}" if self.letter else self.description[:50]

    @property
    def reference(self) -> str:
        return f"{self.proposal.reference}{self.letter}"


class ChangeReport(models.Model):
    """A version of the Change Report (11.19-11.24); every version is kept."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField()
    eligible_categories = models.JSONField(
        default=list, help_text="Codes; IDNO and OTSO separable (11.20.2)."
    )
    variation = models.TextField(help_text="The proposed variation (11.20.3).")
    effects = models.TextField(help_text="11.20.4")
    implementation_date = models.DateField(help_text="11.20.5")
    ghg_statement = models.TextField(blank=True)
    case_for = models.TextField(blank=True, help_text="Why it better facilitates the Objectives.")
    case_against = models.TextField(blank=True)
    consultation_summary = models.TextField(blank=True, help_text="11.20.6(B)")
    responses_location = models.URLField(blank=True)
    authority_part_opinion = models.PositiveSmallIntegerField(null=True, blank=True)
    alternatives = models.ManyToManyField(AlternativeVariation, blank=True, related_name="reports")
    sent_to_authority_on = models.DateField(null=True, blank=True)
    authority_exempted_wait = models.BooleanField(
        default=False, help_text="The Authority exempted the 7-day wait (11.22.2)."
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "version"], name="one_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} Change Report v{self.version}"
