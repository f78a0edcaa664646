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
    ChangeDocument,
    ChangeProposal,
    ImplementationAction,
    ImplementationDateChange,
    ImplementationPlan,
)
from .authority import authority_decision_record, authority_step_date, authority_step_notify
from .documents import Upload, documents_attach
from .steps import proposal_transition

# A directed date further out than this is a typing mistake, not a direction (14.9-14.11).
LONGEST_DIRECTION = dt.timedelta(days=366 * 10)


def accepted_implementation_date(proposal: ChangeProposal) -> dt.date | None:
    """The date the variation takes effect as accepted (13, 14.3) or last directed by the
    Authority (14.9-14.11): the plan's date, else the latest Change Report's, else the date the
    Proposer asked for."""
    plan = ImplementationPlan.objects.filter(proposal=proposal).first()
    if plan is not None:
        return plan.implementation_date
    latest = proposal.reports.order_by("-version").first()
    if latest is not None:
        return latest.implementation_date
    return proposal.proposed_implementation_date


def implementation_outstanding(proposal: ChangeProposal) -> list[ImplementationAction]:
    """The plan's current actions not yet recorded as done (14.7)."""
    return list(
        ImplementationAction.objects.filter(
            plan__proposal=proposal, superseded_on=None, done_on=None
        ).order_by("due_on", "pk")
    )


def ensure_implementation_complete(proposal: ChangeProposal) -> None:
    """Refuse to record the variation as made while an action of the plan is not done (14.7):
    the check `mark_implemented` runs."""
    outstanding = implementation_outstanding(proposal)
    if not ImplementationAction.objects.filter(plan__proposal=proposal).exists():
        raise DomainError(
            f"{proposal.reference} has no implementation plan: the Panel sets the actions first "
            "(14.6).",
            rule="14.7",
        )
    if outstanding:
        names = "; ".join(f"{a.description} (due {a.due_on:%d %B %Y})" for a in outstanding[:3])
        more = f" and {len(outstanding) - 3} more" if len(outstanding) > 3 else ""
        raise DomainError(
            f"{proposal.reference} cannot be recorded as implemented while actions are not done: "
            f"{names}{more}. Record each as done first (14.7).",
            rule="14.7",
        )


def proposal_mark_implemented(*, proposal: ChangeProposal, by: User) -> ChangeProposal:
    """Record the variation as made (14.7), only once every action of the plan is done; dated
    today by the system's clock."""
    access.require(by, access.SECRETARIAT, doing="record the variation as made (14.7)", rule="14.7")
    ensure_implementation_complete(proposal)
    return proposal_transition(proposal=proposal, action="mark_implemented", by=by)


def implementation_plan_set(
    *,
    proposal: ChangeProposal,
    by: User,
    actions: Sequence[tuple[str, dt.date]],
    implementation_date: dt.date | None = None,
    set_on: dt.date | None = None,
) -> ImplementationPlan:
    """At the next Panel meeting: the actions and a timetable for each (14.6), by the
    implementation date as accepted. The plan never changes that date: only the Authority's
    direction (14.9-14.11) or a new vote on the date (14.3) does."""
    on = set_on or timezone.localdate()
    accepted = accepted_implementation_date(proposal)
    if accepted is None:
        raise DomainError(
            f"{proposal.reference} has no implementation date to plan for (14.6).",
            field="implementation_date",
            rule="14.6",
        )
    if implementation_date is not None and implementation_date != accepted:
        raise DomainError(
            f"The implementation date of {proposal.reference} is {accepted:%d %B %Y}: the plan "
            "cannot change it. Only the Authority can direct a new date (14.9-14.11).",
            field="implementation_date",
            rule="14.9",
        )
    implementation_date = accepted
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
    today = timezone.localdate()
    day = done_on or today
    if day > today or day < action.plan.set_on:
        raise DomainError(
            f"An action is done between the plan ({action.plan.set_on:%d %B %Y}) and today "
            f"({today:%d %B %Y}).",
            field="done_on",
            rule="14.7",
        )
    with transaction.atomic():
        action.done_on = day
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
    document: ChangeDocument | Upload | None = None,
) -> ImplementationDateChange:
    """A new implementation date by Authority direction only (14.9-14.11): online it is dated
    today; recorded by the Secretariat it needs the letter, dated neither in the future nor
    before the proposal's last step. The new date is not in the past nor absurdly far."""
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
    on = authority_step_date(
        proposal=proposal, by=by, decided_on=directed_on, document=document, field="directed_on"
    )
    today = timezone.localdate()
    if new_date < today or new_date > today + LONGEST_DIRECTION:
        raise DomainError(
            f"The new implementation date must be from today ({today:%d %B %Y}) and within ten "
            "years (14.9-14.11).",
            field="new_date",
            rule="14.9",
        )
    old_date = accepted_implementation_date(proposal) or new_date
    with transaction.atomic():
        letters = documents_attach(
            proposal=proposal, by=by, documents=[document] if document else ()
        )
        result = proposal_transition(
            proposal=proposal,
            action="implementation_date_directed",
            by=by,
            reason=reasons,
            documents=letters,
            today=on,
            new_date=new_date,
            basis=basis,
        )
        plan = ImplementationPlan.objects.select_for_update().filter(proposal=result).first()
        if plan is None:
            plan = ImplementationPlan.objects.create(
                proposal=result, implementation_date=old_date, set_on=on, created_by=by
            )
        decision = authority_decision_record(
            proposal=result,
            by=by,
            kind="implementation_date_directed",
            reasons=reasons,
            on=on,
            new_date=new_date,
            basis=basis,
            document=letters[0] if letters else None,
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
        authority_step_notify(
            proposal=result,
            kind="implementation_date_directed",
            reasons=reasons,
            on=on,
            detail=f"New implementation date: {new_date:%d %B %Y} (was {change.old_date:%d %B %Y}).",
        )
    return change
