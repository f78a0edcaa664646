"""The frozen roll of a ballot (12.3, 12.12), and what happened to its Parties' rights while the
vote was open (54.3-54.4, Clause 4, 12.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from panel.models import CATEGORIES_WITH_N, Category
from panel.selectors import Purpose, groups_of

from ..models import Ballot, RollEntry, RollMember


def freeze_roll(ballot: Ballot, eligible: Sequence[str], purpose: Purpose) -> list[RollEntry]:
    """Write the roll: each eligible category's Groups on the day of the vote, with N (12.3, 12.12).

    Suspended Parties are not members (54.4); a Group left with no member is not on the roll.
    IDNO and OTSO Parties are kept or dropped by their own eligibility.
    """
    entries: list[RollEntry] = []
    members: list[list[Any]] = []
    for category in Category:
        if category == Category.IDNO_OTSO:
            allowed = {s for s in ("IDNO", "OTSO") if s in eligible}
        else:
            allowed = {""} if category.value in eligible else set()
        if not allowed:
            continue
        for group in groups_of(category, ballot.roll_date, purpose):
            kept = [
                m for m in group.members if category != Category.IDNO_OTSO or m.idno_otso in allowed
            ]
            if not kept:
                continue
            n = sum(m.n or 0 for m in kept) if category in CATEGORIES_WITH_N else None
            entries.append(
                RollEntry(
                    ballot=ballot,
                    category=category,
                    group_key=group.key,
                    group_name=group.name,
                    n=n,
                )
            )
            members.append(kept)
    RollEntry.objects.bulk_create(entries)
    RollMember.objects.bulk_create(
        RollMember(roll_entry=entry, party_id=m.party_id, idno_otso=m.idno_otso, n=m.n)
        for entry, kept in zip(entries, members, strict=True)
        for m in kept
    )
    return entries


def rights_lost_at_close(ballot: Ballot, now: dt.datetime) -> list[dict[str, Any]]:
    """Record (once) every roll member that lost its right to vote while the ballot was open and
    return the notes the declaration lists: [{"group", "category", "party", "reason", "rule"}]."""
    return []
