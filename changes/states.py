"""THE state machine of a Change Proposal (Clauses 9-11, 13, 14): declared once, here.

Every state, every allowed transition (action), who may trigger it, what must hold for it
(the effect validates and applies the data of the decision), the clause it comes from, and
the deadline each state starts. Nothing else assigns `ChangeProposal.status`: the only
writer is `changes.services.proposals.proposal_transition`, which consults this table.

Panel decisions are recorded by the Secretariat for now (a Panel resolution will later call
the same service). Authority directions are made by the Authority, or recorded by the
Secretariat when received in writing (13.13: a direction communicated to the Panel care of
the Secretariat is effectively given).

This module imports no models (models import `State` from here); effects use the proposal's
attributes and related managers only.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.db import models

from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted: Secretariat check"
    REFUSED_INCOMPLETE = "refused_incomplete", "Refused by the Secretariat (incomplete)"
    WITH_PANEL = "with_panel", "Referred to the Panel"
    REFUSED = "refused", "Refused by the Panel"
    REFERRED_TO_AUTHORITY = "referred_to_authority", "Refusal referred to the Authority"
    DEFINITION = "definition", "Definition Procedure (Working Group)"
    REPORT_PHASE = "report_phase", "Report Phase: Change Report in preparation"
    REPORT_ISSUED = "report_issued", "Change Report with the Panel"
    AWAITING_VOTE = "awaiting_vote", "Submitted to the Voting Procedure"
    VOTING = "voting", "Voting open"
    DATE_REASSESSMENT = "date_reassessment", "Implementation date re-assessed (14.3)"
    AWAITING_AUTHORITY = "awaiting_authority", "Awaiting Authority decision"
    ACCEPTED_APPEAL_WINDOW = "accepted_appeal_window", "Accepted: appeal window open"
    REJECTED_APPEAL_WINDOW = "rejected_appeal_window", "Rejected: appeal window open"
    UNDER_APPEAL = "under_appeal", "Under appeal to the Authority"
    APPROVED = "approved", "Approved: awaiting implementation plan"
    IMPLEMENTING = "implementing", "Implementation in progress"
    IMPLEMENTED = "implemented", "Implemented"
    REJECTED = "rejected", "Rejected"
    SCR_SUSPENDED = "scr_suspended", "Suspended (Significant Code Review)"
    WITHDRAWN = "withdrawn", "Withdrawn: open for adoption"
    LEFT_PROCESS = "left_process", "Withdrawn: left the process"


class RefusalGround(models.TextChoices):
    DUPLICATE = "duplicate", "Same effect as an earlier proposal (10.13)"
    OUT_OF_SCOPE = "out_of_scope", "Outside the scope of the Agreement (10.14)"
    SCR = "scr", "Within a Significant Code Review (10.22)"


# States in which a Change Proposal must carry a deadline (a CheckConstraint on the model).
NEEDS_DEADLINE = frozenset(
    {
        State.SUBMITTED,
        State.WITH_PANEL,
        State.REFERRED_TO_AUTHORITY,
        State.ACCEPTED_APPEAL_WINDOW,
        State.REJECTED_APPEAL_WINDOW,
        State.WITHDRAWN,
    }
)
# Where a proposal is in the Assessment Process and may be withdrawn (11.29).
LIVE = frozenset(
    {
        State.SUBMITTED,
        State.WITH_PANEL,
        State.REFERRED_TO_AUTHORITY,
        State.DEFINITION,
        State.REPORT_PHASE,
        State.REPORT_ISSUED,
        State.AWAITING_VOTE,
        State.DATE_REASSESSMENT,
        State.AWAITING_AUTHORITY,
        State.SCR_SUSPENDED,
    }
)
IN_ASSESSMENT = frozenset(
    {
        State.DEFINITION,
        State.REPORT_PHASE,
        State.REPORT_ISSUED,
        State.AWAITING_VOTE,
        State.VOTING,
        State.DATE_REASSESSMENT,
        State.SCR_SUSPENDED,
    }
)
# Before the Change Report is approved for the vote (11.21: the Authority's Part opinion).
BEFORE_VOTE = frozenset(
    {State.WITH_PANEL, State.DEFINITION, State.REPORT_PHASE, State.REPORT_ISSUED}
)
TERMINAL = frozenset(
    {State.REFUSED_INCOMPLETE, State.REFUSED, State.IMPLEMENTED, State.REJECTED, State.LEFT_PROCESS}
)
# Register: proposals that are in the process (the Change Register lists these, 11.26).
ON_REGISTER = frozenset(set(State) - {State.DRAFT})


# -- who may act --------------------------------------------------------------------------


def _is_proposer(user: Any, p: Any) -> bool:
    if p.proposer_party_id and p.proposer_party_id in user.represented_party_ids():
        return True
    if p.raised_by_id is not None and p.raised_by_id == user.pk and not p.proposer_party_id:
        return True
    return bool(p.proposer_kind == "authority" and user.is_authority)


class Actor(Enum):
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
        if user.is_secretariat:
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


# -- transitions --------------------------------------------------------------------------


@dataclass
class Context:
    proposal: Any
    user: Any
    data: dict[str, Any]
    reason: str
    today: dt.date
    calendar: WorkingDayCalendar
    from_state: State
    transition: Transition

    def fail(self, message: str, *, field: str | None = None) -> DomainError:
        t = self.transition
        return DomainError(
            f"{self.proposal.reference}: {message} ({t.clause}).", field=field, rule=t.clause
        )


Effect = Callable[[Context], None]
Target = State | Callable[[Any], State]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # completes "only X may ..."
    moves: Mapping[State, Target]
    who: tuple[Actor, ...]
    clause: str
    effect: Effect | None = None
    reason_required: bool = False
    notice: str = ""  # e-mail notice sent after commit (changes.tasks.send_event_notice)

    @property
    def sources(self) -> frozenset[State]:
        return frozenset(self.moves)

    def target_for(self, proposal: Any, from_state: State) -> State:
        target = self.moves[from_state]
        return target(proposal) if callable(target) else target

    def who_label(self) -> str:
        names = [a.value for a in self.who if a is not Actor.SYSTEM]
        return " or ".join(names) if names else Actor.SYSTEM.value


def _same(*states: State) -> dict[State, Target]:
    return {s: s for s in states}


def _all_to(states: frozenset[State] | set[State], target: Target) -> dict[State, Target]:
    return {s: target for s in sorted(states)}


def _resume(p: Any) -> State:
    return State(p.resume_status)


def _after_acceptance(p: Any) -> State:
    return State.DEFINITION if p.definition_procedure else State.REPORT_PHASE


def _appeal_stands(p: Any) -> State:
    return State.APPROVED if p.vote_outcome == "accepted" else State.REJECTED


def _appeal_quashed(p: Any) -> State:
    return State.REJECTED if p.vote_outcome == "accepted" else State.APPROVED


# -- effects: validate the decision and apply its data ------------------------------------

REQUIRED_FOR_SUBMISSION = {
    # 10.4.1-10.4.10 (the greenhouse gas item is unnumbered: 10.4.5A here): the field and the words used when it is missing
    "title": "a title",
    "proposer_contact_name": "the name of the principal point of contact (10.4.2)",
    "proposer_contact_email": "the contact's e-mail address (10.4.2)",
    "description": "a description of the proposed variation and its purpose (10.4.4)",
    "purpose": "the issue the proposal addresses (10.4.4)",
    "objectives_reasons": "why it better facilitates the DCUSA Objectives (10.4.5)",
    "ghg_statement": "a statement on greenhouse gas emissions (10.4.5A)",
    "parts_affected": "the parts of the Agreement affected (10.4.6)",
    "proposer_part_view": "the Proposer's view: Part 1 or Part 2 Matter (10.4.7)",
    "proposed_implementation_date": "the proposed implementation date (10.4.9)",
}


def missing_for_submission(p: Any) -> list[str]:
    """What 10.4 asks that the proposal does not yet give (field names)."""
    missing = [name for name in REQUIRED_FOR_SUBMISSION if not getattr(p, name)]
    if not p.objectives:
        missing.append("objectives")
    if p.urgency_requested and not p.urgency_reasons:
        missing.append("urgency_reasons")
    if p.is_authority_change_proposal and p.proposer_kind != "authority":
        if not p.follows_authority_direction:
            missing.append("follows_authority_direction")
    if p.proposer_kind in ("party", "dno_idno_directed") and not p.proposer_party_id:
        missing.append("proposer_party")
    if p.proposer_kind not in ("party", "dno_idno_directed") and not p.proposer_name:
        missing.append("proposer_name")
    return missing


def _submit(ctx: Context) -> None:
    p = ctx.proposal
    missing = missing_for_submission(p)
    if missing:
        words = [REQUIRED_FOR_SUBMISSION.get(m, m.replace("_", " ")) for m in missing]
        raise ctx.fail("a Change Proposal must contain " + "; ".join(words), field=missing[0])
    p.submitted_on = ctx.today
    if p.is_authority_change_proposal:
        p.part = 1  # 9.4.6


def _refer_to_panel(ctx: Context) -> None:
    assessment = str(ctx.data.get("initial_assessment", "")).strip()
    if not assessment:
        raise ctx.fail(
            "the Secretariat refers a proposal with an initial written assessment",
            field="initial_assessment",
        )
    p = ctx.proposal
    p.initial_assessment = assessment
    if ctx.data.get("suggested_timetable") is not None:
        p.suggested_timetable = validate_timetable(ctx, ctx.data["suggested_timetable"])


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def validate_timetable(ctx: Context, stages: Any, *, limit_from: dt.date | None = None) -> list:
    """A list of {stage, planned, actual}; at most six months overall from acceptance (11.11)."""
    if not isinstance(stages, list) or not stages:
        raise ctx.fail("a timetable lists each stage with its planned date", field="timetable")
    cleaned = []
    for stage in stages:
        try:
            name = str(stage["stage"]).strip()
            planned = dt.date.fromisoformat(str(stage["planned"]))
            actual = stage.get("actual")
            actual = dt.date.fromisoformat(str(actual)).isoformat() if actual else None
        except (KeyError, TypeError, ValueError):
            raise ctx.fail(
                "each timetable stage needs a name and a planned date (YYYY-MM-DD)",
                field="timetable",
            )
        if not name:
            raise ctx.fail("each timetable stage needs a name", field="timetable")
        cleaned.append({"stage": name, "planned": planned.isoformat(), "actual": actual})
    if limit_from is not None:
        last = max(dt.date.fromisoformat(str(s["planned"])) for s in cleaned)
        limit = add_months(limit_from, 6)
        if last > limit:
            raise ctx.fail(
                f"the timetable originally established may not exceed six months: the last "
                f"stage is planned for {last:%d %B %Y}, after {limit:%d %B %Y}",
                field="timetable",
            )
    return cleaned


def _panel_accept(ctx: Context) -> None:
    p, d = ctx.proposal, ctx.data
    if p.significant_code_review_id and p.scr_direction != "outside":
        raise ctx.fail(
            "the Panel must refuse a proposal within the scope of a live Significant Code Review "
            "unless the Authority directs otherwise (10.22)",
            field="significant_code_review",
        )
    part = d.get("part")
    if p.is_authority_change_proposal or p.timetable_fixed_by_authority:
        if part not in (None, 1, "1"):
            raise ctx.fail(
                "an Authority Change Proposal (10.2.5) or one under Authority timetable "
                "directions (11.9A) is always a Part 1 Matter (9.4)",
                field="part",
            )
        part = 1
    if p.authority_part_opinion:
        part = p.authority_part_opinion  # 11.21.3: the Authority's opinion prevails
    if part not in (1, 2, "1", "2"):
        raise ctx.fail("the Panel determines Part 1 or Part 2 at acceptance (11.8)", field="part")
    p.part = int(part)
    if "definition_procedure" not in d:
        raise ctx.fail(
            "the Panel determines whether the Definition Procedure applies (11.3)",
            field="definition_procedure",
        )
    definition = bool(d["definition_procedure"])
    if definition and p.authority_led:
        raise ctx.fail(
            "the Definition Procedure does not apply to Authority-Led Change Proposals (11.9A)",
            field="definition_procedure",
        )
    p.definition_procedure = definition
    p.urgent = bool(d.get("urgent", False))
    if not p.timetable_fixed_by_authority:
        p.timetable = validate_timetable(ctx, d.get("timetable"), limit_from=ctx.today)
    p.accepted_on = ctx.today


def _panel_refuse(ctx: Context) -> None:
    p, d = ctx.proposal, ctx.data
    if p.is_authority_change_proposal:
        raise ctx.fail(
            "the Panel may not refuse a Change Proposal submitted under Clause 10.2.5 (10.14A)"
        )
    if p.authority_directed_acceptance:
        raise ctx.fail("the Authority has directed the Panel to accept this proposal (10.21)")
    ground = d.get("ground")
    if ground not in RefusalGround.values:
        raise ctx.fail(
            "a refusal names its ground: duplicate (10.13), out of scope (10.14) or "
            "Significant Code Review (10.22)",
            field="ground",
        )
    if ground == RefusalGround.DUPLICATE and not d.get("duplicate_of"):
        raise ctx.fail("name the earlier proposal with the same effect", field="duplicate_of")
    if ground == RefusalGround.SCR and p.scr_direction == "outside":
        raise ctx.fail("the Authority has directed this proposal is outside the Review (10.23)")
    p.refusal_ground = ground


def _ask_authority(ctx: Context) -> None:
    p = ctx.proposal
    if p.refusal_ground not in (RefusalGround.DUPLICATE, RefusalGround.OUT_OF_SCOPE):
        raise ctx.fail(
            "only a refusal as a duplicate (10.13) or out of scope (10.14) may go to the Authority"
        )
    deadline = p.current_deadline
    if deadline is None or ctx.today > deadline.due_on:
        raise ctx.fail(
            "the request to the Authority must be made within 10 Working Days of the notice "
            "of refusal"
        )


def _within_deadline(what: str) -> Effect:
    def effect(ctx: Context) -> None:
        deadline = ctx.proposal.current_deadline
        if deadline is not None and ctx.today > deadline.due_on:
            raise ctx.fail(f"{what} had to be made by {deadline.due_on:%d %B %Y}")

    return effect


def _authority_directs_acceptance(ctx: Context) -> None:
    _within_deadline("the Authority's direction")(ctx)
    ctx.proposal.authority_directed_acceptance = True
    ctx.proposal.refusal_ground = ""


def _after_deadline(what: str) -> Effect:
    def effect(ctx: Context) -> None:
        deadline = ctx.proposal.current_deadline
        if deadline is not None and ctx.today <= deadline.due_on:
            raise ctx.fail(f"{what} is open until {deadline.due_on:%d %B %Y}")

    return effect


def _vary_timetable(ctx: Context) -> None:
    p = ctx.proposal
    if p.timetable_fixed_by_authority:
        raise ctx.fail("the Panel may not vary a timetable set by the Authority (11.9A)")
    p.previous_timetable = p.timetable
    p.timetable = validate_timetable(ctx, ctx.data.get("timetable"))


def _veto_timetable(ctx: Context) -> None:
    p = ctx.proposal
    if not p.previous_timetable:
        raise ctx.fail("there is no Panel variation of the timetable to veto")
    p.timetable, p.previous_timetable = p.previous_timetable, []


def _authority_timetable(ctx: Context) -> None:
    p = ctx.proposal
    if not (p.is_authority_change_proposal or p.urgent):
        raise ctx.fail(
            "the Authority sets the timetable of Authority Change Proposals (11.9A) and of "
            "Urgent Change Proposals (11.11)"
        )
    p.timetable = validate_timetable(ctx, ctx.data.get("timetable"))
    if p.is_authority_change_proposal:
        p.timetable_fixed_by_authority = True
        p.part = 1  # 9.4.6
        date = ctx.data.get("implementation_date")
        if date:
            p.proposed_implementation_date = dt.date.fromisoformat(str(date))
            p.implementation_date_fixed_by_authority = True


def _authority_part_opinion(ctx: Context) -> None:
    part = ctx.data.get("part")
    if part not in (1, 2, "1", "2"):
        raise ctx.fail("the Authority's opinion is Part 1 or Part 2", field="part")
    ctx.proposal.authority_part_opinion = int(part)
    ctx.proposal.part = int(part)


def _definition_complete(ctx: Context) -> None:
    p = ctx.proposal
    if not p.working_groups.filter(dissolved_on__isnull=True).exists():
        raise ctx.fail("the Definition Procedure is carried out by a Working Group (11.14)")
    final = p.consultations.filter(final_draft=True).order_by("-opens_on").first()
    if final is not None:
        earliest = ctx.calendar.add_working_days(final.opens_on, 5)
        if ctx.today < earliest:
            raise ctx.fail(
                "the Working Group instructs the Secretariat no less than five Working Days "
                f"after the final consultation draft, so not before {earliest:%d %B %Y}"
            )


def _issue_report(ctx: Context) -> None:
    if not ctx.proposal.reports.exists():
        raise ctx.fail("there is no Change Report to issue: create one first")


def _submit_to_vote(ctx: Context) -> None:
    p = ctx.proposal
    report = p.reports.order_by("-version").first()
    if report is None:
        raise ctx.fail("there is no Change Report to vote on")
    if report.sent_to_authority_on is None:
        raise ctx.fail("the Change Report has not been provided to the Authority")
    earliest = report.sent_to_authority_on + dt.timedelta(days=7)
    if not report.authority_exempted_wait and ctx.today < earliest:
        raise ctx.fail(
            "the vote may not start earlier than 7 days after the Change Report was provided to "
            f"the Authority ({report.sent_to_authority_on:%d %B %Y}), so not before "
            f"{earliest:%d %B %Y}, unless the Authority exempts it"
        )
    if not report.eligible_categories:
        raise ctx.fail("the Change Report must specify the eligible Party Categories (11.20.2)")
    pending = p.alternatives.filter(by_proposer=True, letter="")
    if pending.exists():
        raise ctx.fail(
            "the Proposer's alternative must be added to the Change Report (11.23)",
            field="alternatives",
        )
    p.date_only_vote = ctx.from_state == State.DATE_REASSESSMENT


def _send_back(ctx: Context) -> None:
    p = ctx.proposal
    p.definition_procedure = True
    p.vote_outcome = ""
    p.date_only_vote = False


def _authority_send_back(ctx: Context) -> None:
    ctx.data["vote_void"] = True  # 13.11A.1: the vote is null and void
    _send_back(ctx)


def _record_declaration(ctx: Context) -> None:
    """13.4.3: the declared outcomes; 13.7's deemed Part 1 recommendation to reject."""
    p, d = ctx.proposal, ctx.data
    p.vote_outcome = str(d.get("variation_outcome") or "")
    p.date_outcome = str(d.get("date_outcome") or "")
    if d.get("deemed_part1"):
        p.part = 1
    if ctx.transition.action in ("vote_declared_accepted", "vote_declared_rejected"):
        p.decided_on = ctx.today


