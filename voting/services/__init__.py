"""Writes of the voting app: every one checks permission, audits and schedules its side effects."""

from .ballots import ballot_open, ballot_open_election, ballot_open_for_proposal, ballot_void
from .casting import CastResult, vote_cast
from .closing import ballot_close, ballots_close_due
from .declaring import NotDeclared, ballot_declare
from .notices import declaration_notify
from .reminders import reminders_send

__all__ = [
    "CastResult",
    "NotDeclared",
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
