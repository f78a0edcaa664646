"""API of the change process: (prefix, viewset, basename) triples for the router.

Reads are public and show only what the Website may publish (Schedule 14, 57.1, 57.3):
confidential documents only to the Secretariat, the Authority and the Working Group. Writes go
through the same services as the pages; refusals are JSON naming the field and the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from panel.api import SECOND_FACTOR_MESSAGE, api_viewer, second_factor_missing
from panel.errors import DomainError, NotAllowed
from panel.models import Party, User
from panel.serializers import ErrorSerializer, QueryErrorSerializer

from . import pages, selectors, services
from .forms.register import RegisterFilterForm
from .models import ChangeProposal, SignificantCodeReview
from .serializers import (
    AllowedTransitionSerializer,
    ChangeProposalDetailSerializer,
    ChangeProposalSerializer,
    DocumentSerializer,
    EventSerializer,
    RaiseSerializer,
    TransitionSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input: `field` names the field."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed: `rule` names the clause."),
    409: OpenApiResponse(
        ErrorSerializer, description="The proposal is not in a state for this step."
    ),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such Change Proposal.")}
LOOKUP = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The reference (DCP-417, DCP 417, DCP417) or the numeric id.",
)
FILTERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Search title, summary, reference, proposer."
    ),
    OpenApiParameter("status", OpenApiTypes.STR, description="A state of changes.states.State."),
    OpenApiParameter("part", OpenApiTypes.INT, enum=[1, 2]),
    OpenApiParameter("urgency", OpenApiTypes.STR, enum=["urgent", "standard"]),
    OpenApiParameter("category", OpenApiTypes.STR, description="Impacted Party Category code."),
]


class NoSuchProposal(DomainError):
    """A lookup that names no Change Proposal the caller may see: 404 in the refusal shape."""

    http_status = 404


def _writer(request: Request) -> User:
    """The user making a change: signed in, with the second factor if the role needs it."""
    if second_factor_missing(request):
        raise NotAllowed(SECOND_FACTOR_MESSAGE)
    user = api_viewer(request)
    if user is None:
        raise NotAllowed("Sign in to raise or move a Change Proposal.")
    return user


def _party(value: str) -> Party | None:
    """A Party by id or by short code."""
    pk = pages.plain_number(value)
    if pk is not None:
        return Party.objects.filter(pk=pk).first()
    return Party.objects.filter(short_code__iexact=value).first()


def _scr(value: str) -> SignificantCodeReview | None:
    """A Significant Code Review by id or by reference."""
    pk = pages.plain_number(value)
    if pk is not None:
        return SignificantCodeReview.objects.filter(pk=pk).first()
    return SignificantCodeReview.objects.filter(reference__iexact=value).first()


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids in a step's data into the objects the state machine expects."""
    data = dict(data)
    if data.get("party") is not None:
        value = str(data["party"])
        party = _party(value)
        if party is None:
            raise DomainError(f"No Party '{value}'.", field="data.party")
        data["party"] = party
    if data.get("significant_code_review") is not None:
        value = str(data["significant_code_review"])
        scr = _scr(value)
        if scr is None:
            raise DomainError(
                f"No Significant Code Review '{value}'.", field="data.significant_code_review"
            )
        data["significant_code_review"] = scr
    for name in ("implementation_date",):
        if data.get(name):
            try:
                dt.date.fromisoformat(str(data[name]))
            except ValueError:
                raise DomainError(f"Write {name} as YYYY-MM-DD.", field=f"data.{name}")
    return data


