"""Significant Code Reviews (10.22-10.23): their phases, and flagging a proposal within one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from panel import access
from panel.errors import DomainError, NotAllowed
from panel.models import User
from panel.services.common import audited_create, audited_save
from panel.services.dates import check_date

from ..audit import ChangeAction
from ..models import ChangeProposal, SignificantCodeReview
from .steps import proposal_transition


def scr_create(
    *,
    by: User,
    reference: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    scope: str = "",
) -> SignificantCodeReview:
    """A Significant Code Review Phase as stated by the Authority."""
    if not access.allowed(by, access.SECRETARIAT_OR_AUTHORITY):
        raise NotAllowed("Only the Authority starts a Significant Code Review.")
    check_date(starts_on, field="starts_on", what="the day the Review starts", rule="10.22")
    check_date(
        ends_on,
        field="ends_on",
        what="the day the Review ends",
        not_before=starts_on,
        not_before_what="the day it starts",
        rule="10.22",
    )
    with transaction.atomic():
        scr = audited_create(
            SignificantCodeReview,
            by=by,
            action=ChangeAction.SCR_CREATED,
            reference=reference,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            scope=scope,
            created_by=by,
        )
    return scr


def scr_end(*, scr: SignificantCodeReview, by: User, ends_on: dt.date) -> SignificantCodeReview:
    if not access.allowed(by, access.SECRETARIAT_OR_AUTHORITY):
        raise NotAllowed("Only the Authority ends a Significant Code Review.")
    check_date(
        ends_on,
        field="ends_on",
        what="the day the Review ends",
        not_before=scr.starts_on,
        not_before_what="the day it started",
        rule="10.22",
    )
    with transaction.atomic():
        scr.ends_on = ends_on
        audited_save(scr, ["ends_on"], by=by, action=ChangeAction.SCR_ENDED)
    return scr


def proposal_flag_scr(
    *, proposal: ChangeProposal, by: User, scr: SignificantCodeReview, reason: str = ""
) -> ChangeProposal:
    """The Panel considers the proposal within a live Review's scope (10.22): it must refuse it
    unless the Authority directs otherwise."""
    submitted = proposal.submitted_on or timezone.localdate()
    if not scr.is_live_on(submitted):
        raise DomainError(
            f"{scr.reference} was not live when {proposal.reference} was submitted (10.22).",
            field="significant_code_review",
        )
    return proposal_transition(
        proposal=proposal, action="scr_flag", by=by, reason=reason, significant_code_review=scr
    )
