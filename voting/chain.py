"""The hash chain of a ballot's vote log (12.4.6: votes not interfered with), as pure Python.

Each cast appends one entry whose hash is sha256 of: the previous entry's hash, a newline, the
entry's sequence number, a newline, and the canonical JSON of the cast (its payload). The first
entry follows the empty hash. The hash is the receipt the voter keeps; the last hash and the
number of entries (the head) are published at the declaration and in the 13.8 notice, so a log
rewritten inside the database no longer ends at the head everyone holds.

The web app (voting.receipts) and the verification tool (voting.verify) share this module; it
imports nothing from Django.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Keys sorted, no spaces, UTF-8 as is: the one text of a payload that is hashed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(previous_hash: str, sequence: int, body: str) -> str:
    """The hash of one link from the canonical JSON text of its payload."""
    return hashlib.sha256(f"{previous_hash}\n{sequence}\n{body}".encode()).hexdigest()


def chain_hash(previous_hash: str, sequence: int, payload: Mapping[str, Any]) -> str:
    return link_hash(previous_hash, sequence, canonical_json(payload))


@dataclass(frozen=True)
class Link:
    """One entry of a log as stored or downloaded; `payload` is None before the declaration
    (the download then has the hashes only, and only the links can be checked)."""

    sequence: int
    previous_hash: str
    entry_hash: str
    payload: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class ChainFault:
    sequence: int | None
    problem: str


@dataclass(frozen=True)
class ChainCheck:
    """The result of recomputing a log: `head` is the last hash that verified, `entries` how many
    entries were read; `problem` and `bad_sequence` name the first fault, `faults` all of them."""

    ok: bool
    entries: int
    head: str
    problem: str = ""
    bad_sequence: int | None = None
    faults: tuple[ChainFault, ...] = ()
    hashes_checked: bool = True


def check_links(
    links: Iterable[Link], *, head: str | None = None, length: int | None = None
) -> ChainCheck:
    """Recompute every link from the genesis (the empty hash), in sequence order, and compare the
    end with a recorded `head` and `length` when given. Every fault is listed, not just the first.
    """
    faults: list[ChainFault] = []
    previous = ""
    last_good = ""
    count = 0
    hashes_checked = True
    for link in links:
        count += 1
        if link.sequence != count:
            faults.append(ChainFault(count, f"entry {count} is missing (found {link.sequence})"))
            count = link.sequence
        if link.previous_hash != previous:
            faults.append(
                ChainFault(link.sequence, f"entry {link.sequence} does not follow its predecessor")
            )
        if link.payload is None:
            hashes_checked = False
        elif chain_hash(link.previous_hash, link.sequence, link.payload) != link.entry_hash:
            faults.append(ChainFault(link.sequence, f"entry {link.sequence} was altered"))
        if not faults:
            last_good = link.entry_hash
        previous = link.entry_hash
    if head is not None and previous != head:
        faults.append(ChainFault(None, "the log does not end at the recorded head"))
    if length is not None and count != length:
        faults.append(
            ChainFault(None, f"the log has {count} entries; the recorded head counts {length}")
        )
    first = faults[0] if faults else ChainFault(None, "")
    return ChainCheck(
        ok=not faults,
        entries=count,
        head=previous if not faults else last_good,
        problem=first.problem,
        bad_sequence=first.sequence,
        faults=tuple(faults),
        hashes_checked=hashes_checked,
    )