def _record_decision(ctx: Context) -> None:
    ctx.proposal.decided_on = ctx.today


def _appeal_lodged(ctx: Context) -> None:
    p, d = ctx.proposal, ctx.data
    if p.appeal_window_ends is None or ctx.today > p.appeal_window_ends:
        raise ctx.fail(
            "an appeal may only be made within 10 Working Days of the notice of the decision"
            + (f", which ended on {p.appeal_window_ends:%d %B %Y}" if p.appeal_window_ends else "")
        )
    if not d.get("in_writing"):
        raise ctx.fail("an appeal must be made in writing", field="in_writing")
    if not ctx.reason.strip():
        raise ctx.fail("an appeal must state why against the criteria of 13.20", field="reason")
    if not d.get("copied_to_secretariat_and_panel"):
        raise ctx.fail(
            "an appeal must be copied to the Secretariat and the Panel",
            field="copied_to_secretariat_and_panel",
        )


def _appeal_window_close(ctx: Context) -> None:
    p = ctx.proposal
    if p.appeal_window_ends is not None and ctx.today <= p.appeal_window_ends:
        raise ctx.fail(f"the appeal window is open until {p.appeal_window_ends:%d %B %Y}")


def _quash(ctx: Context) -> None:
    ctx.proposal.part = 1  # 13.22: treated as if it related to a Part 1 Matter
    ctx.data["reassessed_under"] = "13.5"


