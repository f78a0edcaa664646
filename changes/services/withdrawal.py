"""Withdrawal by the Proposer, adoption by a Party (11.29-11.32) and back-stop directions (11.29A)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from panel import access
from panel.errors import NotAllowed
from panel.models import Party, User

from ..models import ChangeProposal
from .authority import proposal_authority_direct
from .proposals import party_standing_problem
from .steps import proposal_transition


def proposal_withdraw(
    *,
    proposal: ChangeProposal,
    by: User,
    reason: str = "",
    authority_consent: str = "",
    on: dt.date | None = None,
) -> ChangeProposal:
    """The Proposer withdraws its support (11.29); Parties are told and may adopt (11.30-11.31).

    A 10.2.5 proposer must give evidence of the Authority's consent (`authority_consent`)."""
    return proposal_transition(
        proposal=proposal,
        action="withdraw",
        by=by,
        reason=reason,
        today=on,
        authority_consent=authority_consent,
    )


def proposal_adopt(
    *, proposal: ChangeProposal, by: User, party: Party, on: dt.date | None = None
) -> ChangeProposal:
    """A Party adopts a withdrawn proposal within 10 Working Days and becomes the Proposer (11.31)."""
    day = on or timezone.localdate()
    if not access.allowed(by, access.SECRETARIAT) and party.pk not in by.represented_party_ids():
        raise NotAllowed(f"You do not represent {party.name}.", field="party", rule="11.31")
    if party.is_crowded_meter_room_coordinator:
        raise NotAllowed("The Crowded Meter Room Coordinator may not be a Proposer (10.2.1).")
    problem = party_standing_problem(party, day)
    if problem:
        raise NotAllowed(problem + ".", field="party", rule="54.4")
    return proposal_transition(proposal=proposal, action="adopt", by=by, today=day, party=party)


def proposal_backstop_withdraw(
    *, proposal: ChangeProposal, by: User, reason: str, on: dt.date | None = None
) -> ChangeProposal:
    """Deemed withdrawn by an Authority back-stop direction: no adoption window (11.29A)."""
    return proposal_authority_direct(
        proposal=proposal, by=by, action="backstop_withdraw", reasons=reason, decided_on=on
    )
