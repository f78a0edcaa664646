"""Alternative variations (11.18, 11.20.6(C)) and the Panel adding them to the Change Report as
lettered alternatives (11.23.3)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.models import User
from panel.services.common import audited_create

from ..audit import ChangeAction
from ..models import (
    AlternativeVariation,
    ChangeProposal,
    ChangeReport,
    ConsultationResponse,
    WorkingGroupMember,
)
from .reports import REPORT_STATES


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
    """Alternatives come only from Working Group members or consultation respondents."""
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
        if not alternative.letter:
            used = set(proposal.alternatives.exclude(letter="").values_list("letter", flat=True))
            free = [letter for letter in ("A", "B") if letter not in used]
            if not free:
                raise DomainError(
                    "At most two alternative variations may be added to a Change Report (11.23.3).",
                    rule="11.23.3",
                )
            alternative.letter = free[0]
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
