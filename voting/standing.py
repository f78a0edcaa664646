"""The standing votes of a ballot, read from its hash-chained log (the log is the vote).

An entry's payload answers one or more questions for one Group (its roll entry); a later entry
for the same Group and question supersedes the earlier answer. What stands after the last entry
is the vote: the tally, the declaration and the publication are computed from it.

`standing_from_payloads` is pure (the verification tool uses it on a download, with no
database); `standing_votes` reads a ballot's log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Standing:
    roll_entry: int
    question: int
    choice: str
    reason: str
    sequence: int
    entry_hash: str
    cast_at: str


def standing_from_payloads(
    entries: Iterable[tuple[int, str, Mapping[str, Any]]],
) -> dict[tuple[int, int], Standing]:
    """(sequence, entry hash, payload) in sequence order -> {(roll entry, question): Standing}."""
    standing: dict[tuple[int, int], Standing] = {}
    for sequence, entry_hash, payload in entries:
        roll_entry = int(payload["roll_entry"])
        for answer in payload["answers"]:
            question = int(answer["question"])
            standing[(roll_entry, question)] = Standing(
                roll_entry=roll_entry,
                question=question,
                choice=str(answer["choice"]),
                reason=str(payload.get("reason", "")),
                sequence=sequence,
                entry_hash=entry_hash,
                cast_at=str(payload.get("cast_at", "")),
            )
    return standing


def standing_votes(ballot_id: int) -> dict[tuple[int, int], Standing]:
    """The standing answers of a ballot's log, in one query."""
    from .models import VoteLogEntry

    rows = (
        VoteLogEntry.objects.filter(ballot_id=ballot_id)
        .order_by("sequence")
        .values_list("sequence", "entry_hash", "payload")
    )
    return standing_from_payloads(rows.iterator())
