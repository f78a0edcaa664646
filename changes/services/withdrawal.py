"""Withdrawal by the Proposer, adoption by a Party (11.29-11.32) and back-stop directions (11.29A).

Online, the Proposer withdraws and another Party adopts, each dated by the system's clock; the
Secretariat records a notice received in writing with its date (not in the future, not before
the step it follows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from panel import access
from panel.errors import DomainError, NotAllowed
from panel.mail import mail_send
from panel.models import Party, User

from ..models import ChangeDocument, ChangeProposal, WorkingGroup
from .authority import proposal_authority_direct
from .dated import last_step_on, step_date
from .documents import Upload, documents_attach
from .groups import MemberSpec, working_group_replace_nominee
from .proposals import party_standing_problem
from .steps import proposal_transition


def _withdrawn_on(proposal: ChangeProposal) -> dt.date | None:
    latest: dt.date | None = proposal.events.filter(action="withdraw").aggregate(on=Max("on"))["on"]
    return latest


def proposal_withdraw(
    *,
    proposal: ChangeProposal,
    by: User,
    reason: str = "",
    authority_consent: str = "",
    on: dt.date | None = None,
    documents: Sequence[ChangeDocument | Upload] = (),
) -> ChangeProposal:
    """The Proposer withdraws its support (11.29); the Secretariat tells the Parties, who may
    adopt it within 10 Working Days (11.30-11.31).

    A 10.2.5 proposer gives evidence of the Authority's consent (`authority_consent`, and the
    letter among `documents` if it has one)."""
    day = step_date(
        given=on,
        by=by,
        field="on",
        not_before=last_step_on(proposal),
        after="the proposal's last step",
        rule="11.29",
    )
    with transaction.atomic():
        papers = documents_attach(proposal=proposal, by=by, documents=documents)
        return proposal_transition(
            proposal=proposal,
            action="withdraw",
            by=by,
            reason=reason,
            documents=papers,
            today=day,
            authority_consent=authority_consent,
            withdrawing_party=proposal.proposer_party_id,
        )


def _nominate(proposal: ChangeProposal, by: User, party: Party, name: str, email: str) -> None:
    """11.31.2: the adopting Party's nominee takes the place of the original Proposer's in a
    live Working Group (audited there); the nominee is also in the adoption's event data."""
    group = (
        WorkingGroup.objects.filter(proposal=proposal, dissolved_on__isnull=True)
        .order_by("-pk")
        .first()
    )
    if not name:
        return
    if group is None:  # the Secretariat adds the nominee when a Working Group is established
        mail_send(
            template="changes/adopt_nominee",
            to=[settings.SECRETARIAT_EMAIL],
            bcc=[by.email],
            context={"proposal": proposal, "party": party, "name": name, "email": email},
        )
        return
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    working_group_replace_nominee(
        working_group=group,
        by=by,
        member=MemberSpec(name=name, organisation=party.name, user=user, party=party),
    )


def proposal_adopt(
    *,
    proposal: ChangeProposal,
    by: User,
    party: Party,
    on: dt.date | None = None,
    nominee_name: str = "",
    nominee_email: str = "",
) -> ChangeProposal:
    """Another Party adopts a withdrawn proposal within 10 Working Days of the notice and
    becomes the Proposer (11.31.1), naming its Working Group nominee (11.31.2)."""
    secretariat = access.allowed(by, access.SECRETARIAT)
    if not secretariat and party.pk not in by.represented_party_ids():
        raise NotAllowed(
            f"You do not represent {party.name}: only its representatives may adopt for it "
            "(11.31).",
            field="party",
            rule="11.31",
        )
    withdrawing = proposal.proposer_party
    if not secretariat and withdrawing is not None and withdrawing.pk in by.represented_party_ids():
        raise NotAllowed(
            f"You represent {withdrawing.name}, which withdrew {proposal.reference}: another "
            "Party may adopt it (11.31).",
            field="party",
            rule="11.31",
        )
    if party.is_crowded_meter_room_coordinator:
        raise NotAllowed(
            "The Crowded Meter Room Coordinator may not be a Proposer (10.2.1).",
            field="party",
            rule="10.2.1",
        )
    day = step_date(
        given=on,
        by=by,
        field="on",
        not_before=_withdrawn_on(proposal),
        after="the withdrawal",
        rule="11.31",
    )
    problem = party_standing_problem(party, day)
    if problem:
        raise NotAllowed(problem + ", so it may not adopt.", field="party", rule="54.4")
    name, email = nominee_name.strip(), nominee_email.strip()
    if email and not name:
        raise DomainError(
            "Give your Working Group nominee's name as well as the e-mail address (11.31.2).",
            field="nominee_name",
            rule="11.31",
        )
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal,
            action="adopt",
            by=by,
            today=day,
            party=party,
            nominee={"name": name, "email": email} if name else None,
        )
        _nominate(result, by, party, name, email)
    return result


def proposal_backstop_withdraw(
    *, proposal: ChangeProposal, by: User, reason: str, on: dt.date | None = None
) -> ChangeProposal:
    """Deemed withdrawn by an Authority back-stop direction: no adoption window (11.29A)."""
    return proposal_authority_direct(
        proposal=proposal, by=by, action="backstop_withdraw", reasons=reason, decided_on=on
    )