def _implementation_plan(ctx: Context) -> None:
    plan = getattr(ctx.proposal, "implementation_plan", None)
    if plan is None or not plan.actions.exists():
        raise ctx.fail("the Panel sets the actions and a timetable for each (14.6)")


def _withdraw(ctx: Context) -> None:
    p = ctx.proposal
    if p.is_authority_change_proposal and not ctx.data.get("authority_consent"):
        raise ctx.fail(
            "a proposal raised under 10.2.5 may be withdrawn only with evidence of the "
            "Authority's consent",
            field="authority_consent",
        )
    p.resume_status = ctx.from_state


def _adopt(ctx: Context) -> None:
    """11.31: the adopting Party becomes the Proposer."""
    _within_deadline("notice of adoption")(ctx)
    party = ctx.data.get("party")
    if party is None:
        raise ctx.fail("name the Party that adopts the proposal", field="party")
    p = ctx.proposal
    ctx.data["previous_proposer"] = p.proposer_display
    p.proposer_kind = "party"
    p.proposer_party = party
    p.proposer_name = ""


def _scr_suspend(ctx: Context) -> None:
    ctx.proposal.resume_status = ctx.from_state


def _backstop(ctx: Context) -> None:
    ctx.data["no_adoption_window"] = True


def _scr_direction(ctx: Context) -> None:
    within = ctx.data.get("within_scope")
    if within not in (True, False):
        raise ctx.fail("say whether the proposal falls within the Review", field="within_scope")
    ctx.proposal.scr_direction = "within" if within else "outside"


