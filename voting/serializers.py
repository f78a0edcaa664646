"""API shapes of the voting system. N and the workings never appear here (see publication)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import selectors
from .models import Ballot, Question, RollEntry, Vote


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id",
            "position",
            "kind",
            "text",
            "options",
            "option_texts",
            "implementation_date",
        ]


class RollGroupSerializer(serializers.ModelSerializer):
    """A roll Group (no N)."""

    class Meta:
        model = RollEntry
        fields = ["id", "category", "group_key", "group_name"]


class TurnoutSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    eligible_groups = serializers.IntegerField()
    groups_voted = serializers.IntegerField()


class BallotSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    turnout = serializers.SerializerMethodField(
        help_text="Per category, Secretariat, Panel and Authority only; null for others."
    )
    my_groups = serializers.SerializerMethodField(
        help_text="Roll Groups the caller may vote for (authorised voters)."
    )
    void_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Ballot
        fields = [
            "id",
            "kind",
            "reference",
            "title",
            "matter",
            "status",
            "eligible",
            "opens_at",
            "closes_at",
            "closed_at",
            "voided_at",
            "void_reason",
            "questions",
            "turnout",
            "my_groups",
        ]

    @extend_schema_field(TurnoutSerializer(many=True, allow_null=True))
    def get_turnout(self, ballot: Ballot) -> list[dict[str, object]] | None:
        viewer = self.context.get("viewer")
        if not selectors.can_see_turnout(viewer):
            return None
        return [t.__dict__ for t in selectors.turnout(ballot)]

    @extend_schema_field(RollGroupSerializer(many=True))
    def get_my_groups(self, ballot: Ballot) -> Any:
        viewer = self.context.get("viewer")
        if viewer is None:
            return []
        return RollGroupSerializer(selectors.voter_roll_entries(viewer, ballot), many=True).data


class CastSerializer(serializers.Serializer):
    group = serializers.CharField(
        help_text="The roll entry id, or the Group key (e.g. SUPPLIER:party:12)."
    )
    question = serializers.IntegerField(help_text="The question id (see the ballot's questions).")
    choice = serializers.CharField(help_text='"accept", "reject", or an option label such as "A".')
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CastResultSerializer(serializers.Serializer):
    receipt = serializers.CharField()
    sequence = serializers.IntegerField()
    changed = serializers.BooleanField()
    group = serializers.CharField()
    question = serializers.IntegerField()
    choice = serializers.CharField()


class VoteSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="roll_entry.group_name")
    category = serializers.CharField(source="roll_entry.category")
    question_kind = serializers.CharField(source="question.kind")

    class Meta:
        model = Vote
        fields = ["group", "category", "question", "question_kind", "choice", "reason", "cast_at"]


class DeclarationSerializer(serializers.Serializer):
    """The public declaration (13.4.3): outcomes, per-category results, how each Group voted."""

    ballot = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    void = serializers.JSONField(allow_null=True)
    declaration = serializers.JSONField()
