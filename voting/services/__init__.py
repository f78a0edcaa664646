"""Writes of the voting app: every one checks permission, audits and schedules its side effects."""

from .ballots import (
    ballot_close,
    ballot_open,
    ballot_open_election,
    ballot_open_for_proposal,
    ballot_void,
    ballots_close_due,
)
from .casting import CastResult, vote_cast
from .declaring import ballot_declare, declaration_notify
from .reminders import reminders_send

__all__ = [
    "CastResult",
    "ballot_close",
    "ballot_declare",
    "ballot_open",
    "ballot_open_election",
    "ballot_open_for_proposal",
    "ballot_void",
    "ballots_close_due",
    "declaration_notify",
    "reminders_send",
    "vote_cast",
]
