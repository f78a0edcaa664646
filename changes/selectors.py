"""Reads of the change process that pages, the API, exports and tasks share.

Each returns a QuerySet with what the page needs already joined, or plain rows built from one
query, so a list costs the same number of queries for 3 proposals or 300.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.html import escape

from panel.models import PartyRepresentative, User

from . import states
from .models import (
    AppealRecord,
    ChangeDocument,
    ChangeProposal,
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    Deadline,
    ProposalEvent,
    SignificantCodeReview,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)
from .states import State, Transition

CATEGORY_LABELS = {
    "DNO": "DNO Parties",
    "IDNO": "IDNO Parties",
    "OTSO": "OTSO Party",
    "SUPPLIER": "Supplier Parties",
    "CVA": "CVA Registrants",
    "GAS_SUPPLIER": "Gas Supplier Parties",
    "SIP": "SIP Parties",
}


@dataclass(frozen=True)
class RegisterRow:
    """One line of the Change Register (11.26)."""

    pk: int
    reference: str
    title: str
    proposer: str
    date_raised: dt.date | None
    summary: str
    part: int | None
    urgent: bool
    status: str
    status_label: str
    next_deadline: str
    next_deadline_on: dt.date | None
    next_deadline_rule: str
    impacted_categories: tuple[str, ...]
    timetable: tuple[dict, ...]

    @property
    def part_label(self) -> str:
        return f"Part {self.part}" if self.part else "Not yet determined"


def register_queryset(*, statuses: frozenset[str] | None = None) -> QuerySet[ChangeProposal]:
    qs = ChangeProposal.objects.on_register().select_related("proposer_party", "current_deadline")
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs.order_by("-number")


def register_row(p: ChangeProposal) -> RegisterRow:
    """One proposal as a line of the register (needs proposer_party and current_deadline)."""
    deadline = p.current_deadline
    summary = p.purpose or p.description
    return RegisterRow(
        pk=p.pk,
        reference=p.reference,
        title=p.title,
        proposer=p.proposer_display,
        date_raised=p.submitted_on,
        summary=summary[:300],
        part=p.part,
        urgent=p.urgent,
        status=p.status,
        status_label=p.get_status_display(),
        next_deadline=deadline.what if deadline else "",
        next_deadline_on=deadline.due_on if deadline else None,
        next_deadline_rule=deadline.rule if deadline else "",
        impacted_categories=tuple(CATEGORY_LABELS.get(c, c) for c in p.impacted_categories or []),
        timetable=tuple(p.timetable or []),
    )


def register_rows(*, statuses: frozenset[str] | None = None) -> list[RegisterRow]:
    """The Change Register: one query whatever the number of proposals."""
    return [register_row(p) for p in register_queryset(statuses=statuses)]


REGISTER_COLUMNS = (
    "Reference",
    "Title",
    "Proposer",
    "Date raised",
    "Summary",
    "Part",
    "Urgent",
    "Status",
    "Next deadline",
    "Due on",
    "Impacted Party Categories",
)


def _row_values(row: RegisterRow) -> list[str]:
    return [
        row.reference,
        row.title,
        row.proposer,
        row.date_raised.isoformat() if row.date_raised else "",
        row.summary,
        row.part_label,
        "Yes" if row.urgent else "No",
        row.status_label,
        row.next_deadline,
        row.next_deadline_on.isoformat() if row.next_deadline_on else "",
        "; ".join(row.impacted_categories),
    ]


def register_as_csv(rows: list[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    for row in rows:
        writer.writerow(_row_values(row))
    return out.getvalue()


def register_as_html(rows: list[RegisterRow], *, title: str = "Change Register") -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in REGISTER_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in _row_values(row)) + "</tr>"
        for row in rows
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>"
    )


def proposal_detail(*, pk: int) -> ChangeProposal:
    return (
        ChangeProposal.objects.select_related(
            "proposer_party", "current_deadline", "significant_code_review", "raised_by"
        )
        .prefetch_related("reports__alternatives", "alternatives", "working_groups__members")
        .get(pk=pk)
    )


def proposal_timeline(*, proposal: ChangeProposal, user: User | None = None) -> QuerySet:
    """The proposal's events, oldest first, with the documents the user may see."""
    docs = ChangeDocument.objects.standing()
    if not can_see_confidential(user=user, proposal=proposal):
        docs = docs.filter(confidential=False)
    return (
        ProposalEvent.objects.filter(proposal=proposal)
        .select_related("actor")
        .prefetch_related(Prefetch("documents", queryset=docs))
        .order_by("pk")  # append order
    )


def deadlines_due_on(day: dt.date) -> QuerySet[Deadline]:
    return Deadline.objects.filter(closed_on__isnull=True, due_on=day).select_related("proposal")


def deadlines_overdue(day: dt.date) -> QuerySet[Deadline]:
    return Deadline.objects.filter(closed_on__isnull=True, due_on__lt=day).select_related(
        "proposal"
    )


def deadlines_open() -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(closed_on__isnull=True)
        .select_related("proposal")
        .order_by("due_on")
    )


def live_significant_code_reviews(on: dt.date) -> QuerySet[SignificantCodeReview]:
    return SignificantCodeReview.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


# -- confidentiality (57.3) --------------------------------------------------------------------


