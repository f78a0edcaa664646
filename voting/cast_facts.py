"""What the rules of a cast read (`CastFacts`), and the one query that gathers them for the API.

`voting.services.casting` checks every rule on CastFacts before taking any lock. Casting through
the API with a token reads everything in one query here (`facts_for_token`): the token's user and
whether it has a confirmed second-factor device, the ballot's window, the roll Group, whether the
user is a confirmed authorised voter of a member Party (12.4.5), and the options of the questions
answered. Table names come from the models, so a renamed table cannot go unnoticed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from panel.models import Category, PartyRepresentative, User

from .models import Ballot, Question, RollEntry, RollMember


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


@dataclass(frozen=True)
class TokenCast:
    """What one query found for a cast with a token: any part may be missing."""

    ballot_found: bool
    user_id: int | None  # None: no such token, or its user is inactive
    user_active: bool
    facts: CastFacts | None  # None: no ballot, no user, or the Group is not on the roll


def _sql() -> str:
    t = {
        "ballot": Ballot._meta.db_table,
        "entry": RollEntry._meta.db_table,
        "member": RollMember._meta.db_table,
        "question": Question._meta.db_table,
        "rep": PartyRepresentative._meta.db_table,
        "token": Token._meta.db_table,
        "user": User._meta.db_table,
        "device": TOTPDevice._meta.db_table,
    }
    # Table names come from the models; every value is bound as a parameter.
    return f"""
SELECT b.id, b.reference, b.status, b.opens_at, b.closes_at, b.closed_at, b.voided_at,
       u.id, u.is_active,
       EXISTS (SELECT 1 FROM {t["device"]} d WHERE d.user_id = u.id AND d.confirmed),
       r.id, r.ballot_id, r.category, r.group_key, r.group_name,
       EXISTS (SELECT 1 FROM {t["member"]} m JOIN {t["rep"]} p ON p.party_id = m.party_id
                WHERE m.roll_entry_id = r.id AND p.user_id = u.id
                  AND p.authorised_voter AND p.confirmed_at IS NOT NULL),
       (SELECT json_object_agg(q.id, q.options) FROM {t["question"]} q
         WHERE q.ballot_id = b.id AND q.id = ANY (%(questions)s::bigint[]))
  FROM (SELECT 1) AS one
  LEFT JOIN {t["ballot"]} b ON b.id = %(ballot)s
  LEFT JOIN {t["token"]} k ON k.key = %(token)s
  LEFT JOIN {t["user"]} u ON u.id = k.user_id
  LEFT JOIN LATERAL (
        SELECT e.id, e.ballot_id, e.category, e.group_key, e.group_name FROM {t["entry"]} e
         WHERE e.ballot_id = b.id
           AND (e.id = %(entry)s OR e.group_key = %(key)s)
         ORDER BY e.id LIMIT 1) r ON TRUE
"""  # noqa: S608


_SQL: str | None = None


def facts_for_token(
    *, ballot_id: int, group: str, token: str, question_ids: Sequence[int]
) -> TokenCast:
    """One query: `group` is a roll entry id (digits) or a Group key, as in the API."""
    global _SQL
    if _SQL is None:
        _SQL = _sql()
    by_id = group.isdigit() and len(group) < 19
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL,
            {
                "ballot": ballot_id,
                "token": token,
                "entry": int(group) if by_id else None,
                "key": None if by_id else group,
                "questions": list(question_ids),
            },
        )
        row = cursor.fetchone()
    (b_id, ref, status, opens, closes, closed, voided, u_id, active, device) = row[:10]
    (e_id, e_ballot, category, key, name, authorised, options) = row[10:]
    user_id = u_id if active else None
    if b_id is None or user_id is None or e_id is None:
        return TokenCast(b_id is not None, user_id, bool(active), None)
    if isinstance(options, str):
        options = json.loads(options)
    facts = CastFacts(
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
    return TokenCast(True, user_id, True, facts)
