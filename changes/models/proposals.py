"""A Change Proposal and what it must contain (10.1-10.4), with what the process determines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import Party

from ..states import NEEDS_DEADLINE, RefusalGround, State

User = settings.AUTH_USER_MODEL


class ProposerKind(models.TextChoices):
    """Who may raise a Change Proposal (10.2)."""

    PARTY = "party", "A Party (10.2.1)"
    CONSUMER_BODY = "consumer_body", "The Consumer Body (10.2.2)"
    TRANSMISSION_OPERATOR = "transmission_operator", "The transmission system operator (10.2.3)"
    DESIGNATED = "designated", "A person designated by the Authority (10.2.4, 10.27)"
    AUTHORITY = "authority", "The Authority (10.2.5)"
    DNO_IDNO_DIRECTED = (
        "dno_idno_directed",
        "A DNO/IDNO Party at the Authority's direction (10.2.5)",
    )


AUTHORITY_CHANGE_KINDS = (ProposerKind.AUTHORITY, ProposerKind.DNO_IDNO_DIRECTED)


class Objective(models.TextChoices):
    """The DCUSA Objectives (Clause 3): General (3.1) and Charging (3.2)."""

    G1 = "G1", "General 1: efficient, coordinated and economical Distribution System"
    G2 = "G2", "General 2: effective competition in generation and supply"
    G3 = "G3", "General 3: efficient discharge of Distribution Licence obligations"
    G4 = "G4", "General 4: efficiency in implementing and administering the DCUSA"
    G5 = "G5", "General 5: compliance with the EU Internal Market Regulation"
    C1 = "C1", "Charging 1: discharge of obligations under the Act and Licence"
    C2 = "C2", "Charging 2: competition in generation and supply"
    C3 = "C3", "Charging 3: cost-reflective charges"
    C4 = "C4", "Charging 4: developments in the Distribution Business"
    C5 = "C5", "Charging 5: compliance with the EU Internal Market Regulation"
    C6 = "C6", "Charging 6: efficiency in administering the Charging Methodologies"


# Party Categories named on a proposal or eligible on a Change Report: IDNO and OTSO separable.
ELIGIBLE_CATEGORY_CODES = ("DNO", "IDNO", "OTSO", "SUPPLIER", "CVA", "GAS_SUPPLIER", "SIP")


class ChangeProposalQuerySet(models.QuerySet):
    def on_register(self) -> ChangeProposalQuerySet:
        return self.exclude(status=State.DRAFT)

    def in_status(self, *states: str) -> ChangeProposalQuerySet:
        return self.filter(status__in=states)


class ChangeProposal(models.Model):
    """A proposal to vary the Agreement (10.1), with every item 10.4 asks for."""

    number = models.PositiveIntegerField(
        unique=True, null=True, blank=True, help_text="DCP number, given at submission."
    )
    status = models.CharField(
        max_length=32, choices=State.choices, default=State.DRAFT, db_index=True, editable=False
    )
    # 10.4.1-10.4.2: the Proposer and its contact
    proposer_kind = models.CharField(max_length=32, choices=ProposerKind.choices)
    proposer_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="change_proposals"
    )
    proposer_name = models.CharField(
        max_length=200, blank=True, help_text="For a body that is not a Party."
    )
    proposer_contact_name = models.CharField(max_length=200, blank=True)
    proposer_contact_email = models.EmailField(blank=True)
    proposer_contact_phone = models.CharField(max_length=40, blank=True)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # 10.4.4-10.4.6: the change, its purpose, the Objectives, greenhouse gases, parts affected
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True, help_text="The proposed variation and its effect.")
    purpose = models.TextField(blank=True, help_text="The issue the proposal addresses.")
    legal_text = models.TextField("proposed legal text", blank=True)
    objectives = models.JSONField(default=list, blank=True, help_text="Objective codes, e.g. G1.")
    objectives_reasons = models.TextField(blank=True)
    ghg_material = models.BooleanField("material greenhouse gas impact", null=True, blank=True)
    ghg_statement = models.TextField(blank=True)
    parts_affected = models.TextField(blank=True)
    section_2h = models.BooleanField(
        "concerns Section 2H", default=False, help_text="SIP Parties may raise only these (10.2.1)."
    )
    # 10.4.7-10.4.10: the Proposer's views and dates
    proposer_part_view = models.PositiveSmallIntegerField(
        choices=[(1, "Part 1 Matter"), (2, "Part 2 Matter")], null=True, blank=True
    )
    part_view_reasons = models.TextField(blank=True)
    urgency_requested = models.BooleanField(default=False)
    urgency_reasons = models.TextField(blank=True)
    proposed_implementation_date = models.DateField(null=True, blank=True)
    follows_authority_direction = models.BooleanField(
        default=False, help_text="Raised in compliance with an Authority direction (10.2.5)."
    )
    impacted_categories = models.JSONField(
        default=list, blank=True, help_text=f"Codes from {', '.join(ELIGIBLE_CATEGORY_CODES)}."
    )
    authority_led = models.BooleanField(
        "Authority-Led", default=False, help_text="No Definition Procedure (11.9A)."
    )
    # Determined in the process
    submitted_on = models.DateField(null=True, blank=True)
    initial_assessment = models.TextField(blank=True)
    suggested_timetable = models.JSONField(default=list, blank=True)
    part = models.PositiveSmallIntegerField(
        choices=[(1, "Part 1"), (2, "Part 2")], null=True, blank=True
    )
    authority_part_opinion = models.PositiveSmallIntegerField(null=True, blank=True)
    urgent = models.BooleanField("Urgent Change Proposal", default=False)
    definition_procedure = models.BooleanField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    timetable = models.JSONField(default=list, blank=True, help_text="[{stage, planned, actual}]")
    previous_timetable = models.JSONField(default=list, blank=True)
    timetable_fixed_by_authority = models.BooleanField(default=False)
    implementation_date_fixed_by_authority = models.BooleanField(default=False)
    refusal_ground = models.CharField(max_length=16, choices=RefusalGround.choices, blank=True)
    authority_directed_acceptance = models.BooleanField(default=False)
    significant_code_review = models.ForeignKey(
        "SignificantCodeReview", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scr_direction = models.CharField(
        max_length=8,
        blank=True,
        choices=[("within", "Within the Review"), ("outside", "Outside the Review")],
    )
    resume_status = models.CharField(max_length=32, choices=State.choices, blank=True)
    date_only_vote = models.BooleanField(default=False, help_text="Re-vote on the date (14.3).")
    vote_outcome = models.CharField(max_length=24, blank=True)
    date_outcome = models.CharField(max_length=24, blank=True)
    appeal_window_ends = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    current_deadline = models.ForeignKey(
        "Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChangeProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-number", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=sorted(s.value for s in NEEDS_DEADLINE))
                | Q(current_deadline__isnull=False),
                name="proposal_deadline_where_needed",
                violation_error_message="This stage of the process runs against a deadline.",
            ),
            models.CheckConstraint(
                condition=Q(status=State.DRAFT) | Q(number__isnull=False),
                name="proposal_numbered_once_submitted",
            ),
            models.CheckConstraint(
                condition=Q(part__isnull=True) | Q(part__in=[1, 2]), name="proposal_part_1_or_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"DCP {self.number}" if self.number else f"Draft {self.pk or ''}".strip()

    @property
    def state(self) -> State:
        return State(self.status)

    @property
    def is_authority_change_proposal(self) -> bool:
        """Raised under 10.2.5: never refused (10.14A), always Part 1 (9.4)."""
        return self.proposer_kind in AUTHORITY_CHANGE_KINDS

    @property
    def proposer_display(self) -> str:
        if self.proposer_party is not None:
            return self.proposer_party.name
        return self.proposer_name or self.get_proposer_kind_display()