class ChangeProposalViewSet(viewsets.GenericViewSet):
    """The Change Register and its proposals (11.25-11.28)."""

    serializer_class = ChangeProposalSerializer
    lookup_value_regex = "[^/]+"
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return ChangeProposal.objects.on_register()

    def _proposal(self, pk: str) -> ChangeProposal:
        proposal = pages.proposal_for_api(pk, user=api_viewer(self.request))
        if proposal is None:
            raise NoSuchProposal(
                f"No Change Proposal '{pk}'. Use its reference (DCP-417) or its id.", field="id"
            )
        return proposal

    @extend_schema(
        parameters=FILTERS,
        responses={200: ChangeProposalSerializer(many=True), 400: QueryErrorSerializer},
    )
    def list(self, request: Request) -> Response:
        form = RegisterFilterForm(request.query_params)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            first = next(iter(errors))
            return Response(
                {
                    "detail": errors[first][0]["message"],
                    "field": first,
                    "rule": None,
                    "errors": {k: [e["message"] for e in v] for k, v in errors.items()},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        proposals = pages.register_search(form.query())
        page = self.paginate_queryset(proposals)
        return self.get_paginated_response(ChangeProposalSerializer(page, many=True).data)

    @extend_schema(
        parameters=[LOOKUP], responses={200: ChangeProposalDetailSerializer, **NOT_FOUND}
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ChangeProposalDetailSerializer(self._proposal(pk)).data)

    @extend_schema(
        request=RaiseSerializer,
        responses={201: ChangeProposalDetailSerializer, **ERRORS},
        description="Raise a Change Proposal (10.2-10.6): saved as a draft, submitted if "
        "`submit` is true (10.3).",
    )
    def create(self, request: Request) -> Response:
        user = _writer(request)
        serializer = RaiseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        submit = fields.pop("submit", False)
        proposal = services.proposal_save_draft(by=user, **fields)
        if submit:
            proposal = services.proposal_submit(proposal=proposal, by=user)
        return Response(
            ChangeProposalDetailSerializer(proposal).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(parameters=[LOOKUP], responses={200: EventSerializer(many=True), **NOT_FOUND})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        """The timeline (append-only events), with the documents the user may see."""
        proposal = self._proposal(pk)
        events = selectors.proposal_timeline(proposal=proposal, user=api_viewer(request))
        return Response(EventSerializer(events, many=True).data)

    @extend_schema(parameters=[LOOKUP], responses={200: DocumentSerializer(many=True), **NOT_FOUND})
    @action(detail=True, methods=["get"])
    def documents(self, request: Request, pk: str) -> Response:
        """Papers of the proposal: confidential ones only for those allowed (57.3)."""
        proposal = self._proposal(pk)
        docs = selectors.documents_for(proposal=proposal, user=api_viewer(request))
        return Response(DocumentSerializer(docs, many=True).data)

    @extend_schema(
        methods=["GET"],
        parameters=[LOOKUP],
        responses={200: AllowedTransitionSerializer(many=True), **NOT_FOUND},
        description="The steps you may take now.",
    )
    @extend_schema(
        methods=["POST"],
        parameters=[LOOKUP],
        request=TransitionSerializer,
        responses={200: ChangeProposalDetailSerializer, **ERRORS, **NOT_FOUND},
        description="Take a step of the state machine (changes.states) through the same "
        "service as the Secretariat desk.",
    )
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request: Request, pk: str) -> Response:
        proposal = self._proposal(pk)
        if request.method == "GET":
            allowed = selectors.next_actions(proposal=proposal, user=api_viewer(request))
            return Response(
                [
                    {
                        "action": t.action,
                        "label": t.label,
                        "clause": t.clause,
                        "reason_required": t.reason_required,
                    }
                    for t in allowed
                ]
            )
        user = _writer(request)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = serializer.validated_data
        if step["action"] in selectors.BALLOT_ACTIONS:
            raise DomainError(
                "Votes are opened and declared by the voting service (12, 13.4), "
                "not as a transition: use /api/v1/ballots/.",
                field="action",
                rule="13.4",
            )
        if step["action"] == "submit":
            proposal = services.proposal_submit(proposal=proposal, by=user)
        else:
            data = _resolve(step["data"])
            reserved = {"proposal", "action", "by", "reason", "documents", "today"} & set(data)
            if reserved:
                raise DomainError(f"'{sorted(reserved)[0]}' is not step data.", field="data")
            try:
                proposal = services.proposal_transition(
                    proposal=proposal,
                    action=step["action"],
                    by=user,
                    reason=step["reason"],
                    **data,
                )
            except (TypeError, ValueError) as exc:
                raise DomainError(f"The data of this step is not valid: {exc}", field="data")
        return Response(ChangeProposalDetailSerializer(proposal).data)


ROUTES = [("change-proposals", ChangeProposalViewSet, "change-proposal")]
