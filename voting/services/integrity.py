"""The log is the vote: checking a ballot's hash chain and current votes against each other."""

from __future__ import annotations


def ballots_verify_open() -> int:
    """Check every open ballot; how many failed."""
    return 0
