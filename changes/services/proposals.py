"""Raising, submitting and moving a Change Proposal (10.2-10.11); the one transition service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Category, Party, PartyCategoryMembership, Role, Suspension, User

from .. import states
from ..models import (
    ELIGIBLE_CATEGORY_CODES,
    ChangeDocument,
    ChangeProposal,
    Deadline,
    Objective,
    ProposalEvent,
    ProposerKind,
    WorkingGroup,
)
from ..states import State

# What a proposer types on the form and may save as a draft (10.4).
DRAFT_FIELDS = (
    "title",
    "proposer_kind",
    "proposer_party",
    "proposer_name",
    "proposer_contact_name",
    "proposer_contact_email",
    "proposer_contact_phone",
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
    "impacted_categories",
    "authority_led",
)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def party_standing_problem(party: Party, on: dt.date) -> str:
    """Why a Party cannot act in the change process today, or "" (Clause 4, 54.4)."""
    if not party.is_party_on(on):
        return f"{party.name} is not a Party on {on:%d %B %Y}"
    if Suspension.objects.on(on).filter(party=party).exists():
        return (
            f"{party.name}'s rights are suspended: it is treated as if it were not a Party (54.4)"
        )
    return ""


def ensure_may_raise(
    *, user: User, proposer_kind: str, party: Party | None, section_2h: bool, on: dt.date
) -> None:
    """Who may raise a Change Proposal (10.2); the Secretariat may act on behalf of any of them."""
    secretariat = user.is_secretariat
    if proposer_kind not in ProposerKind.values:
        raise DomainError("Say who is raising the proposal (10.2).", field="proposer_kind")
    if proposer_kind in (ProposerKind.PARTY, ProposerKind.DNO_IDNO_DIRECTED):
        if party is None:
            raise DomainError(
                "Name the Party raising the proposal (10.2.1).", field="proposer_party"
            )
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
                "Only a DNO or IDNO Party may raise a proposal at the Authority's direction "
                "(10.2.5).",
                field="proposer_kind",
                rule="10.2.5",
            )
        return
    allowed_roles = {
        ProposerKind.AUTHORITY: (Role.AUTHORITY,),
        ProposerKind.CONSUMER_BODY: (Role.CONSUMER_BODY,),
        ProposerKind.TRANSMISSION_OPERATOR: (Role.OTHER_BODY,),
        ProposerKind.DESIGNATED: (Role.OTHER_BODY,),
    }[ProposerKind(proposer_kind)]
    if not secretariat and user.role not in allowed_roles:
        label = ProposerKind(proposer_kind).label
        raise NotAllowed(
            f"Only {label[0].lower() + label[1:]} or the Secretariat on its behalf may raise "
            "this proposal (10.2).",
            field="proposer_kind",
            rule="10.2",
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
    if fields.get("proposer_kind") == ProposerKind.DNO_IDNO_DIRECTED:
        fields["follows_authority_direction"] = True
    return fields


def proposal_save_draft(
    *, by: User, proposal: ChangeProposal | None = None, today: dt.date | None = None, **fields: Any
) -> ChangeProposal:
    """Save a proposal as typed (a draft, editable by its author and the Secretariat)."""
    fields = _clean_draft_fields(fields)
    on = _today(today)
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
            if proposal.raised_by_id != by.pk and not by.is_secretariat:
                raise NotAllowed("Only the author of a draft or the Secretariat may edit it.")
        for name, value in fields.items():
            setattr(proposal, name, value)
        ensure_may_raise(
            user=by,
            proposer_kind=proposal.proposer_kind,
            party=proposal.proposer_party,
            section_2h=proposal.section_2h,
            on=on,
        )
        proposal.save()
        audit_record(
            actor=by,
            action="change_proposal.draft_created" if created else "change_proposal.draft_saved",
            target=proposal,
            data={"fields": sorted(fields)},
        )
    return proposal


def proposal_submit(
    *, proposal: ChangeProposal, by: User, today: dt.date | None = None
) -> ChangeProposal:
    """Submit a draft in writing to the Secretariat (10.3); it gets its DCP number."""
    on = _today(today)
    ensure_may_raise(
        user=by,
        proposer_kind=proposal.proposer_kind,
        party=proposal.proposer_party,
        section_2h=proposal.section_2h,
        on=on,
    )
    return proposal_transition(proposal=proposal, action="submit", by=by, today=on)


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def _next_number() -> int:
    return (ChangeProposal.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def _apply_deadline(
    p: ChangeProposal, target: State, from_state: State, today: dt.date, cal: WorkingDayCalendar
) -> None:
    due = states.deadline_for(p, target, from_state, today, cal)
    current = p.current_deadline
    if current is not None and due is not None:
        if (current.what, current.due_on, current.rule) == (due.what, due.due_on, due.rule):
            if current.state != target:
                current.state = target
                current.save(update_fields=["state"])
            return
    if current is not None:
        current.closed_on = today
        current.met = today <= current.due_on
        current.save(update_fields=["closed_on", "met"])
    p.current_deadline = None
    if due is not None:
        p.current_deadline = Deadline.objects.create(
            proposal=p,
            state=target,
            what=due.what,
            rule=due.rule,
            opened_on=today,
            due_on=due.due_on,
        )
    if target in (State.ACCEPTED_APPEAL_WINDOW, State.REJECTED_APPEAL_WINDOW) and due:
        p.appeal_window_ends = due.due_on


def _on_leaving_process(p: ChangeProposal, today: dt.date, action: str) -> None:
    """11.32: a withdrawn proposal not adopted leaves the process; its Working Group dissolves."""
    WorkingGroup.objects.filter(proposal=p, dissolved_on__isnull=True).update(
        dissolved_on=today, dissolved_reason=f"Proposal left the process ({action})"
    )


def proposal_transition(
    *,
    proposal: ChangeProposal,
    action: str,
    by: User | None,
    reason: str = "",
    documents: Iterable[ChangeDocument] = (),
    today: dt.date | None = None,
    **data: Any,
) -> ChangeProposal:
    """The single entry point that moves a proposal (consults `changes.states`).

    Locks the row, checks who and from where, runs the step's checks and effects, assigns the
    status, moves the deadline, writes the ProposalEvent and the AuditRecord in the same
    transaction, and schedules the e-mail notice after commit.
    """
    on = _today(today)
    t = states.transition(action)
    with transaction.atomic():
        p = (
            ChangeProposal.objects.select_for_update(of=("self",))
            .select_related("current_deadline", "proposer_party")
            .get(pk=proposal.pk)
        )
        from_state = states.check_allowed(t, proposal=p, user=by)
        if t.reason_required and not reason.strip():
            raise DomainError(
                f"{p.reference}: give the reasons to {t.label} ({t.clause}).",
                field="reason",
                rule=t.clause,
            )
        cal = WorkingDayCalendar.load()
        ctx = states.Context(
            proposal=p,
            user=by,
            data=dict(data),
            reason=reason,
            today=on,
            calendar=cal,
            from_state=from_state,
            transition=t,
        )
        if t.effect is not None:
            t.effect(ctx)
        target = t.target_for(p, from_state)
        if p.number is None and target != State.DRAFT:
            p.number = _next_number()
        p.status = target
        _apply_deadline(p, target, from_state, on, cal)
        if target == State.LEFT_PROCESS:
            _on_leaving_process(p, on, action)
        try:
            with transaction.atomic():
                p.save()
        except IntegrityError:
            raise Conflict(
                f"{p.reference} was changed by someone else at the same time; please try again."
            )
        event_data = _jsonable(ctx.data)
        deadline = p.current_deadline
        if deadline is not None:
            event_data["deadline"] = {"what": deadline.what, "due_on": deadline.due_on.isoformat()}
        event = ProposalEvent.objects.create(
            proposal=p,
            on=on,
            actor=by if by is not None and by.pk else None,
            action=action,
            from_state=from_state,
            to_state=target,
            reason=reason,
            data=event_data,
        )
        docs = list(documents)
        if docs:
            event.documents.set(docs)
        audit_record(
            actor=by,
            action=f"change_proposal.{action}",
            target=p,
            data={"from": from_state, "to": target, "reason": reason, "event": event.pk},
        )
        if t.notice:
            event_id = event.pk

            def send() -> None:
                from ..tasks import send_event_notice

                send_event_notice.delay(event_id)

            transaction.on_commit(send)
    proposal.refresh_from_db()
    return p


def proposal_attach_document(
    *, proposal: ChangeProposal, by: User, title: str, file: Any, confidential: bool = False
) -> ChangeDocument:
    """Attach a paper to a proposal (its proposer while a draft, or the Secretariat)."""
    if not by.is_secretariat and not (
        proposal.status == State.DRAFT and proposal.raised_by_id == by.pk
    ):
        raise NotAllowed("Only the Secretariat, or the author of a draft, may attach documents.")
    with transaction.atomic():
        doc = ChangeDocument.objects.create(
            proposal=proposal, title=title, file=file, confidential=confidential, uploaded_by=by
        )
        audit_record(actor=by, action="change_document.uploaded", target=doc)
    return doc
