"""Serializers of the change-process API: public fields only (no contact details, 57.1)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from panel.models import Party

from .models import (
    ELIGIBLE_CATEGORY_CODES,
    ChangeDocument,
    ChangeProposal,
    Objective,
    ProposalEvent,
    ProposerKind,
)
from .pages import reference_slug
from .services.proposals import PROPOSAL_TEXT_FIELDS


class DeadlineSerializer(serializers.Serializer):
    what = serializers.CharField()
    due_on = serializers.DateField()
    rule = serializers.CharField()


class ChangeProposalSerializer(serializers.ModelSerializer):
    """A line of the Change Register (11.26)."""

    reference = serializers.CharField(read_only=True)
    slug = serializers.SerializerMethodField()
    proposer = serializers.CharField(source="proposer_display", read_only=True)
    date_raised = serializers.DateField(source="submitted_on", read_only=True)
    summary = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    next_deadline = DeadlineSerializer(source="current_deadline", read_only=True, allow_null=True)

    class Meta:
        model = ChangeProposal
        fields = [
            "id",
            "number",
            "reference",
            "slug",
            "title",
            "proposer",
            "proposer_kind",
            "date_raised",
            "summary",
            "part",
            "urgent",
            "status",
            "status_label",
            "next_deadline",
            "impacted_categories",
        ]
        read_only_fields = fields

    def get_slug(self, obj: ChangeProposal) -> str | None:
        return reference_slug(obj) if obj.number else None

    def get_summary(self, obj: ChangeProposal) -> str:
        return (obj.purpose or obj.description)[:300]


class ChangeProposalDetailSerializer(ChangeProposalSerializer):
    class Meta(ChangeProposalSerializer.Meta):
        fields = [
            *ChangeProposalSerializer.Meta.fields,
            *PROPOSAL_TEXT_FIELDS,
            "authority_led",
            "initial_assessment",
            "definition_procedure",
            "accepted_on",
            "timetable",
            "decided_on",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeDocument
        fields = ["id", "title", "confidential", "uploaded_at"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    documents = DocumentSerializer(many=True, read_only=True)
    to_state_label = serializers.CharField(source="get_to_state_display", read_only=True)

    class Meta:
        model = ProposalEvent
        fields = [
            "id",
            "on",
            "at",
            "action",
            "from_state",
            "to_state",
            "to_state_label",
            "reason",
            "documents",
        ]
        read_only_fields = fields


class RaiseSerializer(serializers.Serializer):
    """A Change Proposal as typed (10.4); `submit: true` submits it to the Secretariat (10.3)."""

    proposer_kind = serializers.ChoiceField(choices=ProposerKind.choices)
    proposer_party = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(), required=False, allow_null=True
    )
    proposer_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    proposer_contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    proposer_contact_email = serializers.EmailField(required=False, allow_blank=True)
    proposer_contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    title = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, allow_blank=True)
    purpose = serializers.CharField(required=False, allow_blank=True)
    legal_text = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.ListField(
        child=serializers.ChoiceField(choices=Objective.choices), required=False
    )
    objectives_reasons = serializers.CharField(required=False, allow_blank=True)
    ghg_material = serializers.BooleanField(required=False, allow_null=True)
    ghg_statement = serializers.CharField(required=False, allow_blank=True)
    parts_affected = serializers.CharField(required=False, allow_blank=True)
    section_2h = serializers.BooleanField(required=False)
    proposer_part_view = serializers.ChoiceField(choices=[1, 2], required=False, allow_null=True)
    part_view_reasons = serializers.CharField(required=False, allow_blank=True)
    urgency_requested = serializers.BooleanField(required=False)
    urgency_reasons = serializers.CharField(required=False, allow_blank=True)
    proposed_implementation_date = serializers.DateField(required=False, allow_null=True)
    follows_authority_direction = serializers.BooleanField(required=False)
    impacted_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ELIGIBLE_CATEGORY_CODES), required=False
    )
    authority_led = serializers.BooleanField(required=False)
    submit = serializers.BooleanField(required=False, default=False)


class TransitionSerializer(serializers.Serializer):
    """One step of the state machine: `action` from changes.states, with its reasons and data."""

    action = serializers.CharField(max_length=48)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    data = serializers.DictField(required=False, default=dict)  # type: ignore[assignment]

    def validate_data(self, value: Any) -> dict[str, Any]:
        return dict(value)


class AllowedTransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    clause = serializers.CharField()
    reason_required = serializers.BooleanField()
