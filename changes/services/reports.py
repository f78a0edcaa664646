"""Change Reports (11.19-11.24); their alternatives are in `alternatives` (11.18, 11.23)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from panel import access
from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import User
from panel.services.common import audited_save

from ..audit import ChangeAction
from ..models import (
    ELIGIBLE_CATEGORY_CODES,
    AuthorityDecision,
    ChangeDocument,
    ChangeProposal,
    ChangeReport,
)
from ..states import State
from .authority import authority_step_date, authority_step_notify
from .documents import Upload, documents_attach

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
    *,
    report: ChangeReport,
    by: User,
    sent_on: dt.date | None = None,
    today: dt.date | None = None,
) -> ChangeReport:
    """Provide the report to the Authority: the 7-day wait before the vote starts (11.22.2).

    The date is the day it was provided: not before the report was made, not in the future
    (a backdated date would skip the wait). The Authority is sent the report's notice."""
    access.require(
        by,
        access.SECRETARIAT,
        doing="send the Change Report to the Authority (11.22)",
        rule="11.22",
    )
    # `today` is the system's clock; only the demo's walk through past days gives it.
    today = today or timezone.localdate()
    made = min(timezone.localdate(report.created_at), today) if report.created_at else today
    on = sent_on or today
    if on > today:
        raise DomainError(
            f"The Change Report cannot be provided to the Authority after today "
            f"({today:%d %B %Y}); give the day it was sent (11.22.2).",
            field="sent_on",
            rule="date_not_in_future",
        )
    if on < made:
        raise DomainError(
            f"Version {report.version} of the Change Report was made on {made:%d %B %Y}; it "
            "cannot have been provided to the Authority before then (11.22.2).",
            field="sent_on",
            rule="11.22.2",
        )
    with transaction.atomic():
        report.sent_to_authority_on = on
        audited_save(
            report,
            ["sent_to_authority_on"],
            by=by,
            action=ChangeAction.CHANGE_REPORT_SENT_TO_AUTHORITY,
        )
        mail_send(
            template="changes/authority_report_sent",
            to=[settings.AUTHORITY_EMAIL],
            bcc=[settings.SECRETARIAT_EMAIL],
            context={
                "report": report,
                "proposal": report.proposal,
                "on": on,
                "earliest": earliest_vote_date(report),
            },
        )
    return report


def change_report_exempt_wait(
    *,
    report: ChangeReport,
    by: User,
    reasons: str = "",
    decided_on: dt.date | None = None,
    document: ChangeDocument | Upload | None = None,
) -> ChangeReport:
    """The Authority exempts the report from the 7-day wait (11.22.2): online it is dated today;
    recorded by the Secretariat it needs the Authority's letter, dated not before the report was
    provided to the Authority nor in the future."""
    if not access.allowed(by, access.SECRETARIAT_OR_AUTHORITY):
        raise NotAllowed("Only the Authority may exempt the 7-day wait (11.22.2).", rule="11.22.2")
    proposal = report.proposal
    if report.sent_to_authority_on is None:
        raise Conflict(
            f"Version {report.version} of the Change Report has not been provided to the "
            "Authority yet, so there is no 7-day wait to exempt (11.22.2).",
            rule="11.22.2",
        )
    if report.authority_exempted_wait:
        raise Conflict(
            f"Version {report.version} of the Change Report is already exempt from the 7-day "
            "wait (11.22.2).",
            rule="11.22.2",
        )
    if proposal.status not in REPORT_STATES:
        raise Conflict(
            f"{proposal.reference} is '{proposal.get_status_display()}': the wait before the "
            "vote can only be exempted before the proposal is submitted to the vote (11.22.2).",
            rule="11.22.2",
        )
    on = authority_step_date(
        proposal=proposal,
        by=by,
        decided_on=decided_on,
        document=document,
        not_before=report.sent_to_authority_on,
        answering="the day the Change Report was provided to the Authority",
        clause="11.22.2",
    )
    with transaction.atomic():
        letters = documents_attach(
            proposal=proposal, by=by, documents=[document] if document else ()
        )
        report.authority_exempted_wait = True
        audited_save(
            report,
            ["authority_exempted_wait"],
            by=by,
            action=ChangeAction.CHANGE_REPORT_WAIT_EXEMPTED,
        )
        AuthorityDecision.objects.create(
            proposal=proposal,
            kind="wait_exempted",
            decided_on=on,
            reasons=reasons,
            data={"report_version": report.version},
            recorded_by=by,
            document=letters[0] if letters else None,
        )
        authority_step_notify(proposal=proposal, kind="wait_exempted", reasons=reasons, on=on)
    return report
