"""API shapes of the register. Public shapes carry no N and no contact details (57.1)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .importers import MAX_METERING_POINTS, METERING_CATEGORIES
from .models import (
    Affiliation,
    Category,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
)
from .selectors import Purpose

CATEGORY_CODES = ", ".join(Category.values)


class ErrorSerializer(serializers.Serializer):
    """Every refusal: what went wrong, which field, which rule."""

    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True, required=False)
    rule = serializers.CharField(allow_null=True, required=False)


class QueryErrorSerializer(ErrorSerializer):
    # Declared fields are popped off the class by DRF's metaclass; the stubs don't know.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Every bad query parameter with its problems.",
    )


# --- Parties (Schedule 14 list of Parties; Schedule 11 Party Details minus contact details) ---


class PartyCategorySerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_category_display", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = PartyCategoryMembership
        fields = ["category", "label", "idno_otso", "valid_from", "valid_to"]


class AffiliationSerializer(serializers.ModelSerializer):
    corporate_group = serializers.CharField(source="corporate_group.name", read_only=True)

    class Meta:
        model = Affiliation
        fields = ["corporate_group", "valid_from", "valid_to"]


class PartySerializer(serializers.ModelSerializer):
    categories = PartyCategorySerializer(many=True, read_only=True)
    affiliations = AffiliationSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = [
            "short_code",
            "name",
            "company_number",
            "accession_date",
            "termination_date",
            "is_crowded_meter_room_coordinator",
            "categories",
            "affiliations",
        ]


class AffiliateSerializer(serializers.Serializer):
    short_code = serializers.CharField()
    name = serializers.CharField()


class PartyDetailSerializer(PartySerializer):
    affiliates = serializers.SerializerMethodField(
        help_text="Other Parties in the same corporate group today (its Affiliates that are Parties)."
    )

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "affiliates"]

    def get_affiliates(self, party: Party) -> list[dict[str, str]]:
        affiliates: list[Party] = self.context.get("affiliates", [])
        return [AffiliateSerializer(p).data for p in affiliates]


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    uses_n = serializers.BooleanField(
        help_text="True: Weighted Votes use N when more than five Groups vote (12.10-12.16). "
        "False: votes are always shared equally (12.9)."
    )
    weighting = serializers.CharField()


# --- Groups (definition of Group; 12.3) ----------------------------------------------------


class GroupQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=Category.choices,
        error_messages={
            "required": f"Give a Party Category: one of {CATEGORY_CODES}.",
            "invalid_choice": f'"{{input}}" is not a Party Category; use one of {CATEGORY_CODES}.',
        },
    )
    on = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Give the date as YYYY-MM-DD."},
    )
    purpose = serializers.ChoiceField(
        choices=[(p.value, p.value) for p in Purpose],
        required=False,
        default=Purpose.CHANGE_VOTE.value,
        error_messages={
            "invalid_choice": '"{input}" is not a purpose; use change_vote or election.'
        },
    )


class GroupMemberSerializer(serializers.Serializer):
    short_code = serializers.CharField()
    name = serializers.CharField()
    idno_otso = serializers.CharField(allow_blank=True)
    n = serializers.IntegerField(
        allow_null=True, help_text="Only for the Secretariat, the Authority and the Group itself."
    )


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    can_vote = serializers.BooleanField(
        help_text="False when every Party of the Group is suspended (54.4)."
    )
    members = GroupMemberSerializer(many=True)
    suspended_members = GroupMemberSerializer(
        many=True,
        allow_null=True,
        help_text="Parties left out because their rights are suspended (54.4); null unless "
        "the requester is the Secretariat, the Authority, the Panel or a Party.",
    )
    n = serializers.IntegerField(
        allow_null=True,
        help_text="The Group's N (12.11-12.12); null unless the requester is the Secretariat, "
        "the Authority or a representative of a Party in the Group, and for categories "
        "without N.",
    )


# --- Metering snapshots (12.11-12.12) -------------------------------------------------------


class MeteringSnapshotSerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(
        slug_field="short_code",
        queryset=Party.objects.all(),
        error_messages={"does_not_exist": 'No Party has the short code "{value}".'},
    )
    party_name = serializers.CharField(source="party.name", read_only=True)
    # All six in the schema (one shared enum); only DNO and SUPPLIER pass validation.
    category = serializers.ChoiceField(
        choices=Category.choices,
        help_text="DNO or SUPPLIER: the only categories with metering data (12.11).",
        error_messages={
            "invalid_choice": '"{input}" is not a Party Category; use DNO or SUPPLIER.'
        },
    )
    metering_points = serializers.IntegerField(min_value=0, max_value=MAX_METERING_POINTS)
    as_of = serializers.DateField(input_formats=["%Y-%m-%d"])
    received_on = serializers.DateField(input_formats=["%Y-%m-%d"])
    source = serializers.CharField(max_length=200)  # type: ignore[assignment]

    class Meta:
        model = MeteringSnapshot
        fields = [
            "id",
            "party",
            "party_name",
            "category",
            "metering_points",
            "as_of",
            "received_on",
            "source",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def validate_category(self, value: str) -> str:
        if value not in METERING_CATEGORIES:
            raise serializers.ValidationError(
                "Metering data are recorded only for DNO Parties and Supplier Parties; a CVA "
                "Registrant's N comes from its sites in the Party Details (12.11)."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["received_on"] < attrs["as_of"]:
            raise serializers.ValidationError(
                {"received_on": "The data cannot be received before the day they describe (as_of)."}
            )
        return attrs
