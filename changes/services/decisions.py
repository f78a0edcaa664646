"""The vote hand-off (12-13), Authority decisions (13.9-13.14), appeals (13.17-13.22),
implementation (14), withdrawal and adoption (11.29-11.32), Significant Code Reviews (10.22)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from panel.audit import audit_record
from panel.errors import DomainError, NotAllowed
from panel.models import Party, User

from ..models import (
    AppealRecord,
    AuthorityDecision,
    ChangeDocument,
    ChangeProposal,
    ImplementationAction,
    ImplementationDateChange,
    ImplementationPlan,
    SignificantCodeReview,
)
from ..states import IN_ASSESSMENT, State
from .proposals import party_standing_problem, proposal_transition

PART1_OUTCOMES = ("recommend_accept", "recommend_reject")
PART2_OUTCOMES = ("accepted", "rejected")


def _accepts(outcome: str) -> bool:
    return outcome in ("accepted", "recommend_accept")


# -- the voting capability calls these -------------------------------------------------------


def proposal_voting_opened(
    *,
    proposal: ChangeProposal,
    by: User | None,
    ballot_reference: str = "",
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> ChangeProposal:
    """The voting app opened the ballot (12.4-12.5)."""
    return proposal_transition(
        proposal=proposal,
        action="voting_open",
        by=by,
        ballot_reference=ballot_reference,
        opens_at=opens_at.isoformat() if opens_at else None,
        closes_at=closes_at.isoformat() if closes_at else None,
    )


def proposal_vote_declared(
    *,
    proposal: ChangeProposal,
    by: User | None,
    variation_outcome: str | None,
    date_outcome: str,
    deemed_part1: bool = False,
    accepted_alternative: str = "",
    declared_on: dt.date | None = None,
    results: dict[str, Any] | None = None,
) -> ChangeProposal:
    """The Secretariat declared the vote (13.4.3); combined per 14.3-14.4.

    Part 1: `recommend_accept`/`recommend_reject` → awaiting the Authority (13.2, 13.9).
    Part 2: `accepted`/`rejected`; `deemed_part1` (13.7) → Part 1, recommendation to reject.
    Variation accepted, date rejected → re-assess a new date only (14.3).
    Variation rejected → rejected whatever the date (14.4). In a date-only re-vote
    `variation_outcome` is None (the variation was accepted before).
    """
    proposal.refresh_from_db()
    part = proposal.part
    date_only = proposal.date_only_vote
    allowed = PART1_OUTCOMES if part == 1 else PART2_OUTCOMES
    if deemed_part1 and part != 2:
        raise DomainError("Only a Part 2 vote can be deemed a Part 1 Matter (13.7).", rule="13.7")
    if date_only:
        variation_outcome = "recommend_accept" if part == 1 else "accepted"
    if (
        variation_outcome not in allowed
        or date_outcome not in allowed + PART1_OUTCOMES + PART2_OUTCOMES
    ):
        raise DomainError(
            f"{proposal.reference} is a Part {part} Matter: the outcome is one of "
            f"{', '.join(allowed)} (13.5-13.6).",
            field="variation_outcome",
            rule="13.4",
        )
    data: dict[str, Any] = {
        "variation_outcome": variation_outcome,
        "date_outcome": date_outcome,
        "deemed_part1": deemed_part1,
        "accepted_alternative": accepted_alternative,
        "date_only_vote": date_only,
        "results": results or {},
    }
    if deemed_part1:
        data["variation_outcome"] = "recommend_reject"
        action = "vote_declared_recommendation"
    elif part == 1:
        action = "vote_declared_recommendation"
    elif not _accepts(variation_outcome):
        action = "vote_declared_rejected"  # 14.4
    elif not _accepts(date_outcome):
        action = "vote_declared_date_rejected"  # 14.3
    else:
        action = "vote_declared_accepted"
    return proposal_transition(proposal=proposal, action=action, by=by, today=declared_on, **data)


# -- the Authority --------------------------------------------------------------------------

AUTHORITY_DECISIONS = {
    "accept": "authority_accept",
    "reject": "authority_reject",
    "send_back": "authority_send_back",
}


def _authority_record(
    *, proposal: ChangeProposal, by: User, kind: str, reasons: str, on: dt.date, **data: Any
) -> AuthorityDecision:
    if not (by.is_authority or by.is_secretariat):
        raise NotAllowed("Only the Authority's decision can be recorded here.")
    document = data.pop("document", None)
    decision = AuthorityDecision.objects.create(
        proposal=proposal,
        kind=kind,
        decided_on=on,
        reasons=reasons,
        data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()},
        recorded_by=by,
        document=document,
    )
    audit_record(actor=by, action=f"authority_decision.{kind}", target=decision)
    return decision


def proposal_authority_decide(
    *,
    proposal: ChangeProposal,
    by: User,
    decision: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    document: ChangeDocument | None = None,
) -> ChangeProposal:
    """Part 1: accept, reject (13.12) or revise and resubmit, the vote void (13.11A)."""
    if decision not in AUTHORITY_DECISIONS:
        raise DomainError("The Authority accepts, rejects or sends back.", field="decision")
    on = decided_on or timezone.localdate()
    action = AUTHORITY_DECISIONS[decision]
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal,
            action=action,
            by=by,
            reason=reasons,
            documents=[document] if document else (),
            today=on,
        )
        _authority_record(
            proposal=result, by=by, kind=action, reasons=reasons, on=on, document=document
        )
    return result


def proposal_authority_direct(
    *,
    proposal: ChangeProposal,
    by: User,
    action: str,
    reasons: str = "",
    decided_on: dt.date | None = None,
    **data: Any,
) -> ChangeProposal:
    """Any other Authority direction or opinion on a proposal, recorded with the step.

    `action` is one of authority_direct_acceptance, authority_decline, authority_part_opinion
    (part=1|2), authority_timetable_direction (timetable=[...], implementation_date=...),
    veto_timetable_variation, scr_direction (within_scope=bool), scr_suspend, scr_resume,
    backstop_withdraw.
    """
    on = decided_on or timezone.localdate()
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal, action=action, by=by, reason=reasons, today=on, **data
        )
        _authority_record(proposal=result, by=by, kind=action, reasons=reasons, on=on, **data)
        if (
            action == "scr_direction"
            and data.get("within_scope")
            and result.status in IN_ASSESSMENT
        ):
            result = proposal_transition(
                proposal=result,
                action="scr_suspend",
                by=by,
                reason=reasons or "Within the scope of a Significant Code Review (10.23.2(A)).",
                today=on,
            )
    return result


# -- appeals ---------------------------------------------------------------------------------


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
        if not by.is_secretariat and appellant_party.pk not in by.represented_party_ids():
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
        appeal = AppealRecord.objects.create(
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
        audit_record(actor=by, action="appeal.lodged", target=appeal)
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
        _authority_record(
            proposal=proposal, by=by, kind=action, reasons=reasons, on=on, appeal=appeal.pk
        )
    appeal.refresh_from_db()
    return appeal


# -- implementation --------------------------------------------------------------------------


def implementation_plan_set(
    *,
    proposal: ChangeProposal,
    by: User,
    implementation_date: dt.date,
    actions: Sequence[tuple[str, dt.date]],
    set_on: dt.date | None = None,
) -> ImplementationPlan:
    """At the next Panel meeting: the actions and a timetable for each (14.6)."""
    on = set_on or timezone.localdate()
    if not actions:
        raise DomainError("List the actions required and when each is due (14.6).", field="actions")
    late = [d for _, d in actions if d > implementation_date]
    if late:
        raise DomainError(
            f"Every action must be done by the implementation date ({implementation_date:%d %B %Y}) "
            "(14.6.2).",
            field="actions",
        )
    if not by.is_secretariat:
        raise NotAllowed("Only the Secretariat records the Panel's implementation plan (14.6).")
    with transaction.atomic():
        plan, _ = ImplementationPlan.objects.update_or_create(
            proposal=proposal,
            defaults={"implementation_date": implementation_date, "set_on": on, "created_by": by},
        )
        plan.actions.all().delete()
        ImplementationAction.objects.bulk_create(
            ImplementationAction(plan=plan, description=text, due_on=due) for text, due in actions
        )
        proposal_transition(
            proposal=proposal,
            action="implementation_plan_set",
            by=by,
            today=on,
            implementation_date=implementation_date,
        )
        audit_record(actor=by, action="implementation.plan_set", target=plan)
    return plan


def implementation_action_done(
    *, action: ImplementationAction, by: User, done_on: dt.date | None = None
) -> ImplementationAction:
    if not by.is_secretariat:
        raise NotAllowed("Only the Secretariat records implementation progress (14.7).")
    with transaction.atomic():
        action.done_on = done_on or timezone.localdate()
        action.save(update_fields=["done_on"])
        audit_record(actor=by, action="implementation.action_done", target=action)
    return action


def implementation_date_direct(
    *,
    proposal: ChangeProposal,
    by: User,
    new_date: dt.date,
    basis: str,
    reasons: str = "",
    directed_on: dt.date | None = None,
) -> ImplementationDateChange:
    """A new implementation date by Authority direction only (14.9-14.11)."""
    on = directed_on or timezone.localdate()
    if basis not in ImplementationDateChange.Basis.values:
        raise DomainError(
            "The basis is panel_request (14.9), party_representations (14.10) or "
            "authority_change (14.11).",
            field="basis",
        )
    if (
        basis == ImplementationDateChange.Basis.AUTHORITY_CHANGE
        and not proposal.is_authority_change_proposal
    ):
        raise DomainError(
            f"{proposal.reference} is not an Authority Change Proposal (14.11).", field="basis"
        )
    with transaction.atomic():
        result = proposal_transition(
            proposal=proposal,
            action="implementation_date_directed",
            by=by,
            reason=reasons,
            today=on,
            new_date=new_date,
            basis=basis,
        )
        plan = ImplementationPlan.objects.select_for_update().filter(proposal=result).first()
        if plan is None:
            plan = ImplementationPlan.objects.create(
                proposal=result,
                implementation_date=result.proposed_implementation_date or new_date,
                set_on=on,
                created_by=by,
            )
        decision = _authority_record(
            proposal=result,
            by=by,
            kind="implementation_date_directed",
            reasons=reasons,
            on=on,
            new_date=new_date,
            basis=basis,
        )
        change = ImplementationDateChange.objects.create(
            plan=plan,
            old_date=plan.implementation_date,
            new_date=new_date,
            basis=basis,
            directed_on=on,
            authority_decision=decision,
        )
        plan.implementation_date = new_date
        plan.save(update_fields=["implementation_date"])
    return change


# -- withdrawal and adoption -------------------------------------------------------------------


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
    if not by.is_secretariat and party.pk not in by.represented_party_ids():
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


# -- Significant Code Reviews ---------------------------------------------------------------


def scr_create(
    *,
    by: User,
    reference: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    scope: str = "",
) -> SignificantCodeReview:
    """A Significant Code Review Phase as stated by the Authority."""
    if not (by.is_authority or by.is_secretariat):
        raise NotAllowed("Only the Authority starts a Significant Code Review.")
    with transaction.atomic():
        scr = SignificantCodeReview.objects.create(
            reference=reference,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            scope=scope,
            created_by=by,
        )
        audit_record(actor=by, action="scr.created", target=scr)
    return scr


def scr_end(*, scr: SignificantCodeReview, by: User, ends_on: dt.date) -> SignificantCodeReview:
    if not (by.is_authority or by.is_secretariat):
        raise NotAllowed("Only the Authority ends a Significant Code Review.")
    with transaction.atomic():
        scr.ends_on = ends_on
        scr.save(update_fields=["ends_on"])
        audit_record(actor=by, action="scr.ended", target=scr)
    return scr


def proposal_flag_scr(
    *, proposal: ChangeProposal, by: User, scr: SignificantCodeReview, reason: str = ""
) -> ChangeProposal:
    """The Panel considers the proposal within a live Review's scope (10.22): it must refuse it
    unless the Authority directs otherwise."""
    submitted = proposal.submitted_on or timezone.localdate()
    if not scr.is_live_on(submitted):
        raise DomainError(
            f"{scr.reference} was not live when {proposal.reference} was submitted (10.22).",
            field="significant_code_review",
        )
    return proposal_transition(
        proposal=proposal, action="scr_flag", by=by, reason=reason, significant_code_review=scr
    )
