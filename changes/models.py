"""The life of a Change Proposal (Clauses 9-11, 13, 14): proposals, their events and deadlines,
Working Groups, consultations, Change Reports, appeals, Authority decisions, implementation.

`ChangeProposal.status` is assigned only by `changes.services.proposals.proposal_transition`,
which consults `changes.states`. The Change Register and the timeline read `ProposalEvent`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import AppendOnlyModel, Party

from .states import NEEDS_DEADLINE, RefusalGround, State

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


class ChangeDocument(models.Model):
    """A paper attached to a proposal, a consultation, a meeting, a report or an event."""

    proposal = models.ForeignKey(
        ChangeProposal, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=250)
    file = models.FileField(upload_to="changes/%Y/%m/")
    confidential = models.BooleanField(
        default=False, help_text="Seen only by the Secretariat, Working Group and Authority (57.3)."
    )
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class ProposalEvent(AppendOnlyModel):
    """One step in the life of a proposal: the register and timeline are read from these."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    on = models.DateField(help_text="The day the step took effect (Working Day counting).")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=48, db_index=True)
    from_state = models.CharField(max_length=32, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=32, choices=State.choices)
    reason = models.TextField(blank=True)
    documents = models.ManyToManyField(ChangeDocument, blank=True, related_name="events")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal.reference} {self.action} {self.on}"


class Deadline(models.Model):
    """What is due on a proposal, by when, under which rule; one open at a time."""

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.CASCADE, related_name="deadlines")
    state = models.CharField(max_length=32, choices=State.choices)
    what = models.CharField(max_length=250)
    rule = models.CharField(max_length=40)
    opened_on = models.DateField()
    due_on = models.DateField(db_index=True)
    closed_on = models.DateField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True, help_text="Closed on or before the due date.")
    overdue_flagged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(closed_on__isnull=True),
                name="one_open_deadline_per_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} by {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.closed_on is None and today > self.due_on


class SignificantCodeReview(models.Model):
    """A Significant Code Review Phase set by the Authority (definitions; 10.22-10.23)."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=250)
    scope = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="scr_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def is_live_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class WorkingGroup(models.Model):
    """A Working Group for a proposal's Definition Procedure, or a standing group (11.14-11.18)."""

    proposal = models.ForeignKey(
        ChangeProposal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    name = models.CharField(max_length=200)
    terms_of_reference = models.TextField()
    chair = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_name = models.CharField(max_length=200, blank=True)
    standing = models.BooleanField(default=False)
    created_on = models.DateField()
    dissolved_on = models.DateField(null=True, blank=True)
    dissolved_reason = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-created_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(dissolved_on__isnull=True, proposal__isnull=False),
                name="one_live_working_group_per_proposal",
            ),
            models.CheckConstraint(
                condition=Q(standing=True) | Q(proposal__isnull=False),
                name="working_group_has_proposal_unless_standing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dissolved_at(self) -> dt.date | None:
        return self.dissolved_on


class WorkingGroupMember(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(max_length=200, help_text="The organisation represented.")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_proposer_nominee = models.BooleanField(default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group"],
                condition=Q(is_proposer_nominee=True, left_on__isnull=True),
                name="one_proposer_nominee_per_working_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class WorkingGroupMeeting(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField()
    agenda = models.TextField()
    minutes = models.TextField(blank=True)
    papers = models.ManyToManyField(ChangeDocument, blank=True, related_name="+")

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.working_group} meeting {self.held_on}"


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


class ConsultationResponse(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_name = models.CharField(max_length=200)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()
    confidential = models.BooleanField(
        default=False, help_text="The whole response is confidential (57.3)."
    )
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)

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
                condition=Q(party__isnull=False),
                name="one_response_per_party",
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


class AlternativeVariation(models.Model):
    """An alternative variation (11.18, 11.20.6(C)); lettered A/B when added to the report (11.23.3)."""

    class Source(models.TextChoices):
        WORKING_GROUP = "working_group", "A Working Group member (11.18)"
        RESPONDENT = "respondent", "A consultation respondent (11.20.6(C))"

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

    class Meta:
        ordering = ["letter", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "letter"],
                condition=~Q(letter=""),
                name="one_alternative_letter",
            ),
            models.CheckConstraint(
                condition=Q(letter__in=["", "A", "B"]),
                name="at_most_two_alternatives_on_the_report",
                violation_error_message="At most two alternatives are added to a Change Report.",
            ),
            models.CheckConstraint(
                condition=(Q(source="working_group") & Q(working_group_member__isnull=False))
                | (Q(source="respondent") & Q(consultation_response__isnull=False)),
                name="alternative_from_member_or_respondent",
                violation_error_message=(
                    "Alternatives come only from Working Group members or consultation "
                    "respondents (11.18, 11.20.6(C))."
                ),
            ),
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


class AuthorityDecision(models.Model):
    """A direction, decision or opinion of the Authority about a proposal."""

    proposal = models.ForeignKey(
        ChangeProposal, on_delete=models.PROTECT, related_name="authority_decisions"
    )
    kind = models.CharField(max_length=48, help_text="The step, e.g. authority_accept.")
    decided_on = models.DateField()
    reasons = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        ChangeDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.proposal.reference} {self.kind} {self.decided_on}"


