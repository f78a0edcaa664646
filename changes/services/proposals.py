"""Who may raise a Change Proposal (10.2), drafts (10.4) and submission (10.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Category, Party, PartyCategoryMembership, Role, Suspension, User
from panel.services.dates import check_date

from ..audit import ChangeAction
from ..models import (
    AUTHORITY_CHANGE_KINDS,
    ELIGIBLE_CATEGORY_CODES,
    ChangeProposal,
    Objective,
    ProposerKind,
)
from ..states import State
from .steps import proposal_transition

# The proposal as the Proposer wrote it (10.4): what it changes and why, and the Proposer's views;
# the public sees it on the proposal's page and through the API.
PROPOSAL_TEXT_FIELDS = (
    "description",
    "purpose",
    "legal_text",
    "objectives",
    "objectives_reasons",
    "ghg_material",
    "ghg_statement",
    "parts_affected",
    "section_2h",
    "proposer_part_view",
    "part_view_reasons",
    "urgency_requested",
    "urgency_reasons",
    "proposed_implementation_date",
    "follows_authority_direction",
)

# What a proposer types on the form and may save as a draft (10.4).
DRAFT_FIELDS = (
    "title",
    "proposer_kind",
    "proposer_party",
    "proposer_name",
    "proposer_contact_name",
    "proposer_contact_email",
    "proposer_contact_phone",
    *PROPOSAL_TEXT_FIELDS,
    "impacted_categories",
    "authority_led",
)


def party_standing_problem(party: Party, on: dt.date) -> str:
    """Why a Party cannot act in the change process today, or "" (Clause 4, 54.4)."""
    if not party.is_party_on(on):
        return f"{party.name} is not a Party on {on:%d %B %Y}"
    if Suspension.objects.on(on).filter(party=party).exists():
        return (
            f"{party.name}'s rights are suspended: it is treated as if it were not a Party (54.4)"
        )
    return ""


def _ensure_party_may_raise(
    *,
    user: User,
    secretariat: bool,
    proposer_kind: str,
    party: Party | None,
    section_2h: bool,
    on: dt.date,
) -> None:
    """A Party raises through its representatives (or the Secretariat), in standing (10.2.1,
    10.2.5, 54.4)."""
    if party is None:
        raise DomainError("Name the Party raising the proposal (10.2.1).", field="proposer_party")
    if not secretariat and party.pk not in user.represented_party_ids():
        raise NotAllowed(
            f"You do not represent {party.name}: only its representatives or the Secretariat "
            "may raise a proposal for it (10.2.1).",
            field="proposer_party",
            rule="10.2.1",
        )
    if party.is_crowded_meter_room_coordinator:
        raise NotAllowed(
            "The Crowded Meter Room Coordinator may not raise Change Proposals (10.2.1).",
            field="proposer_party",
            rule="10.2.1",
        )
    problem = party_standing_problem(party, on)
    if problem:
        raise NotAllowed(f"{problem}; it may not raise a Change Proposal.", rule="54.4")
    categories = set(
        PartyCategoryMembership.objects.on(on)
        .filter(party=party)
        .values_list("category", flat=True)
    )
    if categories == {Category.SIP} and not section_2h:
        raise NotAllowed(
            "SIP Parties may only raise Change Proposals in respect of Section 2H (10.2.1).",
            field="section_2h",
            rule="10.2.1",
        )
    if proposer_kind == ProposerKind.DNO_IDNO_DIRECTED and not categories & {
        Category.DNO,
        Category.IDNO_OTSO,
    }:
        raise NotAllowed(
            "Only a DNO or IDNO Party may raise a proposal at the Authority's direction (10.2.5).",
            field="proposer_kind",
            rule="10.2.5",
        )


# The role that may raise a proposal for each proposer that is not a Party (10.2.2-10.2.5).
RAISING_ROLES = {
    ProposerKind.AUTHORITY: (Role.AUTHORITY,),
    ProposerKind.CONSUMER_BODY: (Role.CONSUMER_BODY,),
    ProposerKind.TRANSMISSION_OPERATOR: (Role.OTHER_BODY,),
    ProposerKind.DESIGNATED: (Role.OTHER_BODY,),
}


def ensure_may_raise(
    *, user: User, proposer_kind: str, party: Party | None, section_2h: bool, on: dt.date
) -> None:
    """Who may raise a Change Proposal (10.2); the Secretariat may act on behalf of any of them."""
    secretariat = access.allowed(user, access.SECRETARIAT)
    if proposer_kind not in ProposerKind.values:
        raise DomainError("Say who is raising the proposal (10.2).", field="proposer_kind")
    if proposer_kind in (ProposerKind.PARTY, ProposerKind.DNO_IDNO_DIRECTED):
        _ensure_party_may_raise(
            user=user,
            secretariat=secretariat,
            proposer_kind=proposer_kind,
            party=party,
            section_2h=section_2h,
            on=on,
        )
        return
    if not secretariat and user.role not in RAISING_ROLES[ProposerKind(proposer_kind)]:
        label = ProposerKind(proposer_kind).label
        raise NotAllowed(
            f"Only {label[0].lower() + label[1:]} or the Secretariat on its behalf may raise "
            "this proposal (10.2).",
            field="proposer_kind",
            rule="10.2",
        )


def _ensure_proposer_may_raise(proposal: ChangeProposal, *, by: User, on: dt.date) -> None:
    """The proposal's Proposer, as it stands, may raise it (ensure_may_raise), by the route it
    names: only an Authority Change Proposal is Authority-Led, as the Authority considers (11.9A)."""
    ensure_may_raise(
        user=by,
        proposer_kind=proposal.proposer_kind,
        party=proposal.proposer_party,
        section_2h=proposal.section_2h,
        on=on,
    )
    if not proposal.authority_led:
        return
    if proposal.proposer_kind not in AUTHORITY_CHANGE_KINDS:
        raise DomainError(
            "Only an Authority Change Proposal (10.2.5) can be Authority-Led (11.9A): untick "
            "Authority-Led.",
            field="authority_led",
            rule="11.9A",
        )
    if not (by.is_authority or access.allowed(by, access.SECRETARIAT)):
        raise NotAllowed(
            "Only the Authority considers a proposal Authority-Led (11.9A); untick Authority-Led.",
            field="authority_led",
            rule="11.9A",
        )


def _clean_draft_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise DomainError(
            f"Unknown fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0]
        )
    if "objectives" in fields:
        bad = [o for o in fields["objectives"] or [] if o not in Objective.values]
        if bad:
            raise DomainError(
                f"Unknown DCUSA Objectives: {', '.join(bad)} (Clause 3).", field="objectives"
            )
    if "impacted_categories" in fields:
        bad = [c for c in fields["impacted_categories"] or [] if c not in ELIGIBLE_CATEGORY_CODES]
        if bad:
            raise DomainError(
                f"Unknown Party Categories: {', '.join(bad)}.", field="impacted_categories"
            )
    check_date(
        fields.get("proposed_implementation_date"),
        field="proposed_implementation_date",
        what="the proposed implementation date",
        rule="10.4.9",
    )
    if fields.get("proposer_kind") == ProposerKind.DNO_IDNO_DIRECTED:
        fields["follows_authority_direction"] = True
    return fields


def proposal_save_draft(
    *, by: User, proposal: ChangeProposal | None = None, today: dt.date | None = None, **fields: Any
) -> ChangeProposal:
    """Save a proposal as typed (a draft, editable by its author and the Secretariat)."""
    fields = _clean_draft_fields(fields)
    on = today or timezone.localdate()
    with transaction.atomic():
        if proposal is None:
            proposal = ChangeProposal(
                raised_by=by, title=fields.get("title") or "Untitled proposal"
            )
            created = True
        else:
            proposal = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
            created = False
            if proposal.status != State.DRAFT:
                raise Conflict(
                    f"{proposal.reference} has been submitted; it is no longer a draft (10.3).",
                    rule="10.3",
                )
            if proposal.raised_by_id != by.pk and not access.allowed(by, access.SECRETARIAT):
                raise NotAllowed("Only the author of a draft or the Secretariat may edit it.")
        for name, value in fields.items():
            setattr(proposal, name, value)
        if not (proposal.title or "").strip():
            raise DomainError(
                "Give the proposal a title to save it as a draft (10.4).", field="title"
            )
        _ensure_proposer_may_raise(proposal, by=by, on=on)
        proposal.save()
        audit_record(
            actor=by,
            action=(
                ChangeAction.PROPOSAL_DRAFT_CREATED
                if created
                else ChangeAction.PROPOSAL_DRAFT_SAVED
            ),
            target=proposal,
            data={"fields": sorted(fields)},
        )
    return proposal


def proposal_draft_delete(*, proposal: ChangeProposal, by: User) -> None:
    """Delete a draft never submitted (10.3): by its author or the Secretariat.

    A draft is not yet a record of the change process (it has no DCP number, no event and no
    deadline), so it is deleted with its attachments; the audit trail keeps that it was, by whom
    and its title. A submitted proposal is never deleted: it is withdrawn (11.29).
    """
    with transaction.atomic():
        p = ChangeProposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if p is None:
            raise Conflict("That draft has already been deleted.")
        if p.status != State.DRAFT or p.number is not None or p.events.exists():
            raise Conflict(
                f"{p.reference} has been submitted: it is not deleted but may be withdrawn "
                "(11.29).",
                rule="11.29",
            )
        if p.raised_by_id != by.pk and not access.allowed(by, access.SECRETARIAT):
            raise NotAllowed("Only the author of a draft or the Secretariat may delete it.")
        documents = list(p.documents.all())
        audit_record(
            actor=by,
            action=ChangeAction.PROPOSAL_DRAFT_DELETED,
            target=p,
            data={"title": p.title, "documents": [d.title for d in documents]},
        )
        files = [d.file for d in documents if d.file]
        p.delete()
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


def proposal_submit(
    *, proposal: ChangeProposal, by: User, today: dt.date | None = None
) -> ChangeProposal:
    """Submit a draft in writing to the Secretariat (10.3); it gets its DCP number."""
    on = today or timezone.localdate()
    _ensure_proposer_may_raise(proposal, by=by, on=on)
    return proposal_transition(proposal=proposal, action="submit", by=by, today=on)