def _scr_flag(ctx: Context) -> None:
    scr = ctx.data.get("significant_code_review")
    if scr is None:
        raise ctx.fail("name the Significant Code Review", field="significant_code_review")
    ctx.proposal.significant_code_review = scr


P, S, A = Actor.PANEL, Actor.SECRETARIAT, Actor.AUTHORITY
ASSESSMENT_TIMETABLE_STATES = (State.DEFINITION, State.REPORT_PHASE, State.REPORT_ISSUED)

TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "submit it", {State.DRAFT: State.SUBMITTED}, (Actor.PROPOSER,), "10.3-10.4", _submit, notice="received"),
    Transition("refer_to_panel", "refer it to the Panel", {State.SUBMITTED: State.WITH_PANEL}, (S,), "10.11", _refer_to_panel),
    Transition("refuse_incomplete", "refuse it as incomplete", {State.SUBMITTED: State.REFUSED_INCOMPLETE}, (S,), "10.8-10.9", reason_required=True, notice="refused"),
    Transition("panel_overrule_refusal", "instruct the Secretariat to accept it", {State.REFUSED_INCOMPLETE: State.WITH_PANEL}, (P,), "10.10"),
    Transition("scr_flag", "record that it falls within a Significant Code Review", _same(State.SUBMITTED, State.WITH_PANEL), (P,), "10.22-10.23", _scr_flag),
    Transition("scr_direction", "direct whether it falls within a Significant Code Review", _same(State.SUBMITTED, State.WITH_PANEL, *ASSESSMENT_TIMETABLE_STATES), (A,), "10.23.2", _scr_direction),
    Transition("panel_accept", "accept it into the Assessment Process", {State.WITH_PANEL: _after_acceptance}, (P,), "10.12, 11.3-11.11", _panel_accept, notice="accepted"),
    Transition("panel_refuse", "refuse it", {State.WITH_PANEL: State.REFUSED}, (P,), "10.13-10.15, 10.22", _panel_refuse, reason_required=True, notice="refused"),
    Transition("ask_authority", "ask the Authority to direct acceptance", {State.REFUSED: State.REFERRED_TO_AUTHORITY}, (Actor.PROPOSER,), "10.18-10.20", _ask_authority, reason_required=True),
    Transition("authority_direct_acceptance", "direct the Panel to accept it", {State.REFERRED_TO_AUTHORITY: State.WITH_PANEL}, (A,), "10.21", _authority_directs_acceptance),
    Transition("authority_decline", "decline to direct acceptance", {State.REFERRED_TO_AUTHORITY: State.REFUSED}, (A, Actor.SYSTEM), "10.21"),
    Transition("vary_timetable", "vary the timetable", _same(*ASSESSMENT_TIMETABLE_STATES), (P,), "11.12", _vary_timetable, reason_required=True),
    Transition("veto_timetable_variation", "veto the timetable variation", _same(*ASSESSMENT_TIMETABLE_STATES), (A,), "11.12", _veto_timetable),
    Transition("authority_timetable_direction", "direct the timetable", _same(State.WITH_PANEL, *ASSESSMENT_TIMETABLE_STATES), (A,), "11.9A, 11.11", _authority_timetable),
    Transition("authority_part_opinion", "give its opinion on Part 1 or Part 2", _same(*BEFORE_VOTE), (A,), "11.21", _authority_part_opinion),
    Transition("definition_complete", "record the Working Group's instructions on the Change Report", {State.DEFINITION: State.REPORT_PHASE}, (S,), "11.17", _definition_complete),
    Transition("issue_change_report", "issue the Change Report to the Panel", {State.REPORT_PHASE: State.REPORT_ISSUED}, (S,), "11.19-11.20", _issue_report),
    Transition("send_back", "send the Change Report back to a Working Group", {State.REPORT_ISSUED: State.DEFINITION}, (P,), "11.22.1", _send_back, reason_required=True),
    Transition("submit_to_vote", "submit it to the Voting Procedure", {State.REPORT_ISSUED: State.AWAITING_VOTE, State.DATE_REASSESSMENT: State.AWAITING_VOTE}, (P,), "11.22.2, 11.23", _submit_to_vote),
    Transition("voting_open", "open the vote", {State.AWAITING_VOTE: State.VOTING}, (S, Actor.SYSTEM), "12.4-12.5"),
    Transition("vote_declared_recommendation", "declare the Parties' recommendation", {State.VOTING: State.AWAITING_AUTHORITY}, (S, Actor.SYSTEM), "13.4, 13.5, 13.7", _record_declaration, notice="declared"),
    Transition("vote_declared_accepted", "declare the proposal accepted", {State.VOTING: State.ACCEPTED_APPEAL_WINDOW}, (S, Actor.SYSTEM), "13.4, 13.6", _record_declaration, notice="declared"),
    Transition("vote_declared_rejected", "declare the proposal rejected", {State.VOTING: State.REJECTED_APPEAL_WINDOW}, (S, Actor.SYSTEM), "13.4, 13.7, 14.4", _record_declaration, notice="declared"),
    Transition("vote_declared_date_rejected", "declare the implementation date rejected", {State.VOTING: State.DATE_REASSESSMENT}, (S, Actor.SYSTEM), "14.3", _record_declaration, notice="declared"),
    Transition("authority_accept", "accept it", {State.AWAITING_AUTHORITY: State.APPROVED}, (A,), "13.9-13.12", _record_decision, notice="decided"),
    Transition("authority_reject", "reject it", {State.AWAITING_AUTHORITY: State.REJECTED}, (A,), "13.9-13.12", _record_decision, notice="decided"),
    Transition("authority_send_back", "direct the Panel to revise and resubmit the Change Report", {State.AWAITING_AUTHORITY: State.DEFINITION}, (A,), "13.11A", _authority_send_back, reason_required=True, notice="decided"),
    Transition("appeal_lodged", "appeal the decision", {State.ACCEPTED_APPEAL_WINDOW: State.UNDER_APPEAL, State.REJECTED_APPEAL_WINDOW: State.UNDER_APPEAL, State.UNDER_APPEAL: State.UNDER_APPEAL}, (Actor.APPELLANT,), "13.17-13.19", _appeal_lodged),
    Transition("appeal_window_close", "close the appeal window", {State.ACCEPTED_APPEAL_WINDOW: State.APPROVED, State.REJECTED_APPEAL_WINDOW: State.REJECTED}, (S, Actor.SYSTEM), "13.16, 13.18", _appeal_window_close),
    Transition("appeal_screened_out", "find the appeal does not meet 13.20", {State.UNDER_APPEAL: _appeal_stands}, (A,), "13.20", notice="decided"),
    Transition("appeal_dismissed", "dismiss the appeal", {State.UNDER_APPEAL: _appeal_stands}, (A,), "13.21.2(A)", notice="decided"),
    Transition("appeal_quashed", "quash the decision", {State.UNDER_APPEAL: _appeal_quashed}, (A,), "13.21.2(B)(i), 13.22", _quash, notice="decided"),
    Transition("appeal_sent_back", "send it back to the Panel for reconsideration", {State.UNDER_APPEAL: State.DEFINITION}, (A,), "13.21.2(B)(ii)", _send_back, notice="decided"),
    Transition("implementation_plan_set", "set the implementation actions and timetable", {State.APPROVED: State.IMPLEMENTING}, (P,), "14.6", _implementation_plan),
    Transition("implementation_date_directed", "direct a new implementation date", _same(State.APPROVED, State.IMPLEMENTING), (A,), "14.9-14.11"),
    Transition("mark_implemented", "record the variation as made", {State.IMPLEMENTING: State.IMPLEMENTED}, (S,), "14.7"),
    Transition("withdraw", "withdraw it", _all_to(LIVE, State.WITHDRAWN), (Actor.PROPOSER,), "11.29-11.30", _withdraw, reason_required=False, notice="withdrawn"),
    Transition("adopt", "adopt it", {State.WITHDRAWN: _resume}, (Actor.PARTY,), "11.31", _adopt, notice="adopted"),
    Transition("withdrawal_lapse", "take it out of the process", {State.WITHDRAWN: State.LEFT_PROCESS}, (S, Actor.SYSTEM), "11.32", _after_deadline("the adoption window")),
    Transition("backstop_withdraw", "deem it withdrawn by a back-stop direction", _all_to(LIVE | {State.WITHDRAWN}, State.LEFT_PROCESS), (A,), "11.29A", _backstop, reason_required=True, notice="left_process"),
    Transition("scr_suspend", "suspend it within a Significant Code Review", _all_to(IN_ASSESSMENT - {State.VOTING, State.SCR_SUSPENDED}, State.SCR_SUSPENDED), (A,), "10.23.2(A)", _scr_suspend, reason_required=True),
    Transition("scr_resume", "lift the suspension", {State.SCR_SUSPENDED: _resume}, (A,), "10.23"),
)  # fmt: skip

TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return TRANSITIONS_BY_ACTION[action]
    except KeyError:
        raise DomainError(f"'{action}' is not a step of the change process.", field="action")


def check_allowed(t: Transition, *, proposal: Any, user: Any) -> State:
    """The state reached, or a Conflict (wrong state) / NotAllowed (wrong person) naming the rule."""
    state = State(proposal.status)
    if state not in t.moves:
        allowed = ", ".join(f"'{s.label}'" for s in sorted(t.sources))
        raise Conflict(
            f"{proposal.reference} is '{state.label}'; {t.who_label()} may {t.label} only when "
            f"it is {allowed} ({t.clause}).",
            rule=t.clause,
        )
    if not any(actor.allows(user, proposal) for actor in t.who):
        raise NotAllowed(
            f"{proposal.reference} is '{state.label}'; only {t.who_label()} may {t.label} "
            f"({t.clause}).",
            rule=t.clause,
        )
    return state


def allowed_transitions(*, proposal: Any, user: Any) -> list[Transition]:
    """The steps this user may take now (the guards are checked when the step is taken)."""
    state = State(proposal.status)
    return [
        t
        for t in TRANSITIONS
        if state in t.moves and any(actor.allows(user, proposal) for actor in t.who)
    ]


# -- deadlines each state starts ----------------------------------------------------------


