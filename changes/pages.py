"""What the change process's web pages, feeds and API read (built on `changes.selectors`).

Everything a public page shows goes through here or `changes.selectors`, so confidential
material (57.3) is filtered in one place: documents, responses and answers marked confidential
reach only the Secretariat, the Authority and the proposal's Working Group.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast

from panel.models import User

from . import selectors, states
from .models import (
    ChangeDocument,
    ChangeProposal,
    ChangeReport,
    Consultation,
    ConsultationResponse,
    Deadline,
    ProposalEvent,
    RegisterCopy,
    WorkingGroup,
    WorkingGroupMeeting,
)
from .states import State

# ASCII digits only: `\d` and `str.isdigit()` also accept '¹' or '٣', which `int()` refuses or
# reads as another number.
REFERENCE_RE = re.compile(r"^\s*DCP[\s_-]*([0-9]{1,9})\s*$", re.IGNORECASE)
NUMBER_RE = re.compile(r"[0-9]{1,9}")


def reference_number(reference: str) -> int | None:
    """'DCP 417', 'DCP-417', 'DCP417', 'dcp_417' -> 417; anything else -> None."""
    match = REFERENCE_RE.match(reference or "")
    return int(match.group(1)) if match else None


def plain_number(text: str) -> int | None:
    """'417' -> 417; anything but ASCII digits (or more than nine of them) -> None."""
    return int(text) if NUMBER_RE.fullmatch(text or "") else None


def reference_slug(proposal: ChangeProposal) -> str:
    """The canonical URL form of a reference: 'DCP-417'."""
    return f"DCP-{proposal.number}"


# -- the Change Register (11.25-11.28) --------------------------------------------------------


@dataclass(frozen=True)
class RegisterQuery:
    """The register's search box and filters, already validated (by the form or the API)."""

    q: str = ""
    status: str = ""
    part: int | None = None
    urgent: bool | None = None
    category: str = ""


def register_search(query: RegisterQuery) -> QuerySet[ChangeProposal]:
    """The public register filtered: one query per page whatever the number of proposals.

    Full-text search is `icontains` across title, summary, description, proposer and reference
    so it works the same on SQLite (the demo) and PostgreSQL.
    """
    qs = selectors.register_queryset()
    text = query.q.strip()
    if text:
        match = Q(title__icontains=text) | Q(purpose__icontains=text)
        match |= Q(description__icontains=text) | Q(proposer_name__icontains=text)
        match |= Q(proposer_party__name__icontains=text)
        match |= Q(proposer_party__short_code__iexact=text)
        number = reference_number(text)
        if number is None:
            number = plain_number(text)
        if number is not None:
            match |= Q(number=number)
        qs = qs.filter(match)
    if query.status:
        qs = qs.filter(status=query.status)
    if query.part is not None:
        qs = qs.filter(part=query.part)
    if query.urgent is not None:
        qs = qs.filter(urgent=query.urgent)
    if query.category:
        # The JSON list as text: '"DNO"' never matches '"IDNO"'; the same on SQLite and PostgreSQL.
        qs = qs.annotate(_categories=Cast("impacted_categories", TextField())).filter(
            _categories__contains=f'"{query.category}"'
        )
    return qs


def register_copies() -> QuerySet[RegisterCopy]:
    return RegisterCopy.objects.defer("csv", "html").order_by("-month")


# -- one proposal --------------------------------------------------------------------------------


def public_proposal(reference: str) -> ChangeProposal | None:
    """A proposal on the register by 'DCP 417' (any spelling), or None; drafts are not public."""
    number = reference_number(reference)
    if number is None:
        return None
    return (
        ChangeProposal.objects.on_register()
        .select_related("proposer_party", "current_deadline")
        .filter(number=number)
        .first()
    )


def proposal_for_api(lookup: str, *, user: User | None) -> ChangeProposal | None:
    """By reference ('DCP-417') or by id; a draft only for its author and the Secretariat."""
    number = reference_number(lookup)
    pk = plain_number(lookup)
    qs = ChangeProposal.objects.select_related("proposer_party", "current_deadline")
    if number is not None:
        p = qs.filter(number=number).first()
    elif pk is not None:
        p = qs.filter(pk=pk).first()
    else:
        return None
    if p is not None and p.status == State.DRAFT and not may_edit_draft(user=user, proposal=p):
        return None
    return p


def may_edit_draft(*, user: User | None, proposal: ChangeProposal) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return proposal.raised_by_id == user.pk or user.is_secretariat


# Words for the items `states.missing_for_submission` names beyond REQUIRED_FOR_SUBMISSION.
MORE_WORDS = {
    "objectives": "the DCUSA Objectives it better facilitates (10.4.5)",
    "urgency_reasons": "the reasons why it should be an Urgent Change Proposal (10.4.8)",
    "proposer_party": "the Party raising it (10.2.1)",
    "proposer_name": "the name of the Proposer (10.4.1)",
    "follows_authority_direction": "whether it is raised under an Authority direction (10.4.10)",
}


def missing_items(proposal: ChangeProposal) -> list[tuple[str, str]]:
    """What 10.4 asks that a draft does not give yet: (field, the agreement's words)."""
    words = {**MORE_WORDS, **states.REQUIRED_FOR_SUBMISSION}
    return [
        (name, words.get(name, name.replace("_", " ")))
        for name in states.missing_for_submission(proposal)
    ]


