"""Alternative variations (11.18, 11.20.6(C)) and the Panel adding them to the Change Report as
lettered alternatives (11.23.3)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.models import User
from panel.services.common import audited_create
from panel.services.dates import check_date

from ..audit import ChangeAction
from ..models import (
    AlternativeVariation,
    ChangeProposal,
    ChangeReport,
    ConsultationResponse,
    WorkingGroupMember,
)
from ..states import State
from .reports import REPORT_STATES
from .voids import record_void


def alternative_put_forward(
    *,
    proposal: ChangeProposal,
    by: User,
    description: str,
    legal_text: str = "",
    working_group_member: WorkingGroupMember | None = None,
    consultation_response: ConsultationResponse | None = None,
    by_proposer: bool = False,
    why_original_is_better: str = "",
) -> AlternativeVariation:
    """Alternatives come only from Working Group members (11.18) or consultation respondents
    (11.20.6(C)). One is the Proposer's (`by_proposer`: the Panel must then add it to the report,
    11.23) only if it comes from the Proposer: through the Proposer's nominee on the Working Group
    or a response of the Proposer Party; anyone else's is refused as the Proposer's."""
    access.require(
        by, access.SECRETARIAT, doing="record an alternative variation (11.18)", rule="11.18"
    )
    if (working_group_member is None) == (consultation_response is None):
        raise DomainError(
            "An alternative is put forward by a Working Group member (11.18) or a consultation "
            "respondent (11.20.6(C)): name exactly one.",
            field="working_group_member",
        )
    if working_group_member is not None:
        if working_group_member.working_group.proposal_id != proposal.pk:
            raise DomainError("That person is not on this proposal's Working Group.")
        source, name = AlternativeVariation.Source.WORKING_GROUP, working_group_member.name
        from_proposer = working_group_member.is_proposer_nominee
    else:
        assert consultation_response is not None
        if consultation_response.consultation.proposal_id != proposal.pk:
            raise DomainError("That response is not to a consultation on this proposal.")
        if consultation_response.status != "submitted" or consultation_response.is_void:
            raise DomainError(
                "Only a submitted response that stands puts forward an alternative (11.20.6(C)).",
                field="consultation_response",
            )
        source, name = AlternativeVariation.Source.RESPONDENT, consultation_response.respondent_name
        from_proposer = bool(
            proposal.proposer_party_id
            and consultation_response.party_id == proposal.proposer_party_id
        )
    if by_proposer and not from_proposer:
        raise DomainError(
            f"{name} is not the Proposer of {proposal.reference} (nor its nominee): only the "
            "Proposer's own alternative is recorded as the Proposer's (11.23).",
            field="by_proposer",
            rule="11.23",
        )
    if by_proposer:
        source = AlternativeVariation.Source.PROPOSER
    with transaction.atomic():
        alt = audited_create(
            AlternativeVariation,
            by=by,
            action=ChangeAction.ALTERNATIVE_PUT_FORWARD,
            proposal=proposal,
            source=source,
            put_forward_by=name,
            by_proposer=by_proposer,
            working_group_member=working_group_member,
            consultation_response=consultation_response,
            description=description,
            legal_text=legal_text,
            why_original_is_better=why_original_is_better,
        )
    return alt


LETTERS = ("A", "B")


def _next_letter(proposal: ChangeProposal) -> str:
    """The letter an alternative takes when added to the Change Report (11.23.3: at most two).

    A letter names one alternative for good in what was circulated, so a new alternative takes a
    letter never used on the proposal; only when both have been used does it take the letter an
    alternative withdrawn in error has freed (the withdrawn one keeps its letter on the record,
    marked withdrawn). Two standing lettered alternatives leave no room.
    """
    rows = AlternativeVariation.objects.filter(proposal=proposal).exclude(letter="")
    ever = set(rows.values_list("letter", flat=True))
    standing = set(rows.filter(voided_on__isnull=True).values_list("letter", flat=True))
    never_used = [letter for letter in LETTERS if letter not in ever]
    freed = [letter for letter in LETTERS if letter in ever and letter not in standing]
    if never_used:
        return never_used[0]
    if freed:
        return freed[0]
    raise DomainError(
        "At most two alternative variations may be added to a Change Report (11.23.3); "
        "withdraw one added in error first.",
        field="alternative",
        rule="11.23.3",
    )


def alternative_withdraw(
    *, alternative: AlternativeVariation, by: User, reason: str, on: dt.date | None = None
) -> AlternativeVariation:
    """Withdraw an alternative recorded or added in error (marked void with the reason): it stays
    on the record with its letter, marked withdrawn, and frees its place on the report."""
    access.require(
        by, access.SECRETARIAT, doing="withdraw an alternative variation (11.23)", rule="11.23"
    )
    proposal = alternative.proposal
    if proposal.status not in REPORT_STATES and proposal.status != State.DEFINITION:
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}'; an alternative is "
            "withdrawn only before the vote (11.23).",
            rule="11.23",
        )
    check_date(on, field="on", what="the day of the withdrawal", past=True)
    return record_void(
        record=alternative,
        by=by,
        reason=reason,
        on=on,
        action=ChangeAction.ALTERNATIVE_WITHDRAWN,
        missing_reason="Say why the alternative is withdrawn (for example: added in error).",
        already=lambda row: f"That alternative was already withdrawn on {row.voided_on:%d %B %Y}.",
    )


def change_report_add_alternative(
    *, report: ChangeReport, alternative: AlternativeVariation, by: User
) -> AlternativeVariation:
    """The Panel adds up to two alternatives (11.23.3): lettered A then B (DCP 417A, 417B)."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="amend the Change Report at the Panel's direction (11.23)",
        rule="11.23",
    )
    proposal = report.proposal
    if proposal.status not in REPORT_STATES:
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}'; alternatives are added "
            "before the vote (11.23).",
            rule="11.23",
        )
    if alternative.proposal_id != proposal.pk:
        raise DomainError("That alternative is for another proposal.")
    with transaction.atomic():
        ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        alternative.refresh_from_db()
        if alternative.voided_on is not None:
            raise Conflict(
                f"That alternative was withdrawn on {alternative.voided_on:%d %B %Y}; it is not "
                "added to the Change Report.",
                field="alternative",
            )
        if not alternative.letter:
            alternative.letter = _next_letter(proposal)
            try:
                with transaction.atomic():
                    alternative.save(update_fields=["letter"])
            except IntegrityError:
                raise Conflict("Another alternative took that letter; try again.")
        report.alternatives.add(alternative)
        audit_record(
            actor=by, action=ChangeAction.CHANGE_REPORT_ALTERNATIVE_ADDED, target=alternative
        )
    return alternative
