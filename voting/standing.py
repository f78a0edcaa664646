"""The standing votes of a ballot, from its hash-chained log (the log is the vote). Pure.

An entry's payload answers one or more questions for one Group (its roll entry); a later entry
for the same Group and question supersedes the earlier answer. What stands after the last entry
is the vote: the tally, the declaration and the publication are computed from it.

`standing_from_payloads` serves the web app (`voting.receipts.standing_votes` reads a ballot's
log) and the verification tool on a download (`python -m voting.verify`), with no database.
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
    category: str = ""
    group: str = ""


class PayloadError(ValueError):
    """A payload that is not the record of a cast (the verification tool reports it, exit 2)."""


def _int(value: object, where: str) -> int:
    if type(value) is not int:
        raise PayloadError(f"{where}: must be an integer")
    return value


def standing_from_payloads(
    entries: Iterable[tuple[int, str, Mapping[str, Any]]],
) -> dict[tuple[int, int], Standing]:
    """(sequence, entry hash, payload) in sequence order -> {(roll entry, question): Standing}.

    Raises PayloadError when a payload lacks its roll entry or answers."""
    standing: dict[tuple[int, int], Standing] = {}
    for sequence, entry_hash, payload in entries:
        where = f"entry {sequence}"
        if not isinstance(payload, Mapping):
            raise PayloadError(f"{where}: the payload must be an object")
        roll_entry = _int(payload.get("roll_entry"), f"{where}.roll_entry")
        answers = payload.get("answers")
        if not isinstance(answers, list):
            raise PayloadError(f"{where}.answers: must be a list")
        for i, answer in enumerate(answers):
            if not isinstance(answer, Mapping) or not isinstance(answer.get("choice"), str):
                raise PayloadError(f"{where}.answers[{i}]: must have a question and a choice")
            question = _int(answer.get("question"), f"{where}.answers[{i}].question")
            standing[(roll_entry, question)] = Standing(
                roll_entry=roll_entry,
                question=question,
                choice=answer["choice"],
                reason=str(payload.get("reason", "")),
                sequence=sequence,
                entry_hash=entry_hash,
                cast_at=str(payload.get("cast_at", "")),
                category=str(payload.get("category", "")),
                group=str(payload.get("group", "")),
            )
    return standing
