"""Where the dashboard's rows link to: a proposal's page and its vote page."""

from __future__ import annotations


def vote_url(reference: str) -> str:
    return f"/changes/{reference.replace(' ', '-')}/vote/"


def proposal_url(number: int | None) -> str:
    return f"/changes/DCP-{number}/" if number else ""
