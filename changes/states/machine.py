"""THE state machine of a Change Proposal (Clauses 9-11, 13, 14): every step, declared once, here.

Every allowed transition (action), who may trigger it, what must hold for it (the effect), the
clause it comes from and the notice it sends. Nothing else assigns `ChangeProposal.status`: the
only writer is `changes.services.proposals.proposal_transition`, which consults this table.

Panel decisions come from a Panel resolution (carried out by `changes.resolutions`) or are
recorded by the Secretariat. Authority directions are made by the Authority, or recorded by the
Secretariat when received in writing (13.13: a direction communicated to the Panel care of the
Secretariat is effectively given).
"""

from __future__ import annotations

from typing import Any

from panel.errors import DomainError

from . import effects
from .actors import Actor
from .states import ASSESSMENT_TIMETABLE_STATES, BEFORE_VOTE, IN_ASSESSMENT, LIVE, State
from .transitions import Target, Transition


def same(*states: State) -> dict[State, Target]:
    return {s: s for s in states}


def all_to(states: frozenset[State] | set[State], target: Target) -> dict[State, Target]:
    return {s: target for s in sorted(states)}


def resumed(p: Any) -> State:
    return State(p.resume_status)


def after_acceptance(p: Any) -> State:
    return State.DEFINITION if p.definition_procedure else State.REPORT_PHASE


def appeal_stands(p: Any) -> State:
    return State.APPROVED if p.vote_outcome == "accepted" else State.REJECTED