def draft_for(*, user: User, pk: int) -> ChangeProposal | None:
    p = ChangeProposal.objects.select_related("proposer_party").filter(pk=pk).first()
    if p is None or not may_edit_draft(user=user, proposal=p):
        return None
    return p


def document_for(*, proposal: ChangeProposal, user: User | None, pk: int) -> ChangeDocument | None:
    """A paper of the proposal the user may read: not marked void; confidential ones only for
    those allowed (57.3) and for the person who attached it."""
    docs = ChangeDocument.objects.standing().filter(pk=pk)
    docs = docs.filter(Q(proposal=proposal) | Q(proposal__isnull=True))
    if not selectors.can_see_confidential(user=user, proposal=proposal):
        docs = docs.filter(_not_confidential_or_own(user))
    return docs.first()


def _not_confidential_or_own(user: User | None) -> Q:
    """Papers anyone may read, and the confidential ones this user attached (a Proposer keeps
    seeing its own confidential papers after submitting, 57.3)."""
    if user is None or not user.is_authenticated:
        return Q(confidential=False)
    return Q(confidential=False) | Q(uploaded_by=user)


def proposal_documents(*, proposal: ChangeProposal, user: User | None) -> QuerySet[ChangeDocument]:
    """The proposal's papers the user may read (`selectors.documents_for`, plus their own)."""
    docs = ChangeDocument.objects.standing().filter(proposal=proposal)
    if selectors.can_see_confidential(user=user, proposal=proposal):
        return docs
    return docs.filter(_not_confidential_or_own(user))


@dataclass
class ConsultationView:
    consultation: Consultation
    responses: list[ConsultationResponse]
    documents: list[ChangeDocument]


@dataclass
class WorkingGroupView:
    group: WorkingGroup
    members: list[Any]
    meetings: list[WorkingGroupMeeting]


@dataclass
class ProposalPage:
    """Everything the proposal page shows, filtered for the user (57.3)."""

    proposal: ChangeProposal
    confidential_visible: bool
    documents: list[ChangeDocument]
    timeline: list[ProposalEvent]
    working_groups: list[WorkingGroupView]
    consultations: list[ConsultationView]
    reports: list[ChangeReport]
    deadlines: list[Deadline]
    vote_held: bool
    alternatives: list[Any] = field(default_factory=list)


def _docs(user_sees: bool) -> QuerySet[ChangeDocument]:
    """The papers that stand (not marked void); confidential ones only for those allowed."""
    docs = ChangeDocument.objects.standing().order_by("title")
    return docs if user_sees else docs.filter(confidential=False)


def _meetings(user_sees: bool) -> QuerySet[WorkingGroupMeeting]:
    """Meetings that stand, with the papers the user may read."""
    papers: Prefetch[Any, Any, Any] = Prefetch("papers", queryset=_docs(user_sees))
    return WorkingGroupMeeting.objects.standing().prefetch_related(papers).order_by("held_on", "pk")


def proposal_page(*, proposal: ChangeProposal, user: User | None) -> ProposalPage:
    """A fixed number of queries per consultation; nothing confidential unless allowed."""
    sees = selectors.can_see_confidential(user=user, proposal=proposal)
    groups = (
        WorkingGroup.objects.filter(proposal=proposal)
        .prefetch_related(
            "members",
            Prefetch("meetings", queryset=_meetings(sees)),
        )
        .order_by("-created_on")
    )
    consultations = (
        Consultation.objects.filter(proposal=proposal)
        .prefetch_related("questions", Prefetch("documents", queryset=_docs(sees)))
        .order_by("-opens_on")
    )
    timeline = list(selectors.proposal_timeline(proposal=proposal, user=user))
    return ProposalPage(
        proposal=proposal,
        confidential_visible=sees,
        documents=list(proposal_documents(proposal=proposal, user=user)),
        timeline=timeline,
        working_groups=[
            WorkingGroupView(
                group=g,
                members=[m for m in g.members.all() if m.left_on is None],
                meetings=list(g.meetings.all()),
            )
            for g in groups
        ],
        consultations=[
            ConsultationView(
                consultation=c,
                responses=list(selectors.consultation_responses_for(consultation=c, user=user)),
                documents=list(c.documents.all()),
            )
            for c in consultations
        ],
        reports=list(
            ChangeReport.objects.filter(proposal=proposal)
            .prefetch_related("alternatives")
            .order_by("-version")
        ),
        deadlines=list(Deadline.objects.filter(proposal=proposal).order_by("-opened_on", "-pk")),
        vote_held=proposal.status == State.VOTING
        or any(e.action == "voting_open" for e in timeline),
        # every alternative once put forward (11.18, 11.20.6(C)), a withdrawn one marked so
        alternatives=list(proposal.alternatives.order_by("created_at")),
    )


# -- feeds ---------------------------------------------------------------------------------------


def status_changes(limit: int = 50) -> QuerySet[ProposalEvent]:
    """The latest moves of proposals on the register (the Atom feed): no drafts, no documents."""
    return (
        ProposalEvent.objects.exclude(to_state=State.DRAFT)
        .exclude(proposal__status=State.DRAFT)
        .select_related("proposal")
        .order_by("-at", "-pk")[:limit]
    )


def public_open_deadlines() -> QuerySet[Deadline]:
    return selectors.deadlines_open().exclude(proposal__status=State.DRAFT)


def deadline_date_range(deadline: Deadline) -> tuple[dt.date, dt.date]:
    return deadline.due_on, deadline.due_on + dt.timedelta(days=1)
