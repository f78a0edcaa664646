"""The effects of the steps: each validates the decision's data against the rule and applies it.

Effects use the proposal's attributes and related managers only (this package imports no models).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .deadlines import add_months as add_months
from .refusal import panel_refuse as panel_refuse
from .revote import check_date_revote
from .states import RefusalGround, State
from .transitions import Context, Effect

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


def submit(ctx: Context) -> None:
    p = ctx.proposal
    missing = missing_for_submission(p)
    if missing:
        words = [REQUIRED_FOR_SUBMISSION.get(m, m.replace("_", " ")) for m in missing]
        raise ctx.fail("a Change Proposal must contain " + "; ".join(words), field=missing[0])
    p.submitted_on = ctx.today
    if p.is_authority_change_proposal:
        p.part = 1  # 9.4.6


def refer_to_panel(ctx: Context) -> None:
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


def panel_accept(ctx: Context) -> None:
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


def ask_authority(ctx: Context) -> None:
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


def within_deadline(what: str) -> Effect:
    def effect(ctx: Context) -> None:
        deadline = ctx.proposal.current_deadline
        if deadline is not None and ctx.today > deadline.due_on:
            raise ctx.fail(f"{what} had to be made by {deadline.due_on:%d %B %Y}")

    return effect


def authority_directs_acceptance(ctx: Context) -> None:
    within_deadline("the Authority's direction")(ctx)
    ctx.proposal.authority_directed_acceptance = True
    ctx.proposal.refusal_ground = ""


def after_deadline(what: str) -> Effect:
    def effect(ctx: Context) -> None:
        deadline = ctx.proposal.current_deadline
        if deadline is not None and ctx.today <= deadline.due_on:
            raise ctx.fail(f"{what} is open until {deadline.due_on:%d %B %Y}")

    return effect


def vary_timetable(ctx: Context) -> None:
    p = ctx.proposal
    if p.timetable_fixed_by_authority:
        raise ctx.fail("the Panel may not vary a timetable set by the Authority (11.9A)")
    p.previous_timetable = p.timetable
    p.timetable = validate_timetable(ctx, ctx.data.get("timetable"))


def veto_timetable(ctx: Context) -> None:
    p = ctx.proposal
    if not p.previous_timetable:
        raise ctx.fail("there is no Panel variation of the timetable to veto")
    p.timetable, p.previous_timetable = p.previous_timetable, []


def authority_timetable(ctx: Context) -> None:
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


def authority_part_opinion(ctx: Context) -> None:
    part = ctx.data.get("part")
    if part not in (1, 2, "1", "2"):
        raise ctx.fail("the Authority's opinion is Part 1 or Part 2", field="part")
    ctx.proposal.authority_part_opinion = int(part)
    ctx.proposal.part = int(part)


def definition_complete(ctx: Context) -> None:
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


def issue_report(ctx: Context) -> None:
    if not ctx.proposal.reports.exists():
        raise ctx.fail("there is no Change Report to issue: create one first")


def submit_to_vote(ctx: Context) -> None:
    p = ctx.proposal
    report = p.reports.order_by("-version").first()
    if report is None:
        raise ctx.fail("there is no Change Report to vote on")
    if ctx.from_state == State.DATE_REASSESSMENT:
        check_date_revote(ctx, report)  # 14.3: a new date, a new version, its own 7-day wait
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


def send_back(ctx: Context) -> None:
    p = ctx.proposal
    p.definition_procedure = True
    p.vote_outcome = ""
    p.date_only_vote = False


def authority_send_back(ctx: Context) -> None:
    ctx.data["vote_void"] = True  # 13.11A.1: the vote is null and void
    send_back(ctx)


def record_declaration(ctx: Context) -> None:
    """13.4.3: the declared outcomes; 13.7's deemed Part 1 recommendation to reject."""
    p, d = ctx.proposal, ctx.data
    p.vote_outcome = str(d.get("variation_outcome") or "")
    p.date_outcome = str(d.get("date_outcome") or "")
    if d.get("deemed_part1"):
        p.part = 1
    if ctx.transition.action in ("vote_declared_accepted", "vote_declared_rejected"):
        p.decided_on = ctx.today


def record_decision(ctx: Context) -> None:
    ctx.proposal.decided_on = ctx.today


def appeal_lodged(ctx: Context) -> None:
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


def appeal_window_close(ctx: Context) -> None:
    p = ctx.proposal
    if p.appeal_window_ends is not None and ctx.today <= p.appeal_window_ends:
        raise ctx.fail(f"the appeal window is open until {p.appeal_window_ends:%d %B %Y}")


def quash(ctx: Context) -> None:
    ctx.proposal.part = 1  # 13.22: treated as if it related to a Part 1 Matter
    ctx.data["reassessed_under"] = "13.5"


def implemented(ctx: Context) -> None:
    """14.7: the variation is recorded as made only once every action of the plan is done."""
    plan = getattr(ctx.proposal, "implementation_plan", None)  # absent: no plan set yet
    actions = plan.actions.filter(superseded_on=None) if plan is not None else None
    if actions is None or not actions.exists():
        raise ctx.fail("it has no implementation plan: the Panel sets the actions first (14.6)")
    outstanding = actions.filter(done_on=None).count()
    if outstanding:
        raise ctx.fail(f"{outstanding} implementation action(s) are not done; record each first")


def implementation_plan(ctx: Context) -> None:
    plan = getattr(ctx.proposal, "implementation_plan", None)
    if plan is None or not plan.actions.filter(superseded_on=None).exists():
        raise ctx.fail("the Panel sets the actions and a timetable for each (14.6)")


def withdraw(ctx: Context) -> None:
    p = ctx.proposal
    if p.is_authority_change_proposal and not ctx.data.get("authority_consent"):
        raise ctx.fail(
            "a proposal raised under 10.2.5 may be withdrawn only with evidence of the "
            "Authority's consent",
            field="authority_consent",
        )
    p.resume_status = ctx.from_state


def adopt(ctx: Context) -> None:
    """11.31: the adopting Party becomes the Proposer."""
    within_deadline("notice of adoption")(ctx)
    party = ctx.data.get("party")
    if party is None:
        raise ctx.fail("name the Party that adopts the proposal", field="party")
    p = ctx.proposal
    if p.proposer_party_id is not None and party.pk == p.proposer_party_id:
        raise ctx.fail(
            f"{party.name} withdrew the proposal; another Party may adopt it", field="party"
        )
    ctx.data["previous_proposer"] = p.proposer_display
    p.proposer_kind = "party"
    p.proposer_party = party
    p.proposer_name = ""


def scr_suspend(ctx: Context) -> None:
    ctx.proposal.resume_status = ctx.from_state


def backstop(ctx: Context) -> None:
    ctx.data["no_adoption_window"] = True


def scr_direction(ctx: Context) -> None:
    within = ctx.data.get("within_scope")
    if within not in (True, False):
        raise ctx.fail("say whether the proposal falls within the Review", field="within_scope")
    ctx.proposal.scr_direction = "within" if within else "outside"


def scr_flag(ctx: Context) -> None:
    scr = ctx.data.get("significant_code_review")
    if scr is None:
        raise ctx.fail("name the Significant Code Review", field="significant_code_review")
    ctx.proposal.significant_code_review = scr
