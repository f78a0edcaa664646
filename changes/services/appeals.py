"""Appeals to the Authority against a Part 2 acceptance or rejection (13.17-13.22)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from panel import access
from panel.errors import DomainError, NotAllowed
from panel.models import Party, User
from panel.services.common import audited_create

from ..audit import ChangeAction
from ..models import AppealRecord, ChangeProposal
from ..states import State
from .authority import authority_decision_record
from .proposals import party_standing_problem
from .steps import proposal_transition


def appeal_lodge(
    *,
    proposal: ChangeProposal,
    by: User,
    appellant_name: str,
    reasons: str,
    appellant_party: Party | None = None,
    grounds: Sequence[str] = (),
    in_writing: bool = True,
    copied_to_secretariat_and_panel: bool = True,
    lodged_on: dt.date | None = None,
) -> AppealRecord:
    """An appeal against a Part 2 acceptance or rejection (13.17-13.18); suspends an acceptance
    (13.19) by moving the proposal to 'Under appeal'."""
    on = lodged_on or timezone.localdate()
    if appellant_party is not None:
        if (
            not access.allowed(by, access.SECRETARIAT)
            and appellant_party.pk not in by.represented_party_ids()
        ):
            raise NotAllowed(
                f"You do not represent {appellant_party.name}.", field="appellant_party"
            )
        problem = party_standing_problem(appellant_party, on)
        if problem:
            raise NotAllowed(problem + ".", rule="54.4")
    with transaction.atomic():
        before = ChangeProposal.objects.get(pk=proposal.pk)
        against = "accepted" if before.vote_outcome == "accepted" else "rejected"
        if before.status == State.UNDER_APPEAL:
            against = "accepted" if before.vote_outcome == "accepted" else "rejected"
        result = proposal_transition(
            proposal=proposal,
            action="appeal_lodged",
            by=by,
            reason=reasons,
            today=on,
            in_writing=in_writing,
            copied_to_secretariat_and_panel=copied_to_secretariat_and_panel,
            appellant=appellant_name,
            against=against,
        )
        appeal = audited_create(
            AppealRecord,
            by=by,
            action=ChangeAction.APPEAL_LODGED,
            proposal=result,
            appellant_party=appellant_party,
            appellant_name=appellant_name,
            lodged_by=by,
            lodged_on=on,
            against=against,
            reasons=reasons,
            grounds=list(grounds),
            in_writing=in_writing,
            copied_to_secretariat_and_panel=copied_to_secretariat_and_panel,
        )
    return appeal


APPEAL_OUTCOMES = {
    AppealRecord.Outcome.SCREENED_OUT: "appeal_screened_out",
    AppealRecord.Outcome.DISMISSED: "appeal_dismissed",
    AppealRecord.Outcome.QUASHED: "appeal_quashed",
    AppealRecord.Outcome.SENT_BACK: "appeal_sent_back",
}


def appeal_decide(
    *,
    appeal: AppealRecord,
    by: User,
    outcome: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
) -> AppealRecord:
    """The Authority's decision: screened out (13.20), dismissed, quashed (13.21-13.22) or sent
    back to the Panel (13.21.2(B)(ii)). It settles every appeal pending on the proposal."""
    if outcome not in APPEAL_OUTCOMES:
        raise DomainError(
            "The outcome is screened_out, dismissed, quashed or sent_back.", field="outcome"
        )
    on = decided_on or timezone.localdate()
    action = APPEAL_OUTCOMES[AppealRecord.Outcome(outcome)]
    with transaction.atomic():
        proposal = proposal_transition(
            proposal=appeal.proposal,
            action=action,
            by=by,
            reason=reasons,
            today=on,
            appeal=appeal.pk,
        )
        AppealRecord.objects.filter(proposal=proposal, outcome="").update(
            outcome=outcome, decided_on=on, decision_reasons=reasons
        )
        authority_decision_record(
            proposal=proposal, by=by, kind=action, reasons=reasons, on=on, appeal=appeal.pk
        )
    appeal.refresh_from_db()
    return appeal
