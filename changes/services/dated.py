"""The date of a step (rule 2): taken online, today by the system's clock; recorded by the
Secretariat from a letter received, the letter's date, within bounds, neither in the future nor
before the step it follows. A date left out is today's."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from panel import access
from panel.errors import DomainError
from panel.models import User
from panel.services.dates import check_date


def step_date(
    *,
    given: dt.date | None,
    by: User | None,
    field: str,
    not_before: dt.date | None = None,
    after: str = "the step it follows",
    rule: str | None = None,
) -> dt.date:
    today = timezone.localdate()
    if by is None or not access.allowed(by, access.SECRETARIAT):
        if given is not None and given != today:
            raise DomainError(
                "A step taken online is dated today by the system's clock; leave the date out.",
                field=field,
                rule="system_clock",
            )
        return today
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
