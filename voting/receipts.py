"""A ballot's vote log as stored: its receipts, its chain recomputed, and the votes that stand.

The hashing is pure (voting.chain, shared with `python -m voting.verify`); this module reads the
log from the database. The log is the vote: `standing_votes` is what the tally, the declaration
and the publication count, and the current-vote table is checked against it
(voting.services.integrity).
"""

from __future__ import annotations

from .chain import ChainCheck, Link, canonical_json, chain_hash, check_links, link_hash
from .models import Ballot, VoteLogEntry
from .standing import Standing, standing_from_payloads

__all__ = [
    "ChainCheck",
    "canonical_json",
    "chain_hash",
    "link_hash",
    "log_links",
    "normalise_receipt",
    "standing_votes",
    "verify_chain",
]


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch in "0123456789abcdef")


def log_links(ballot_id: int) -> list[Link]:
    """Every entry of a ballot's log, in sequence order (one query)."""
    rows = (
        VoteLogEntry.objects.filter(ballot_id=ballot_id)
        .order_by("sequence")
        .values_list("sequence", "previous_hash", "entry_hash", "payload")
    )
    return [Link(s, p, h, payload) for s, p, h, payload in rows]


def verify_chain(ballot: Ballot) -> ChainCheck:
    """Recompute every link of the ballot's log and compare its end with the ballot's head."""
    return check_links(log_links(ballot.pk), head=ballot.chain_head, length=ballot.chain_length)


def standing_votes(
    ballot_id: int, *, through: int | None = None
) -> dict[tuple[int, int], Standing]:
    """{(roll entry id, question id): Standing} after the last entry (or entry `through`), in one
    query: what each Group's vote is, according to the log."""
    rows = VoteLogEntry.objects.filter(ballot_id=ballot_id).order_by("sequence")
    if through is not None:
        rows = rows.filter(sequence__lte=through)
    return standing_from_payloads(rows.values_list("sequence", "entry_hash", "payload").iterator())
