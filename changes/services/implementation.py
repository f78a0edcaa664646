"""Implementation of an approved variation: the plan, its actions and new dates (14.6-14.11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import DomainError
from panel.models import User
from panel.services.common import audited_save

from ..audit import ChangeAction
from ..models import (
    ChangeProposal,
    ImplementationAction,
    ImplementationDateChange,
    ImplementationPlan,
)
from .authority import authority_decision_record
from .steps import proposal_transition


def implementation_plan_set(
    *,
    proposal: ChangeProposal,
    by: User,
    implementation_date: dt.date,
    actions: Sequence[tuple[str, dt.date]],
    set_on: dt.date | None = None,
) -> ImplementationPlan:
    """At the next Panel meeting: the actions and a timetable for each (14.6)."""
    on = set_on or timezone.localdate()
    if not actions:
        raise DomainError("List the actions required and when each is due (14.6).", field="actions")
    late = [d for _, d in actions if d > implementation_date]
    if late:
        raise DomainError(
            f"Every action must be done by the implementation date ({implementation_date:%d %B %Y}) "
            "(14.6.2).",
            field="actions",
        )
    access.require(
        by, access.SECRETARIAT, doing="record the Panel's implementation plan (14.6)", rule="14.6"
    )
    with transaction.atomic():
        plan, _ = ImplementationPlan.objects.update_or_create(
            proposal=proposal,
            defaults={"implementation_date": implementation_date, "set_on": on, "created_by": by},
        )
        superseded = list(plan.actions.filter(superseded_on=None).values_list("pk", flat=True))
        plan.actions.filter(pk__in=superseded).update(superseded_on=on)
        ImplementationAction.objects.bulk_create(
            ImplementationAction(plan=plan, description=text, due_on=due) for text, due in actions
        )
        proposal_transition(
            proposal=proposal,
            action="implementation_plan_set",
            by=by,
            today=on,
            implementation_date=implementation_date,
        )
        audit_record(
            actor=by,
            action=ChangeAction.IMPLEMENTATION_PLAN_SET,
            target=plan,
            data={"superseded_actions": superseded},
        )
    return plan


def implementation_action_done(
    *, action: ImplementationAction, by: User, done_on: dt.date | None = None
) -> ImplementationAction:
    access.require(
        by, access.SECRETARIAT, doing="record implementation progress (14.7)", rule="14.7"
    )
    with transaction.atomic():
        action.done_on = done_on or timezone.localdate()
        audited_save(action, ["done_on"], by=by, action=ChangeAction.IMPLEMENTATION_ACTION_DONE)
    return action


def implementation_date_direct(
    *,
    proposal: ChangeProposal,
    by: User,
    new_date: dt.date,
    basis: str,
    reasons: str = "",
    directed_on: dt.date | None = None,
) -> ImplementationDateChange:
    """A new implementation date by Authority direction only (14.9-14.11)."""
    on = directed_on or timezone.localdate()
    if basis not in ImplementationDateChange.Basis.values:
        raise DomainError(
            "The basis is panel_request (14.9), party_representations (14.10) or "
            "authority_change (14.11).",
            field="basis",
        )
    if (
        basis == ImplementationDateChange.Basis.AUTHORITY_CHANGE
        and not proposal.is_authority_change_proposal
    ):
        raise DomainError(
            f"{proposal.reference} is not an Authority Change Proposal (14.11).", field="basis"
        )
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal,
            action="implementation_date_directed",
            by=by,
            reason=reasons,
            today=on,
            new_date=new_date,
            basis=basis,
        )
        plan = ImplementationPlan.objects.select_for_update().filter(proposal=result).first()
        if plan is None:
            plan = ImplementationPlan.objects.create(
                proposal=result,
                implementation_date=result.proposed_implementation_date or new_date,
                set_on=on,
                created_by=by,
            )
        decision = authority_decision_record(
            proposal=result,
            by=by,
            kind="implementation_date_directed",
            reasons=reasons,
            on=on,
            new_date=new_date,
            basis=basis,
        )
        change = ImplementationDateChange.objects.create(
            plan=plan,
            old_date=plan.implementation_date,
            new_date=new_date,
            basis=basis,
            directed_on=on,
            authority_decision=decision,
        )
        plan.implementation_date = new_date
        plan.save(update_fields=["implementation_date"])
    return change
