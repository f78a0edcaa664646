"""Who may take a step on a Change Proposal (10.2, 11.29-11.31, 13.13, 13.17)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from panel import access


def _is_proposer(user: Any, p: Any) -> bool:
    if p.proposer_party_id and p.proposer_party_id in user.represented_party_ids():
        return True
    if p.raised_by_id is not None and p.raised_by_id == user.pk and not p.proposer_party_id:
        return True
    return bool(p.proposer_kind == "authority" and user.is_authority)


class Actor(Enum):
    """A party to a step; the value completes "only ... may"."""

    SECRETARIAT = "the Secretariat"
    PANEL = "the Panel (recorded by the Secretariat)"
    AUTHORITY = "the Authority"
    PROPOSER = "the Proposer"
    PARTY = "a Party"
    APPELLANT = "a Party, the Consumer Body, the transmission operator or a designated body"
    SYSTEM = "the scheduled job"

    def allows(self, user: Any, proposal: Any) -> bool:
        if user is None:
            return self is Actor.SYSTEM
        if not getattr(user, "is_authenticated", False):
            return False
        if access.allowed(user, access.SECRETARIAT):
            # The Secretariat records Panel decisions, Authority directions received in writing,
            # acts on behalf of proposers (10.2) and of a Party that adopts by notice (11.31),
            # and runs the scheduled steps by hand.
            return True
        if self is Actor.AUTHORITY:
            return bool(user.is_authority)
        if self is Actor.PROPOSER:
            return _is_proposer(user, proposal)
        if self is Actor.PARTY:
            return user.role == "PARTY_REPRESENTATIVE" and bool(user.represented_party_ids())
        if self is Actor.APPELLANT:
            return user.role in ("PARTY_REPRESENTATIVE", "CONSUMER_BODY", "OTHER_BODY")
        return False
