"""The Authority's decisions (13.9-13.12, 13.11A) and directions on a proposal, each recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import DomainError
from panel.mail import mail_send
from panel.models import User

from ..audit import ChangeAction
from ..models import AuthorityDecision, ChangeDocument, ChangeProposal
from ..states import IN_ASSESSMENT, State
from .dated import last_step_on, online_date
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


def authority_step_date(
    *,
    proposal: ChangeProposal,
    by: User,
    decided_on: dt.date | None,
    document: object | None,
    not_before: dt.date | None = None,
    answering: str = "the step it answers",
    field: str = "decided_on",
    clause: str = "13.13",
) -> dt.date:
    """The date an Authority step takes effect.

    Taken online by the Authority: today, by the system's clock (a date it gives is refused).
    Recorded by the Secretariat from a letter received (13.13): the letter is attached, and
    its date is neither in the future nor before the step it answers.
    """
    if not access.allowed(by, access.SECRETARIAT):
        return online_date(decided_on, field=field, who="A step the Authority takes online")
    today = timezone.localdate()
    if document is None:
        raise DomainError(
            "Attach the Authority's letter: a decision or direction received in writing is "
            f"recorded with it ({clause}).",
            field="document",
            rule=clause,
        )
    on = decided_on or today
    if on > today:
        raise DomainError(
            f"The date cannot be after today ({today:%d %B %Y}): give the date of the "
            "Authority's letter.",
            field=field,
            rule="date_not_in_future",
        )
    floor = not_before if not_before is not None else last_step_on(proposal)
    if floor is not None and on < floor:
        raise DomainError(
            f"The date cannot be before {answering} ({floor:%d %B %Y}): give the date of the "
            "Authority's letter.",
            field=field,
            rule="date_not_before_step",
        )
    return on


STEP_WORDS = {
    "authority_accept": "accepted the proposal (13.12)",
    "authority_reject": "rejected the proposal (13.12)",
    "authority_send_back": "directed the Panel to revise and resubmit the Change Report (13.11A)",
    "authority_direct_acceptance": "directed the Panel to accept the proposal (10.21)",
    "authority_decline": "declined to direct the Panel to accept the proposal (10.21)",
    "veto_timetable_variation": "vetoed the Panel's variation of the timetable (11.12)",
    "authority_part_opinion": "gave its opinion on whether this is a Part 1 or Part 2 Matter "
    "(11.21)",
    "implementation_date_directed": "directed a new implementation date (14.9-14.11)",
    "wait_exempted": "exempted the Change Report from the 7-day wait before the vote (11.22.2)",
}


def proposer_emails(proposal: ChangeProposal) -> list[str]:
    emails = [proposal.proposer_contact_email] if proposal.proposer_contact_email else []
    party = proposal.proposer_party
    if party is not None and party.notice_email:
        emails.append(party.notice_email)
    return emails


def authority_step_notify(
    *, proposal: ChangeProposal, kind: str, reasons: str, on: dt.date, detail: str = ""
) -> None:
    """Tell the Secretariat (for the Panel) and the Proposer what the Authority did (10.21,
    11.12, 11.21.2, 13.14, 14.9-14.11); the Parties' 13.14 notice is the step's own."""
    mail_send(
        template="changes/authority_step",
        to=[settings.SECRETARIAT_EMAIL],
        bcc=proposer_emails(proposal),
        context={
            "proposal": proposal,
            "what": STEP_WORDS.get(kind, kind),
            "reasons": reasons,
            "on": on,
            "detail": detail,
            "status": State(proposal.status).label,
        },
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
    is voided in the same transaction by the registered handler (voting).

    Taken online by the Authority it is dated today; recorded by the Secretariat it needs the
    letter and a date neither in the future nor before the declaration (13.13)."""
    if decision not in AUTHORITY_DECISIONS:
        raise DomainError("The Authority accepts, rejects or sends back.", field="decision")
    action = AUTHORITY_DECISIONS[decision]
    if not reasons.strip():
        raise DomainError(
            f"{proposal.reference}: give the Authority's reasons for its decision "
            f"({'13.11A' if action == 'authority_send_back' else '13.9-13.12'}).",
            field="reason",
            rule="13.11A" if action == "authority_send_back" else "13.12",
        )
    on = authority_step_date(
        proposal=proposal,
        by=by,
        decided_on=decided_on,
        document=document,
        answering="the declaration of the vote",
    )
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
        authority_step_notify(proposal=result, kind=action, reasons=reasons, on=on)
    return result


def proposal_authority_direct(
    *,
    proposal: ChangeProposal,
    by: User,
    action: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    document: ChangeDocument | Upload | None = None,
    **data: Any,
) -> ChangeProposal:
    """Any other Authority direction or opinion on a proposal, recorded with the step.

    `action` is one of authority_direct_acceptance, authority_decline, authority_part_opinion
    (part=1|2), authority_timetable_direction (timetable=[...], implementation_date=...),
    veto_timetable_variation, scr_direction (within_scope=bool), scr_suspend, scr_resume,
    backstop_withdraw. Dated like a decision (`authority_step_date`).
    """
    if action not in AUTHORITY_DIRECTIONS:
        raise DomainError(
            f"'{action}' is not a direction or opinion of the Authority.", field="action"
        )
    on = authority_step_date(proposal=proposal, by=by, decided_on=decided_on, document=document)
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
            **data,
        )
        authority_decision_record(
            proposal=result,
            by=by,
            kind=action,
            reasons=reasons,
            on=on,
            document=letters[0] if letters else None,
            **data,
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
        if action in STEP_WORDS:
            detail = f"Part {data['part']} Matter" if action == "authority_part_opinion" else ""
            authority_step_notify(
                proposal=result, kind=action, reasons=reasons, on=on, detail=detail
            )
    return result
