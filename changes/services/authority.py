"""The Authority's decisions (13.9-13.12, 13.11A) and directions on a proposal, each recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import DomainError
from panel.models import User

from ..audit import ChangeAction
from ..models import AuthorityDecision, ChangeDocument, ChangeProposal
from ..states import IN_ASSESSMENT
from .documents import Upload, documents_attach
from .steps import proposal_transition

AUTHORITY_DECISIONS = {
    "accept": "authority_accept",
    "reject": "authority_reject",
    "send_back": "authority_send_back",
}
# Called in the send-back's transaction with (proposal=, by=, reasons=, on=): the voting app voids
# the vote the Authority sent back (13.11A.1). It registers from VotingConfig.ready(), since
# changes never imports voting.
SendBackHandler = Callable[..., object]
_SEND_BACK_HANDLERS: list[SendBackHandler] = []


def register_send_back_handler(handler: SendBackHandler) -> None:
    """Safe to call again: a handler is registered once."""
    if handler not in _SEND_BACK_HANDLERS:
        _SEND_BACK_HANDLERS.append(handler)


# The steps `proposal_authority_direct` records as the Authority's (10.21-10.23, 11.9A-11.21, 11.29A).
AUTHORITY_DIRECTIONS = frozenset(
    {
        "authority_direct_acceptance",
        "authority_decline",
        "authority_part_opinion",
        "authority_timetable_direction",
        "veto_timetable_variation",
        "scr_direction",
        "scr_suspend",
        "scr_resume",
        "backstop_withdraw",
    }
)


def authority_decision_record(
    *, proposal: ChangeProposal, by: User, kind: str, reasons: str, on: dt.date, **data: Any
) -> AuthorityDecision:
    """Keep the Authority's decision or direction taken with a step (13.13: received in writing
    by the Secretariat, or made by the Authority)."""
    access.require(by, access.SECRETARIAT_OR_AUTHORITY, doing="record a decision of the Authority")
    document = data.pop("document", None)
    decision = AuthorityDecision.objects.create(
        proposal=proposal,
        kind=kind,
        decided_on=on,
        reasons=reasons,
        data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()},
        recorded_by=by,
        document=document,
    )
    audit_record(actor=by, action=ChangeAction.for_authority_decision(kind), target=decision)
    return decision


def proposal_authority_decide(
    *,
    proposal: ChangeProposal,
    by: User,
    decision: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    document: ChangeDocument | Upload | None = None,
) -> ChangeProposal:
    """Part 1: accept, reject (13.12) or revise and resubmit, the vote void (13.11A): the ballot
    is voided in the same transaction by the registered handler (voting)."""
    if decision not in AUTHORITY_DECISIONS:
        raise DomainError("The Authority accepts, rejects or sends back.", field="decision")
    on = decided_on or timezone.localdate()
    action = AUTHORITY_DECISIONS[decision]
    with transaction.atomic():
        letters = documents_attach(
            proposal=proposal, by=by, documents=[document] if document else ()
        )
        result = proposal_transition(
            proposal=proposal,
            action=action,
            by=by,
            reason=reasons,
            documents=letters,
            today=on,
        )
        authority_decision_record(
            proposal=result,
            by=by,
            kind=action,
            reasons=reasons,
            on=on,
            document=letters[0] if letters else None,
        )
        if action == "authority_send_back":
            for handler in _SEND_BACK_HANDLERS:
                handler(proposal=result, by=by, reasons=reasons, on=on)
    return result


def proposal_authority_direct(
    *,
    proposal: ChangeProposal,
    by: User,
    action: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    **data: Any,
) -> ChangeProposal:
    """Any other Authority direction or opinion on a proposal, recorded with the step.

    `action` is one of authority_direct_acceptance, authority_decline, authority_part_opinion
    (part=1|2), authority_timetable_direction (timetable=[...], implementation_date=...),
    veto_timetable_variation, scr_direction (within_scope=bool), scr_suspend, scr_resume,
    backstop_withdraw.
    """
    if action not in AUTHORITY_DIRECTIONS:
        raise DomainError(
            f"'{action}' is not a direction or opinion of the Authority.", field="action"
        )
    on = decided_on or timezone.localdate()
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal, action=action, by=by, reason=reasons, today=on, **data
        )
        authority_decision_record(
            proposal=result, by=by, kind=action, reasons=reasons, on=on, **data
        )
        if (
            action == "scr_direction"
            and data.get("within_scope")
            and result.status in IN_ASSESSMENT
        ):
            result = proposal_transition(
                proposal=result,
                action="scr_suspend",
                by=by,
                reason=reasons or "Within the scope of a Significant Code Review (10.23.2(A)).",
                today=on,
            )
    return result