@dataclass(frozen=True)
class DeadlineDue:
    what: str
    due_on: dt.date
    rule: str
    data: dict[str, Any] = field(default_factory=dict)


def panel_consideration_due(p: Any, cal: WorkingDayCalendar) -> DeadlineDue:
    """5 Working Days of submission if specified as urgent (10.4.8), else 25 (10.12)."""
    days = 5 if p.urgency_requested else 25
    return DeadlineDue(
        f"Panel to consider the proposal ({days} Working Days of submission)",
        cal.add_working_days(p.submitted_on, days),
        "10.12",
    )


def deadline_for(
    p: Any, state: State, from_state: State, today: dt.date, cal: WorkingDayCalendar
) -> DeadlineDue | None:
    if state in (State.SUBMITTED, State.WITH_PANEL) and not p.authority_directed_acceptance:
        return panel_consideration_due(p, cal)
    if state == State.WITH_PANEL:
        return DeadlineDue(
            "Panel to place the proposal into the Assessment Process as directed",
            cal.add_working_days(today, 25),
            "10.21",
        )
    if state == State.REFUSED and from_state == State.WITH_PANEL:
        if p.refusal_ground in (RefusalGround.DUPLICATE, RefusalGround.OUT_OF_SCOPE):
            return DeadlineDue(
                "Proposer may ask the Authority to direct acceptance",
                cal.add_working_days(today, 10),
                "10.19",
            )
    if state == State.REFERRED_TO_AUTHORITY:
        return DeadlineDue(
            "Authority to direct acceptance or not", cal.add_working_days(today, 10), "10.21"
        )
    if state in (State.ACCEPTED_APPEAL_WINDOW, State.REJECTED_APPEAL_WINDOW):
        return DeadlineDue(
            "Appeals to the Authority close", cal.add_working_days(today, 10), "13.18"
        )
    if state == State.WITHDRAWN:
        return DeadlineDue(
            "Any Party may adopt the withdrawn proposal", cal.add_working_days(today, 10), "11.31"
        )
    if state in ASSESSMENT_TIMETABLE_STATES or state == State.DATE_REASSESSMENT:
        for stage in p.timetable or []:
            if not stage.get("actual"):
                return DeadlineDue(
                    f"Timetable: {stage['stage']}",
                    dt.date.fromisoformat(stage["planned"]),
                    "11.10-11.13",
                )
    return None
