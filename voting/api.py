"""API of the voting system: (prefix, viewset, basename) triples for the router.

Casting through the API (12.4.5): the caller is an authorised voter of a member Party of the
Group, and the vote is authenticated by a second factor. A browser session must have entered its
TOTP code; a token client (TokenAuthentication) counts as second-factor authenticated when the
account has a confirmed TOTP device, because the token is only issued to such accounts by the
Secretariat and a token cannot be used to reach the pages. Every object is checked on the server:
a voter of Group A cannot vote for Group B by sending B's id.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from panel.api import api_viewer
from panel.errors import Conflict, DomainError, NotAllowed
from panel.serializers import ErrorSerializer

from . import selectors
from .models import Ballot, Declaration, Question, Vote
from .publication import publication
from .serializers import (
    BallotSerializer,
    CastResultSerializer,
    CastSerializer,
    DeclarationSerializer,
    VoteSerializer,
)
from .services.casting import CastResult, facts_for_api, vote_cast_checked


def second_factor_ok(request: Request, has_device: bool) -> bool:
    """A verified session, or a token whose account has a confirmed TOTP device (`has_device`,
    read with the cast's facts)."""
    user = request.user
    if isinstance(request.successful_authenticator, SessionAuthentication):
        is_verified = getattr(user, "is_verified", None)
        return bool(callable(is_verified) and is_verified())
    if isinstance(request.successful_authenticator, TokenAuthentication):
        return has_device
    return False


def cast_answer(group_name: str, result: CastResult) -> dict[str, object]:
    """The body of a 201 answer to a cast (CastResultSerializer)."""
    question, choice = result.answers[0]
    return {
        "receipt": result.receipt,
        "sequence": result.sequence,
        "changed": result.changed,
        "group": group_name,
        "question": question,
        "choice": choice,
    }


# Before the declaration nobody, the Secretariat included, reads a choice or a reason (13.4.3);
# a caller's own cast is answered in the 201 of its POST and in its receipt e-mail.
SEALED = (
    "How each Group voted on {reference} is published with the declaration (13.4.3); "
    "until then only the turnout per Party Category is shown."
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input; `field` names it."),
    403: OpenApiResponse(
        ErrorSerializer, description="Not an authorised voter of the Group, or no second factor."
    ),
    409: OpenApiResponse(ErrorSerializer, description="Voting has closed (or not yet opened)."),
}


@extend_schema_view(
    list=extend_schema(
        summary="Ballots (Party votes and Panel elections)",
        description="Questions and window of each ballot; turnout per category for the "
        "Secretariat, the Panel and the Authority only.",
    ),
    retrieve=extend_schema(
        summary="One ballot", responses={200: BallotSerializer, 404: ErrorSerializer}
    ),
)
class BallotViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = BallotSerializer
    queryset = Ballot.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    ).order_by("-opens_at", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["viewer"] = api_viewer(self.request)
        return context

    @extend_schema(
        methods=["POST"],
        summary="Cast or change a Group's vote on one question",
        request=CastSerializer,
        responses={201: CastResultSerializer, **ERRORS},
    )
    @extend_schema(
        methods=["GET"],
        summary="How each Group voted: published with the declaration (13.4.3)",
        description="Before the declaration every caller, the Secretariat included, is refused "
        '(409, rule "13.4"): while the vote is open only the turnout per category is shown.',
        responses={
            200: VoteSerializer(many=True),
            409: OpenApiResponse(ErrorSerializer, description="Not declared yet: sealed."),
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="votes")
    def votes(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        if request.method == "POST":
            return self._cast(request, pk or "")
        ballot = self.get_object()
        if not selectors.choices_published(ballot):
            raise Conflict(SEALED.format(reference=ballot.reference), field="ballot", rule="13.4")
        votes: QuerySet[Vote] = selectors.published_votes(ballot)
        return Response(VoteSerializer(votes, many=True).data)

    def _cast(self, request: Request, pk: str) -> Response:
        """Cast: every fact the rules read in one query (`facts_for_api`), then the one casting
        path of the web form too (`vote_cast_checked`)."""
        if not pk.isdigit():
            self.get_object()  # 404
        if not request.user or not request.user.is_authenticated:
            self.get_object()  # 404 before 403, as for any other object
            raise NotAllowed("Authenticate as an authorised voter (token or session) to vote.")
        body = CastSerializer(data=request.data)
        if not body.is_valid():
            field, problems = next(iter(body.errors.items()))
            raise DomainError(f"{field}: {' '.join(str(p) for p in problems)}", field=field)
        data = body.validated_data
        found = facts_for_api(
            ballot_id=int(pk),
            group=data["group"],
            user=request.user,
            question_id=data["question"],
            token_client=isinstance(request.successful_authenticator, TokenAuthentication),
        )
        if found is None:
            self.get_object()  # 404 when the ballot itself does not exist
            raise DomainError(
                f"Group {data['group']!r} is not on the roll of this vote.", field="group"
            )
        facts, has_device = found
        facts = replace(facts, second_factor=second_factor_ok(request, has_device))
        result = vote_cast_checked(
            facts=facts, answers={data["question"]: data["choice"]}, reason=data.get("reason", "")
        )
        return Response(cast_answer(facts.group_name, result), status=201)


@extend_schema_view(
    list=extend_schema(summary="Declarations (13.4.3): public results, no metering data"),
    retrieve=extend_schema(
        summary="One declaration", responses={200: DeclarationSerializer, 404: ErrorSerializer}
    ),
)
class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = DeclarationSerializer
    queryset = Declaration.objects.select_related("ballot").order_by("-declared_at", "-pk")

    def _shape(self, declaration: Declaration) -> dict[str, Any]:
        pub = publication(declaration.ballot, None)
        return {
            "id": declaration.pk,
            "ballot": declaration.ballot_id,
            "reference": pub["reference"],
            "status": pub["status"],
            "void": pub["void"],
            "declaration": pub["declaration"],
        }

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        items = [self._shape(d) for d in (page if page is not None else self.get_queryset())]
        return self.get_paginated_response(items) if page is not None else Response(items)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._shape(self.get_object()))


ROUTES: list = [
    ("ballots", BallotViewSet, "ballot"),
    ("declarations", DeclarationViewSet, "declaration"),
]
