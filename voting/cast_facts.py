"""What the rules of a cast read (`CastFacts`), gathered before any lock.

`voting.services.casting` checks every rule on CastFacts. A cast through the web form or the
framework's view gathers them from the objects it has (`casting.facts_of`); a cast with a token
reads them in the PostgreSQL function `voting_cast_facts` (migration 0003), called by
`voting_token_cast` in the same statement as the append (`voting.services.token_casting`): the
token's user and whether it has a confirmed second-factor device, the ballot's window, the roll
Group, whether the user is a confirmed authorised voter of a member Party (12.4.5), and the options
of the question answered. `facts_of_row` reads them back when that function appended nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from panel.models import Category

from .models import Ballot


@dataclass(frozen=True)
class Window:
    """The columns of a ballot that decide whether it accepts a vote now."""

    reference: str
    status: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    voided_at: dt.datetime | None

    @classmethod
    def of(cls, ballot: Ballot) -> Window:
        return cls(
            ballot.reference,
            ballot.status,
            ballot.opens_at,
            ballot.closes_at,
            ballot.closed_at,
            ballot.voided_at,
        )


def category_label(category: str) -> str:
    try:
        return str(Category(category).label)
    except ValueError:
        return category


@dataclass(frozen=True)
class CastFacts:
    """What the rules of a cast read, gathered before any lock."""

    ballot_id: int
    window: Window
    roll_entry_id: int
    roll_ballot_id: int
    category: str
    group_key: str
    group_name: str
    user_id: int | None
    authorised: bool
    second_factor: bool
    # question id -> its options on the ballot; only the questions being answered are needed
    questions: Mapping[int, list[str]]

    @property
    def roll_entry_label(self) -> str:
        """As str(RollEntry): 'Group name (Category)'."""
        return f"{self.group_name} ({category_label(self.category)})"


def pg_array(items: Iterable[str]) -> str:
    """A PostgreSQL array literal of strings ('{"1","A"}'), cheaper to pass than a list."""
    quoted = (x.replace("\\", "\\\\").replace('"', '\\"') for x in items)
    return "{" + ",".join(f'"{x}"' for x in quoted) + "}"


def facts_of_row(row: Sequence[Any]) -> CastFacts | None:
    """CastFacts from the 17 columns of `voting_cast_facts` (the first 17 of `voting_token_cast`),
    or None when there is no such ballot, no active user with that token, or no such roll Group."""
    (b_id, ref, status, opens, closes, closed, voided, u_id, active, device) = row[:10]
    (e_id, e_ballot, category, key, name, authorised, options) = row[10:17]
    user_id = u_id if active else None
    if b_id is None or user_id is None or e_id is None:
        return None
    if isinstance(options, str):
        options = json.loads(options)
    return CastFacts(
        ballot_id=b_id,
        window=Window(ref, status, opens, closes, closed, voided),
        roll_entry_id=e_id,
        roll_ballot_id=e_ballot,
        category=category,
        group_key=key,
        group_name=name,
        user_id=user_id,
        authorised=bool(authorised),
        second_factor=bool(device),  # a token counts when the account has a confirmed device
        questions={int(q): list(o) for q, o in (options or {}).items()},
    )
