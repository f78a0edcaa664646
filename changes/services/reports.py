"""Change Reports (11.19-11.24); their alternatives are in `alternatives` (11.18, 11.23)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import User
from panel.services.common import audited_save

from ..audit import ChangeAction
from ..models import (
    ELIGIBLE_CATEGORY_CODES,
    ChangeProposal,
    ChangeReport,
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
