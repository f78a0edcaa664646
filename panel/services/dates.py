"""The dates a record can carry (rule 2 of the product): within the years the agreement can
concern, and, for a step already taken that the Secretariat records, not in the future and not
before what it follows. The service is the rule; the forms only help (`panel.forms.fields`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..errors import DomainError

# A typo such as year 20277, 0027 or 9999 is refused wherever a date is entered.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2200, 12, 31)


def check_date(
    value: dt.date | None,
    *,
    field: str,
    what: str,
    past: bool = False,
    not_before: dt.date | None = None,
    not_before_what: str = "",
    today: dt.date | None = None,
    rule: str | None = None,
) -> dt.date | None:
    """Refuse, naming the field, a date outside 1990-2200, one in the future when it records a
    step already taken (`past`), or one before the step or document it follows (`not_before`)."""
    if value is None:
        return None
    clause = f" ({rule})" if rule else ""
    if not EARLIEST <= value <= LATEST:
        raise DomainError(
            f"{what[:1].upper()}{what[1:]} must be between {EARLIEST.year} and {LATEST.year}: "
            f"{value:%d %B %Y} cannot be right{clause}.",
            field=field,
            rule=rule,
        )
    now = today or timezone.localdate()
    if past and value > now:
        raise DomainError(
            f"{what[:1].upper()}{what[1:]} records a step already taken, so it cannot be after "
            f"today ({now:%d %B %Y}); give the day it happened{clause}.",
            field=field,
            rule=rule,
        )
    if not_before is not None and value < not_before:
        raise DomainError(
            f"{what[:1].upper()}{what[1:]} cannot be before {not_before_what or 'the step it follows'}"
            f" ({not_before:%d %B %Y}){clause}.",
            field=field,
            rule=rule,
        )
    return value
