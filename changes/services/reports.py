"""Change Reports (11.19-11.24) and their alternatives (11.18, 11.20.6(C), 11.23)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import User
from panel.services.common import audited_create, audited_save

from ..audit import ChangeAction
from ..models import (
    ELIGIBLE_CATEGORY_CODES,
    AlternativeVariation,
    ChangeProposal,
    ChangeReport,
    ConsultationResponse,
    WorkingGroupMember,
)
from ..states import State

REPORT_STATES = (State.REPORT_PHASE, State.REPORT_ISSUED, State.DATE_REASSESSMENT)


def earliest_vote_date(report: ChangeReport) -> dt.date | None:
    """Not earlier than 7 days after the report was provided to the Authority (11.22.2)."""
    if report.authority_exempted_wait:
        return report.sent_to_authority_on
    if report.sent_to_authority_on is None:
        return None
    return report.sent_to_authority_on + dt.timedelta(days=7)


def _check_report(
    proposal: ChangeProposal, eligible_categories: Sequence[str], implementation_date: dt.date
) -> None:
    """What 11.19-11.23 ask of a new version: in the Report Phase or before the vote, eligible
    categories named, the Authority's implementation date kept (11.9A.2)."""
    if proposal.status not in REPORT_STATES:
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}'; the Change Report is "
            "prepared in the Report Phase (11.19) or amended before the vote (11.23).",
            rule="11.19",
        )
    bad = [c for c in eligible_categories if c not in ELIGIBLE_CATEGORY_CODES]
    if bad or not eligible_categories:
        raise DomainError(
            "Name the Party Categories eligible to vote (11.20.2)"
            + (f"; unknown: {', '.join(bad)}" if bad else "")
            + ".",
            field="eligible_categories",
        )
    if (
        proposal.implementation_date_fixed_by_authority
        and implementation_date != proposal.proposed_implementation_date
    ):
        raise DomainError(
            "The implementation date was specified by the Authority and may not be amended "
            f"({proposal.proposed_implementation_date:%d %B %Y}) (11.9A.2, 11.23.2).",
            field="implementation_date",
            rule="11.23.2",
        )


def change_report_create(
    *,
    proposal: ChangeProposal,
    by: User,
    eligible_categories: Sequence[str],
    variation: str,
    effects: str,
    implementation_date: dt.date,
    ghg_statement: str = "",
    case_for: str = "",
    case_against: str = "",
    consultation_summary: str = "",
    responses_location: str = "",
) -> ChangeReport:
    """A new version of the Change Report; earlier versions are kept (11.19-11.20, 11.23)."""
    access.require(by, access.SECRETARIAT, doing="prepare the Change Report (11.19)", rule="11.19")
    _check_report(proposal, eligible_categories, implementation_date)
    with transaction.atomic():
        ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        previous = proposal.reports.order_by("-version").first()
        version = (proposal.reports.aggregate(v=Max("version"))["v"] or 0) + 1
        report = ChangeReport.objects.create(
            proposal=proposal,
            version=version,
            eligible_categories=list(eligible_categories),
            variation=variation,
            effects=effects,
            implementation_date=implementation_date,
            ghg_statement=ghg_statement,
            case_for=case_for,
            case_against=case_against,
            consultation_summary=consultation_summary,
            responses_location=responses_location,
            authority_part_opinion=proposal.authority_part_opinion,
            created_by=by,
        )
        if previous is not None:
            report.alternatives.set(previous.alternatives.all())
        audit_record(actor=by, action=ChangeAction.CHANGE_REPORT_CREATED, target=report)
    return report


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


def change_report_send_to_authority(
    *, report: ChangeReport, by: User, sent_on: dt.date | None = None
) -> ChangeReport:
    """Provide the report to the Authority: the 7-day wait before the vote starts (11.22.2)."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="send the Change Report to the Authority (11.22)",
        rule="11.22",
    )
    with transaction.atomic():
        report.sent_to_authority_on = sent_on or timezone.localdate()
        audited_save(
            report,
            ["sent_to_authority_on"],
            by=by,
            action=ChangeAction.CHANGE_REPORT_SENT_TO_AUTHORITY,
        )
    return report


def change_report_exempt_wait(*, report: ChangeReport, by: User) -> ChangeReport:
    """The Authority exempts the report from the 7-day wait (11.22.2)."""
    if not access.allowed(by, access.SECRETARIAT_OR_AUTHORITY):
        raise NotAllowed("Only the Authority may exempt the 7-day wait (11.22.2).", rule="11.22.2")
    with transaction.atomic():
        report.authority_exempted_wait = True
        audited_save(
            report,
            ["authority_exempted_wait"],
            by=by,
            action=ChangeAction.CHANGE_REPORT_WAIT_EXEMPTED,
        )
    return report
