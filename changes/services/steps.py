"""The one service that moves a Change Proposal: every step of `changes.states.machine`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from panel.audit import audit_record
from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError
from panel.models import User
from panel.services.dates import check_date

from .. import states
from ..audit import ChangeAction
from ..models import ChangeDocument, ChangeProposal, Deadline, ProposalEvent, WorkingGroup
from ..states import State
from ..states.deadlines import end_stages
from .documents import Upload, documents_attach
from .notices import proposal_event_notify


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


def _lock(proposal: ChangeProposal) -> ChangeProposal:
    return (
        ChangeProposal.objects.select_for_update(of=("self",))
        .select_related("current_deadline", "proposer_party")
        .get(pk=proposal.pk)
    )


def _take(
    p: ChangeProposal,
    t: states.Transition,
    *,
    by: User | None,
    reason: str,
    on: dt.date,
    data: dict,
) -> tuple[State, State, dict[str, Any]]:
    """Check and apply the step to the locked proposal; (from, to, the step's data)."""
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
    if p.timetable:
        p.timetable = end_stages(p.timetable, from_state, target, on)
    _apply_deadline(p, target, from_state, on, cal)
    if target == State.LEFT_PROCESS:
        _on_leaving_process(p, on, t.action)
    try:
        with transaction.atomic():
            p.save()
    except IntegrityError:
        raise Conflict(
            f"{p.reference} was changed by someone else at the same time; please try again."
        )
    return from_state, target, ctx.data


def _check_step_date(p: ChangeProposal, on: dt.date) -> None:
    """A step recorded on a given day: within 1990-2200 and not before the step it follows."""
    last = p.events.order_by("-on").values_list("on", flat=True).first()
    check_date(
        on,
        field="today",
        what=f"the day of this step on {p.reference}",
        not_before=last,
        not_before_what="the last step recorded on it",
    )


def proposal_transition(
    *,
    proposal: ChangeProposal,
    action: str,
    by: User | None,
    reason: str = "",
    documents: Iterable[ChangeDocument | Upload] = (),
    today: dt.date | None = None,
    **data: Any,
) -> ChangeProposal:
    """The single entry point that moves a proposal (consults `changes.states`).

    Locks the row, checks who and from where, runs the step's checks and effects, assigns the
    status, moves the deadline, writes the ProposalEvent, the AuditRecord and the owed notice in
    the same transaction; the notice is sent once it commits. A refusal is a DomainError naming
    the rule, and nothing is written.
    """
    on = today or timezone.localdate()
    t = states.transition(action)
    with transaction.atomic():
        p = _lock(proposal)
        if today is not None:
            _check_step_date(p, today)
        from_state, target, step_data = _take(p, t, by=by, reason=reason, on=on, data=data)
        event_data = _jsonable(step_data)
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
        docs = documents_attach(proposal=p, by=by, documents=documents)
        if docs:
            event.documents.set(docs)
        audit_record(
            actor=by,
            action=ChangeAction.for_step(action),
            target=p,
            data={"from": from_state, "to": target, "reason": reason, "event": event.pk},
        )
        proposal_event_notify(event=event, notice=t.notice)
    proposal.refresh_from_db()
    return p
