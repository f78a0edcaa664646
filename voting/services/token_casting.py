"""A cast with a token (a Party's own system) in one round trip, on PostgreSQL.

`cast_with_token` calls the stored function `voting_token_cast` (migration 0005): it reads the
facts of the cast (`voting_cast_facts`) and, when every rule of `casting.check_cast` is plainly met,
appends the cast (`voting_append_cast`) in the same statement, with the canonical JSON of the cast
made as `voting.receipts.canonical_json` makes it. When a rule is not met it writes nothing and
returns the facts: the caller words the refusal with `check_cast`, the one place the rules are
worded (and appends through `append_cast` should `check_cast` find nothing to refuse).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache

from panel.models import Category

from ..cast_facts import CastFacts, facts_of_row
from .casting import CastResult, cast_statement, clean_reason, schedule_receipts

_SQL = "SELECT * FROM voting_token_cast(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"


@cache
def _category_labels() -> str:
    """{category: label} as JSON, for the audit record's 'Group name (Category)'."""
    return json.dumps({c.value: str(c.label) for c in Category}, ensure_ascii=False)


@dataclass(frozen=True)
class TokenCastOutcome:
    """Either the cast was appended (`result`), or the facts to word its refusal are back
    (`facts`), or neither: no such ballot, token or Group (`voting.api` answers those)."""

    result: CastResult | None
    group_name: str
    facts: CastFacts | None


def cast_with_token(
    *,
    ballot_id: int,
    group: str,
    token: str,
    question: int,
    choice: str,
    reason: str,
    now: dt.datetime,
) -> TokenCastOutcome:
    """One statement; `group` is a roll entry id (digits) or a Group key, as in the API."""
    by_id = group.isdigit() and len(group) < 19
    choice = choice.strip()
    params: list[int | str | None] = [
        ballot_id,
        token,
        int(group) if by_id else None,
        None if by_id else group,
        question,
        choice,
        choice.lower(),  # normalise_choice compares "reject" and "accept" in Python's lower case
        clean_reason(reason),
        now.isoformat(),
        _category_labels(),
    ]
    with cast_statement(ballot_id, now) as cursor:
        cursor.execute(_SQL, params)
        row = cursor.fetchone()
    receipt = row[18]
    if receipt is None:
        return TokenCastOutcome(None, "", facts_of_row(row))
    label, sequence, changed, log_id = row[17], row[19], row[20], row[21]
    schedule_receipts()
    return TokenCastOutcome(
        CastResult(receipt, sequence, changed, [(question, label)], log_id), row[14], None
    )
