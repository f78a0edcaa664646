"""The date of a step (rule 2): taken online, today by the system's clock; recorded by the
Secretariat from a letter received, the letter's date, within bounds, neither in the future nor
before the step it follows. A date left out is today's."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from panel import access
from panel.errors import DomainError
from panel.models import User
from panel.services.dates import check_date

from ..models import ChangeProposal


def last_step_on(proposal: ChangeProposal) -> dt.date | None:
    """The day of the latest step recorded on the proposal (what a later step answers)."""
    latest: dt.date | None = proposal.events.aggregate(on=Max("on"))["on"]
    return latest or proposal.submitted_on


def online_date(given: dt.date | None, *, field: str, who: str = "A step taken online") -> dt.date:
    """A step taken in the system is dated today by its clock; a date given with it is refused."""
    today = timezone.localdate()
    if given is not None and given != today:
        raise DomainError(
            f"{who} is dated today by the system's clock; leave the date out.",
            field=field,
            rule="system_clock",
        )
    return today


def step_date(
    *,
    given: dt.date | None,
    by: User | None,
    field: str,
    not_before: dt.date | None = None,
    after: str = "the step it follows",
    rule: str | None = None,
) -> dt.date:
    if by is None or not access.allowed(by, access.SECRETARIAT):
        return online_date(given, field=field)
    today = timezone.localdate()
    if given is None:
        return today
    on = given
    check_date(
        on,
        field=field,
        what="the date of the letter",
        past=True,
        not_before=not_before,
        not_before_what=after,
        today=today,
        rule=rule,
    )
    return on