def can_see_confidential(*, user: User | None, proposal: ChangeProposal) -> bool:
    """The Secretariat, the Authority and the proposal's Working Group members (57.3)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_secretariat or user.is_authority:
        return True
    return WorkingGroupMember.objects.filter(
        working_group__proposal=proposal, user=user, left_on__isnull=True
    ).exists()


def public_documents(*, proposal: ChangeProposal) -> QuerySet[ChangeDocument]:
    return ChangeDocument.objects.standing().filter(proposal=proposal, confidential=False)


def documents_for(*, proposal: ChangeProposal, user: User | None) -> QuerySet[ChangeDocument]:
    if can_see_confidential(user=user, proposal=proposal):
        return ChangeDocument.objects.standing().filter(proposal=proposal)
    return public_documents(proposal=proposal)


def public_consultation_responses(*, consultation: Consultation) -> QuerySet[ConsultationResponse]:
    """Responses as published on the Website: no confidential response or answer (11.17.2), none
    marked void, and no draft (a draft is seen only by its author)."""
    return (
        ConsultationResponse.objects.standing()
        .filter(consultation=consultation, confidential=False, status="submitted")
        .select_related("party")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ConsultationAnswer.objects.filter(confidential=False).select_related(
                    "question"
                ),
            )
        )
    )


def consultation_responses_for(
    *, consultation: Consultation, user: User | None
) -> QuerySet[ConsultationResponse]:
    if can_see_confidential(user=user, proposal=consultation.proposal):
        return (
            ConsultationResponse.objects.standing()
            .filter(consultation=consultation, status="submitted")
            .select_related("party")
            .prefetch_related(
                Prefetch("answers", queryset=ConsultationAnswer.objects.select_related("question"))
            )
        )
    return public_consultation_responses(consultation=consultation)


def working_group_meetings(*, working_group: WorkingGroup) -> QuerySet[WorkingGroupMeeting]:
    """The meetings of a Working Group that stand (not marked void), oldest first."""
    return (
        WorkingGroupMeeting.objects.standing()
        .filter(working_group=working_group)
        .prefetch_related(Prefetch("papers", queryset=ChangeDocument.objects.standing()))
        .order_by("held_on", "pk")
    )


def open_consultations(on: dt.date) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(opens_on__lte=on, closes_on__gte=on, closed_on__isnull=True)
        .select_related("proposal")
        .prefetch_related("questions")
    )


# -- the Secretariat desk ----------------------------------------------------------------------


# Steps the voting capability takes when it opens a ballot or declares its result: a person
# never takes them by hand, so they are not offered as buttons.
BALLOT_ACTIONS = frozenset(
    {
        "voting_open",
        "vote_declared_recommendation",
        "vote_declared_accepted",
        "vote_declared_rejected",
        "vote_declared_date_rejected",
    }
)


def next_actions(*, proposal: ChangeProposal, user: User | None) -> list[Transition]:
    """The steps this user may take on the proposal now (from the one state machine)."""
    return [
        t
        for t in states.allowed_transitions(proposal=proposal, user=user)
        if t.action not in BALLOT_ACTIONS
    ]


def secretariat_desk(*, user: User) -> list[tuple[ChangeProposal, list[Transition]]]:
    """Every open proposal with the steps the user may take (one query)."""
    proposals = (
        ChangeProposal.objects.exclude(status__in=[s.value for s in states.TERMINAL])
        .exclude(status=State.DRAFT)
        .select_related("proposer_party", "current_deadline")
        .order_by("current_deadline__due_on", "number")
    )
    return [(p, next_actions(proposal=p, user=user)) for p in proposals]


def drafts_for(*, user: User) -> QuerySet[ChangeProposal]:
    return ChangeProposal.objects.filter(status=State.DRAFT, raised_by=user).order_by("-updated_at")


# -- the desk's inbox: what Parties and the Authority did online, waiting on the Secretariat ----

# Withdrawals and adoptions this many days back are listed on the desk.
DESK_RECENT_DAYS = 30


@dataclass(frozen=True)
class DeskInbox:
    """What arrived without anyone typing it (four queries, whatever the number of rows)."""

    appeals: list[AppealRecord]  # pending, the Authority decides (13.20-13.22)
    consultations: list[Consultation]  # not closed, with `.online` submitted responses
    withdrawn: list[ChangeProposal]  # open for adoption, with the window's deadline (11.31)
    steps: list[ProposalEvent]  # recent withdrawals and adoptions
    nominations: list[PartyRepresentative]  # authorised voters awaiting confirmation (12.4.5)


def desk_inbox(*, today: dt.date) -> DeskInbox:
    appeals = (
        AppealRecord.objects.filter(outcome="", proposal__status=State.UNDER_APPEAL)
        .select_related("proposal", "lodged_by", "appellant_party")
        .order_by("lodged_on", "pk")
    )
    online = Q(
        responses__voided_on__isnull=True,
        responses__status=ConsultationResponse.Status.SUBMITTED,
        responses__submitted_at__isnull=False,
    )
    consultations = (
        Consultation.objects.filter(closed_on__isnull=True, opens_on__lte=today)
        .select_related("proposal")
        .annotate(online=Count("responses", filter=online, distinct=True))
        .order_by("closes_on", "pk")
    )
    withdrawn = (
        ChangeProposal.objects.filter(status=State.WITHDRAWN)
        .select_related("current_deadline", "proposer_party")
        .order_by("current_deadline__due_on", "number")
    )
    steps = (
        ProposalEvent.objects.filter(
            action__in=("withdraw", "adopt"), on__gte=today - dt.timedelta(days=DESK_RECENT_DAYS)
        )
        .select_related("proposal", "actor")
        .order_by("-at", "-pk")
    )
    nominations = (
        PartyRepresentative.objects.filter(authorised_voter=True, confirmed_at__isnull=True)
        .select_related("party", "user", "nominated_by")
        .order_by("nominated_at", "pk")
    )
    return DeskInbox(
        appeals=list(appeals),
        consultations=list(consultations),
        withdrawn=list(withdrawn),
        steps=list(steps),
        nominations=list(nominations),
    )
