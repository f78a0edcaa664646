"""API of the register: (prefix, viewset, basename) triples for the router.

Public: parties, categories, groups (without N). N (12.11-12.12) is commercially sensitive:
the Secretariat and the Authority see all of it, a Party's representatives their own Groups'.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from .api_auth import SECOND_FACTOR_MESSAGE as SECOND_FACTOR_MESSAGE
from .api_auth import api_viewer as api_viewer
from .api_auth import second_factor_missing as second_factor_missing
from .errors import NotAllowed
from .importers import METERING_CHOICES
from .models import (
    CATEGORIES_WITH_N,
    Affiliation,
    Category,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    User,
)
from .selectors import (
    Group,
    Purpose,
    can_see_group_n,
    groups_of,
    parties_on,
    visible_metering_party_ids,
)
from .serializers import (
    CategorySerializer,
    ErrorSerializer,
    GroupQuerySerializer,
    GroupSerializer,
    MeteringSnapshotSerializer,
    PartyDetailSerializer,
    PartySerializer,
    QueryErrorSerializer,
)
from .services import metering_snapshot_record

# --- Parties --------------------------------------------------------------------------------


def _held_today(category: str) -> Exists:
    return Exists(
        PartyCategoryMembership.objects.on(timezone.localdate()).filter(
            party=OuterRef("pk"), category=category
        )
    )


class PartyFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=Category.choices,
        method="filter_category",
        label="Party Category held today",
    )
    search = django_filters.CharFilter(method="filter_search", label="Name or short code contains")
    current = django_filters.BooleanFilter(
        method="filter_current", label="Party today (acceded and not terminated)"
    )

    class Meta:
        model = Party
        fields: list[str] = []

    def filter_category(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        return queryset.filter(_held_today(value))

    def filter_search(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(short_code__iexact=value))

    def filter_current(self, queryset: QuerySet[Party], name: str, value: bool) -> QuerySet[Party]:
        current = parties_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


@extend_schema_view(
    list=extend_schema(
        summary="List of Parties (Schedule 14)",
        description="Every Party with its Party Categories and corporate group over time. "
        "No contact details (57.1) and no metering data.",
        responses={200: PartySerializer(many=True), 400: QueryErrorSerializer},
    ),
    retrieve=extend_schema(
        summary="One Party by short code",
        responses={200: PartyDetailSerializer, 404: ErrorSerializer},
    ),
)
class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "short_code"
    filterset_class = PartyFilter
    queryset = Party.objects.prefetch_related(
        Prefetch("categories", queryset=PartyCategoryMembership.objects.order_by("valid_from")),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.select_related("corporate_group").order_by("valid_from"),
        ),
    ).order_by("name")

    def get_serializer_class(self) -> type[PartySerializer]:
        return PartyDetailSerializer if self.action == "retrieve" else PartySerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        party = self.get_object()
        today = timezone.localdate()
        group_ids = Affiliation.objects.on(today).filter(party=party).values("corporate_group_id")
        affiliates = list(
            Party.objects.filter(
                affiliations__in=Affiliation.objects.on(today).filter(
                    corporate_group_id__in=group_ids
                )
            )
            .exclude(pk=party.pk)
            .distinct()
            .order_by("name")
        )
        context = {**self.get_serializer_context(), "affiliates": affiliates}
        return Response(PartyDetailSerializer(party, context=context).data)


# --- Party Categories -----------------------------------------------------------------------


def _category_row(category: Category) -> dict[str, object]:
    uses_n = category in CATEGORIES_WITH_N
    return {
        "code": category.value,
        "label": category.label,
        "uses_n": uses_n,
        "weighting": (
            "N-weighted with the 20% cap (12.10-12.16) when more than five Groups vote; "
            "equal shares otherwise (12.9)"
            if uses_n
            else "equal shares (12.9)"
        ),
    }


@extend_schema_view(
    list=extend_schema(
        summary="The six Party Categories", responses={200: CategorySerializer(many=True)}
    ),
    retrieve=extend_schema(
        summary="One Party Category",
        parameters=[
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Category.values)
        ],
        responses={200: CategorySerializer, 404: ErrorSerializer},
    ),
)
class CategoryViewSet(viewsets.ViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    def list(self, request: Request) -> Response:
        return Response(
            CategorySerializer(
                [_category_row(Category(c)) for c in Category.values], many=True
            ).data
        )

    def retrieve(self, request: Request, code: str | None = None) -> Response:
        if code not in Category.values:
            raise NotFound(
                f'"{code}" is not a Party Category; use one of {", ".join(Category.values)}.'
            )
        return Response(CategorySerializer(_category_row(Category(code))).data)


# --- Groups ---------------------------------------------------------------------------------


def _sees_suspensions(user: User | None) -> bool:
    """Suspensions are notified to the Authority and every Party (54); not to the public."""
    if user is None:
        return False
    return (
        user.is_secretariat
        or user.is_authority
        or user.is_panel
        or bool(user.represented_party_ids())
    )


def _member_row(member: Any, show_n: bool) -> dict[str, object]:
    return {
        "short_code": member.short_code,
        "name": member.name,
        "idno_otso": member.idno_otso,
        "n": member.n if show_n else None,
    }


def group_row(group: Group, *, show_n: bool, show_suspended: bool) -> dict[str, object]:
    return {
        "key": group.key,
        "name": group.name,
        "category": group.category,
        "can_vote": group.can_vote,
        "members": [_member_row(m, show_n) for m in group.members],
        "suspended_members": (
            [_member_row(m, show_n) for m in group.suspended_members] if show_suspended else None
        ),
        "n": group.n if show_n else None,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Groups of a Party Category on a date",
        description="A Party with its Affiliates in the same category votes as one Group "
        "(12.3). In change votes each DNO Party is its own Group; in Panel elections DNO "
        "Parties form corporate Groups (6.2). N is shown only to the Secretariat, the "
        "Authority and representatives of a Party in the Group.",
        parameters=[
            OpenApiParameter(
                "category",
                OpenApiTypes.STR,
                required=True,
                enum=Category.values,
                description="The Party Category.",
            ),
            OpenApiParameter(
                "on",
                OpenApiTypes.DATE,
                required=False,
                description="The day (YYYY-MM-DD); default today.",
            ),
            OpenApiParameter(
                "purpose",
                OpenApiTypes.STR,
                required=False,
                enum=[p.value for p in Purpose],
                description="change_vote (default) or election.",
            ),
        ],
        responses={
            200: GroupSerializer(many=True),
            400: OpenApiResponse(QueryErrorSerializer, description="A query parameter is bad."),
        },
    )
)
class GroupViewSet(viewsets.ViewSet):
    permission_classes = [permissions.AllowAny]

    def list(self, request: Request) -> Response:
        query = GroupQuerySerializer(data=request.query_params)
        if not query.is_valid():
            errors = {name: [str(e) for e in problems] for name, problems in query.errors.items()}
            first_field = next(iter(query.errors))
            first = query.errors[first_field][0]
            return Response(
                {
                    "detail": str(first),
                    "field": first_field,
                    "rule": getattr(first, "code", None),
                    "errors": errors,
                },
                status=400,
            )
        params = query.validated_data
        on = params.get("on") or timezone.localdate()
        groups = groups_of(params["category"], on, Purpose(params["purpose"]))
        viewer = api_viewer(request)
        show_suspended = _sees_suspensions(viewer)
        rows = [
            group_row(g, show_n=can_see_group_n(viewer, g), show_suspended=show_suspended)
            for g in groups
        ]
        return Response(rows)


# --- Metering snapshots ---------------------------------------------------------------------


class MeteringSnapshotFilter(django_filters.FilterSet):
    party = django_filters.CharFilter(
        field_name="party__short_code", lookup_expr="iexact", label="Party short code"
    )
    category = django_filters.ChoiceFilter(choices=METERING_CHOICES)
    received_on_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = MeteringSnapshot
        fields: list[str] = []


class MeteringDataAccess(permissions.BasePermission):
    """Signed-in, second factor given for sessions, and only the Secretariat records data."""

    message = "Sign in to see metering data."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if second_factor_missing(request):
            self.message = SECOND_FACTOR_MESSAGE
            return False
        if getattr(view, "action", None) == "create" and not user.is_secretariat:
            self.message = "Only the Secretariat may record metering data."
            return False
        return True


@extend_schema_view(
    list=extend_schema(
        summary="Metering snapshots (N data, 12.11-12.12)",
        description="The Secretariat and the Authority see every row; a Party's "
        "representative sees its own Parties' rows; others see none. Anonymous: 403.",
        responses={200: MeteringSnapshotSerializer(many=True), 403: ErrorSerializer},
    ),
    create=extend_schema(
        summary="Record a metering snapshot (Secretariat only)",
        description="Append-only: snapshots are never changed or deleted. The Party must "
        "hold the category on as_of.",
        responses={
            201: MeteringSnapshotSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A field is bad."),
            403: ErrorSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Already recorded."),
        },
    ),
)
class MeteringSnapshotViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = MeteringSnapshotSerializer
    permission_classes = [MeteringDataAccess]
    filterset_class = MeteringSnapshotFilter
    queryset = MeteringSnapshot.objects.none()

    def get_queryset(self) -> QuerySet[MeteringSnapshot]:
        rows = MeteringSnapshot.objects.select_related("party").order_by(
            "-received_on", "-created_at", "-pk"
        )
        visible = visible_metering_party_ids(api_viewer(self.request))
        return rows if visible is None else rows.filter(party_id__in=visible)

    def perform_create(self, serializer: MeteringSnapshotSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        user = self.request.user
        if not isinstance(user, User):
            raise NotAllowed("Only the Secretariat may record metering data.")
        serializer.instance = metering_snapshot_record(
            by=user,
            party=data["party"],
            category=data["category"],
            metering_points=data["metering_points"],
            as_of=data["as_of"],
            received_on=data["received_on"],
            source=data["source"],
        )


ROUTES: list[tuple[str, type[viewsets.ViewSetMixin], str]] = [
    ("parties", PartyViewSet, "party"),
    ("categories", CategoryViewSet, "category"),
    ("groups", GroupViewSet, "group"),
    ("metering-snapshots", MeteringSnapshotViewSet, "metering-snapshot"),
]