def appeal_quashed(p: Any) -> State:
    return State.REJECTED if p.vote_outcome == "accepted" else State.APPROVED


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "submit it", {State.DRAFT: State.SUBMITTED}, (Actor.PROPOSER,), "10.3-10.4", effects.submit, notice="received"),
    Transition("refer_to_panel", "refer it to the Panel", {State.SUBMITTED: State.WITH_PANEL}, (Actor.SECRETARIAT,), "10.11", effects.refer_to_panel),
    Transition("refuse_incomplete", "refuse it as incomplete", {State.SUBMITTED: State.REFUSED_INCOMPLETE}, (Actor.SECRETARIAT,), "10.8-10.9", reason_required=True, notice="refused"),
    Transition("panel_overrule_refusal", "instruct the Secretariat to accept it", {State.REFUSED_INCOMPLETE: State.WITH_PANEL}, (Actor.PANEL,), "10.10"),
    Transition("scr_flag", "record that it falls within a Significant Code Review", same(State.SUBMITTED, State.WITH_PANEL), (Actor.PANEL,), "10.22-10.23", effects.scr_flag),
    Transition("scr_direction", "direct whether it falls within a Significant Code Review", same(State.SUBMITTED, State.WITH_PANEL, *ASSESSMENT_TIMETABLE_STATES), (Actor.AUTHORITY,), "10.23.2", effects.scr_direction),
    Transition("panel_accept", "accept it into the Assessment Process", {State.WITH_PANEL: after_acceptance}, (Actor.PANEL,), "10.12, 11.3-11.11", effects.panel_accept, notice="accepted"),
    Transition("panel_refuse", "refuse it", {State.WITH_PANEL: State.REFUSED}, (Actor.PANEL,), "10.13-10.15, 10.22", effects.panel_refuse, reason_required=True, notice="refused"),
    Transition("ask_authority", "ask the Authority to direct acceptance", {State.REFUSED: State.REFERRED_TO_AUTHORITY}, (Actor.PROPOSER,), "10.18-10.20", effects.ask_authority, reason_required=True),
    Transition("authority_direct_acceptance", "direct the Panel to accept it", {State.REFERRED_TO_AUTHORITY: State.WITH_PANEL}, (Actor.AUTHORITY,), "10.21", effects.authority_directs_acceptance),
    Transition("authority_decline", "decline to direct acceptance", {State.REFERRED_TO_AUTHORITY: State.REFUSED}, (Actor.AUTHORITY, Actor.SYSTEM), "10.21"),
    Transition("vary_timetable", "vary the timetable", same(*ASSESSMENT_TIMETABLE_STATES), (Actor.PANEL,), "11.12", effects.vary_timetable, reason_required=True),
    Transition("veto_timetable_variation", "veto the timetable variation", same(*ASSESSMENT_TIMETABLE_STATES), (Actor.AUTHORITY,), "11.12", effects.veto_timetable),
    Transition("authority_timetable_direction", "direct the timetable", same(State.WITH_PANEL, *ASSESSMENT_TIMETABLE_STATES), (Actor.AUTHORITY,), "11.9A, 11.11", effects.authority_timetable),
    Transition("authority_part_opinion", "give its opinion on Part 1 or Part 2", same(*BEFORE_VOTE), (Actor.AUTHORITY,), "11.21", effects.authority_part_opinion),
    Transition("definition_complete", "record the Working Group's instructions on the Change Report", {State.DEFINITION: State.REPORT_PHASE}, (Actor.SECRETARIAT,), "11.17", effects.definition_complete),
    Transition("issue_change_report", "issue the Change Report to the Panel", {State.REPORT_PHASE: State.REPORT_ISSUED}, (Actor.SECRETARIAT,), "11.19-11.20", effects.issue_report),
    Transition("send_back", "send the Change Report back to a Working Group", {State.REPORT_ISSUED: State.DEFINITION}, (Actor.PANEL,), "11.22.1", effects.send_back, reason_required=True),
    Transition("submit_to_vote", "submit it to the Voting Procedure", {State.REPORT_ISSUED: State.AWAITING_VOTE, State.DATE_REASSESSMENT: State.AWAITING_VOTE}, (Actor.PANEL,), "11.22.2, 11.23", effects.submit_to_vote),
    Transition("voting_open", "open the vote", {State.AWAITING_VOTE: State.VOTING}, (Actor.SECRETARIAT, Actor.SYSTEM), "12.4-12.5"),
    Transition("vote_declared_recommendation", "declare the Parties' recommendation", {State.VOTING: State.AWAITING_AUTHORITY}, (Actor.SECRETARIAT, Actor.SYSTEM), "13.4, 13.5, 13.7", effects.record_declaration, notice="declared"),
    Transition("vote_declared_accepted", "declare the proposal accepted", {State.VOTING: State.ACCEPTED_APPEAL_WINDOW}, (Actor.SECRETARIAT, Actor.SYSTEM), "13.4, 13.6", effects.record_declaration, notice="declared"),
    Transition("vote_declared_rejected", "declare the proposal rejected", {State.VOTING: State.REJECTED_APPEAL_WINDOW}, (Actor.SECRETARIAT, Actor.SYSTEM), "13.4, 13.7, 14.4", effects.record_declaration, notice="declared"),
    Transition("vote_declared_date_rejected", "declare the implementation date rejected", {State.VOTING: State.DATE_REASSESSMENT}, (Actor.SECRETARIAT, Actor.SYSTEM), "14.3", effects.record_declaration, notice="declared"),
    Transition("authority_accept", "accept it", {State.AWAITING_AUTHORITY: State.APPROVED}, (Actor.AUTHORITY,), "13.9-13.12", effects.record_decision, notice="decided"),
    Transition("authority_reject", "reject it", {State.AWAITING_AUTHORITY: State.REJECTED}, (Actor.AUTHORITY,), "13.9-13.12", effects.record_decision, notice="decided"),
    Transition("authority_send_back", "direct the Panel to revise and resubmit the Change Report", {State.AWAITING_AUTHORITY: State.DEFINITION}, (Actor.AUTHORITY,), "13.11A", effects.authority_send_back, reason_required=True, notice="decided"),
    Transition("appeal_lodged", "appeal the decision", {State.ACCEPTED_APPEAL_WINDOW: State.UNDER_APPEAL, State.REJECTED_APPEAL_WINDOW: State.UNDER_APPEAL, State.UNDER_APPEAL: State.UNDER_APPEAL}, (Actor.APPELLANT,), "13.17-13.19", effects.appeal_lodged),
    Transition("appeal_window_close", "close the appeal window", {State.ACCEPTED_APPEAL_WINDOW: State.APPROVED, State.REJECTED_APPEAL_WINDOW: State.REJECTED}, (Actor.SECRETARIAT, Actor.SYSTEM), "13.16, 13.18", effects.appeal_window_close),
    Transition("appeal_screened_out", "find the appeal does not meet 13.20", {State.UNDER_APPEAL: appeal_stands}, (Actor.AUTHORITY,), "13.20", notice="decided"),
    Transition("appeal_dismissed", "dismiss the appeal", {State.UNDER_APPEAL: appeal_stands}, (Actor.AUTHORITY,), "13.21.2(A)", notice="decided"),
    Transition("appeal_quashed", "quash the decision", {State.UNDER_APPEAL: appeal_quashed}, (Actor.AUTHORITY,), "13.21.2(B)(i), 13.22", effects.quash, notice="decided"),
    Transition("appeal_sent_back", "send it back to the Panel for reconsideration", {State.UNDER_APPEAL: State.DEFINITION}, (Actor.AUTHORITY,), "13.21.2(B)(ii)", effects.send_back, notice="decided"),
    Transition("implementation_plan_set", "set the implementation actions and timetable", {State.APPROVED: State.IMPLEMENTING}, (Actor.PANEL,), "14.6", effects.implementation_plan),
    Transition("implementation_date_directed", "direct a new implementation date", same(State.APPROVED, State.IMPLEMENTING), (Actor.AUTHORITY,), "14.9-14.11"),
    Transition("mark_implemented", "record the variation as made", {State.IMPLEMENTING: State.IMPLEMENTED}, (Actor.SECRETARIAT,), "14.7", effects.implemented),
    Transition("withdraw", "withdraw it", all_to(LIVE, State.WITHDRAWN), (Actor.PROPOSER,), "11.29-11.30", effects.withdraw, reason_required=False, notice="withdrawn"),
    Transition("adopt", "adopt it", {State.WITHDRAWN: resumed}, (Actor.PARTY,), "11.31", effects.adopt, notice="adopted"),
    Transition("withdrawal_lapse", "take it out of the process", {State.WITHDRAWN: State.LEFT_PROCESS}, (Actor.SECRETARIAT, Actor.SYSTEM), "11.32", effects.after_deadline("the adoption window")),
    Transition("backstop_withdraw", "deem it withdrawn by a back-stop direction", all_to(LIVE | {State.WITHDRAWN}, State.LEFT_PROCESS), (Actor.AUTHORITY,), "11.29A", effects.backstop, reason_required=True, notice="left_process"),
    Transition("scr_suspend", "suspend it within a Significant Code Review", all_to(IN_ASSESSMENT - {State.VOTING, State.SCR_SUSPENDED}, State.SCR_SUSPENDED), (Actor.AUTHORITY,), "10.23.2(A)", effects.scr_suspend, reason_required=True),
    Transition("scr_resume", "lift the suspension", {State.SCR_SUSPENDED: resumed}, (Actor.AUTHORITY,), "10.23"),
)  # fmt: skip

TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return TRANSITIONS_BY_ACTION[action]
    except KeyError:
        raise DomainError(f"'{action}' is not a step of the change process.", field="action")


def allowed_transitions(*, proposal: Any, user: Any) -> list[Transition]:
    """The steps this user may take now (the guards are checked when the step is taken)."""
    state = State(proposal.status)
    return [
        t
        for t in TRANSITIONS
        if state in t.moves and any(actor.allows(user, proposal) for actor in t.who)
    ]