class AppealRecord(models.Model):
    """An appeal to the Authority against a Part 2 acceptance or rejection (13.17-13.22)."""

    class Outcome(models.TextChoices):
        PENDING = "", "Pending"
        SCREENED_OUT = "screened_out", "Does not meet 13.20: the decision stands"
        DISMISSED = "dismissed", "Dismissed: the decision stands (13.21.2(A))"
        QUASHED = "quashed", "Quashed (13.21.2(B)(i))"
        SENT_BACK = "sent_back", "Sent back to the Panel (13.21.2(B)(ii))"

    proposal = models.ForeignKey(ChangeProposal, on_delete=models.PROTECT, related_name="appeals")
    appellant_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appellant_name = models.CharField(max_length=200)
    lodged_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    lodged_on = models.DateField()
    against = models.CharField(max_length=16, help_text="accepted or rejected")
    reasons = models.TextField()
    grounds = models.JSONField(default=list, blank=True, help_text="13.20 criteria relied on.")
    in_writing = models.BooleanField(default=True)
    copied_to_secretariat_and_panel = models.BooleanField(default=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["lodged_on", "pk"]

    def __str__(self) -> str:
        return f"Appeal by {self.appellant_name} on {self.proposal.reference}"


class ImplementationPlan(models.Model):
    """The Panel's actions and timetable for an accepted variation (14.6-14.11)."""

    proposal = models.OneToOneField(
        ChangeProposal, on_delete=models.PROTECT, related_name="implementation_plan"
    )
    implementation_date = models.DateField()
    set_on = models.DateField(help_text="The Panel meeting that set the plan.")
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.proposal.reference} implementation by {self.implementation_date}"


class ImplementationAction(models.Model):
    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class ImplementationDateChange(models.Model):
    """A new implementation date by Authority direction (14.9-14.11); the history is kept."""

    class Basis(models.TextChoices):
        PANEL_REQUEST = "panel_request", "On the Panel's request (14.9)"
        PARTY_REPRESENTATIONS = "party_representations", "On Party representations (14.10)"
        AUTHORITY_CHANGE = "authority_change", "Authority Change Proposal (14.11)"

    plan = models.ForeignKey(
        ImplementationPlan, on_delete=models.CASCADE, related_name="date_changes"
    )
    old_date = models.DateField()
    new_date = models.DateField()
    basis = models.CharField(max_length=32, choices=Basis.choices)
    directed_on = models.DateField()
    authority_decision = models.ForeignKey(
        AuthorityDecision, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["directed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.old_date} -> {self.new_date}"


class RegisterCopy(models.Model):
    """The copy of the Change Register sent to the Authority each month (11.28)."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    made_on = models.DateField()
    csv = models.TextField()
    html = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "register copies"

    def __str__(self) -> str:
        return f"Change Register {self.month:%B %Y}"


class DeadlineDigest(models.Model):
    """One morning digest of due and overdue deadlines per day (the job is safe to run twice)."""

    day = models.DateField(unique=True)
    due_today = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Deadline digest {self.day}"
