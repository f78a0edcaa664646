"""Receipts and the hash chain of a ballot's vote log (12.4.6: votes not interfered with).

Each cast appends one VoteLogEntry whose hash is sha256 of: the previous entry's hash, a newline,
the entry's sequence number, a newline, and the canonical JSON of the cast (its payload). The hash
is the receipt code the voter keeps. Changing, inserting or removing any entry breaks every later
link, which `verify_chain` reports.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .models import Ballot, VoteLogEntry


def canonical_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(previous_hash: str, sequence: int, body: str) -> str:
    """The hash of one link from the canonical JSON text of its payload."""
    return hashlib.sha256(f"{previous_hash}\n{sequence}\n{body}".encode()).hexdigest()


def chain_hash(previous_hash: str, sequence: int, payload: dict[str, Any]) -> str:
    return link_hash(previous_hash, sequence, canonical_json(payload))


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch in "0123456789abcdef")


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    head: str
    problem: str = ""
    bad_sequence: int | None = None


def verify_chain(ballot: Ballot) -> ChainCheck:
    """Recompute every link of the ballot's log, in sequence order, from the genesis (empty)."""
    previous = ""
    count = 0
    expected_sequence = 1
    for entry in VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence").iterator():
        count += 1
        if entry.sequence != expected_sequence:
            return ChainCheck(
                False, count, previous, f"entry {expected_sequence} is missing", expected_sequence
            )
        if entry.previous_hash != previous:
            return ChainCheck(
                False,
                count,
                previous,
                f"entry {entry.sequence} does not follow its predecessor",
                entry.sequence,
            )
        if chain_hash(previous, entry.sequence, entry.payload) != entry.entry_hash:
            return ChainCheck(
                False, count, previous, f"entry {entry.sequence} was altered", entry.sequence
            )
        previous = entry.entry_hash
        expected_sequence += 1
    if ballot.chain_head and previous != ballot.chain_head:
        return ChainCheck(False, count, previous, "the log does not end at the recorded head")
    return ChainCheck(True, count, previous)
