"""The 14.3 re-vote: after the variation is accepted but the implementation date rejected, only a
newly proposed date is assessed and voted on. Before it goes to the vote there must be a new
version of the Change Report, prepared after the rejection, whose date differs from every date
already voted on, provided to the Authority at least 7 days before (11.22.2).

Uses the proposal's related managers only (this package imports no models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .transitions import Context

# The steps at which the report then current was put to (or declared on by) the vote.
VOTED_AT = ("voting_open", "vote_declared_date_rejected")


def dates_voted_on(proposal: Any) -> set[dt.date]:
    """The implementation dates of the Change Report versions the Parties have voted on."""
    reports = list(proposal.reports.order_by("created_at", "version"))
    dates: set[dt.date] = set()
    for event in proposal.events.filter(action__in=VOTED_AT):
        current = [r for r in reports if r.created_at <= event.at]
        if current:
            dates.add(current[-1].implementation_date)
    return dates


def check_date_revote(ctx: Context, report: Any) -> None:
    """Refuse the 14.3 re-vote unless the date, the report version and the wait are new."""
    p = ctx.proposal
    rejected = p.events.filter(action="vote_declared_date_rejected").order_by("-at", "-pk").first()
    if rejected is None:
        return
    if report.created_at <= rejected.at:
        raise ctx.fail(
            f"the implementation date was rejected on {rejected.on:%d %B %Y} and only a newly "
            "proposed date is voted on again (14.3): prepare a new version of the Change Report "
            "with the new date first",
            field="implementation_date",
        )
    if report.implementation_date in dates_voted_on(p):
        raise ctx.fail(
            f"the Parties have already voted on the implementation date "
            f"{report.implementation_date:%d %B %Y}; the re-vote is on a newly proposed date (14.3)",
            field="implementation_date",
        )
    prepared = timezone.localtime(report.created_at).date()
    if report.sent_to_authority_on is None or report.sent_to_authority_on < prepared:
        raise ctx.fail(
            f"version {report.version} of the Change Report, with the new date, must be provided "
            "to the Authority, and the vote may not start earlier than 7 days after that (11.22.2)",
            field="sent_to_authority_on",
        )
