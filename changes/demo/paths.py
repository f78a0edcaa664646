"""The path that walks a demo proposal to each state: shared beginnings, then each ending."""

from __future__ import annotations

from ..states import State
from .walk import Step, Walk


def _before_the_vote(w: Walk) -> dict[str, list[Step]]:
    """The shared beginnings: submitted, referred, defined, reported, put to the vote."""
    base: list[Step] = [(2, w.submit)]
    referred = base + [
        (
            2,
            w.step(
                "refer_to_panel",
                initial_assessment="Likely to affect Suppliers' systems modestly.",
            ),
        )
    ]
    defined = referred + [(5, w.accept(True)), (1, w.working_group)]
    reported = defined + [
        (20, w.step("definition_complete")),
        (5, w.report),
        (1, w.step("issue_change_report")),
    ]
    voting = reported + [(8, w.step("submit_to_vote")), (1, w.step("voting_open"))]
    return {
        "base": base,
        "referred": referred,
        "defined": defined,
        "reported": reported,
        "voting": voting,
    }


def _assessment_paths(w: Walk, at: dict[str, list[Step]]) -> dict[State, list[Step]]:
    out_of_scope = w.step(
        "panel_refuse", reason="Outside Condition 22 of the Licences.", ground="out_of_scope"
    )
    return {
        State.DRAFT: [],
        State.SUBMITTED: at["base"],
        State.REFUSED_INCOMPLETE: at["base"]
        + [(2, w.step("refuse_incomplete", reason="The legal text is missing (10.8)."))],
        State.WITH_PANEL: at["referred"],
        State.REFUSED: at["referred"] + [(5, out_of_scope)],
        State.REFERRED_TO_AUTHORITY: at["referred"]
        + [
            (5, out_of_scope),  # no earlier proposal it could duplicate (10.13)
            (
                3,
                w.step(
                    "ask_authority",
                    by="rep",
                    reason="The earlier proposal was different in scope.",
                ),
            ),
        ],
        State.DEFINITION: at["defined"] + [(2, w.consultation)],
        State.REPORT_PHASE: at["defined"] + [(20, w.step("definition_complete"))],
        State.REPORT_ISSUED: at["reported"] + [(9, lambda p, day: None)],  # ready to vote (11.22)
        State.AWAITING_VOTE: at["reported"] + [(8, w.step("submit_to_vote"))],
        State.VOTING: at["voting"],
        State.SCR_SUSPENDED: at["defined"]
        + [
            (
                10,
                w.step(
                    "scr_suspend",
                    by="auth",
                    reason="Within the scope of the access Significant Code Review.",
                ),
            )
        ],
        State.WITHDRAWN: at["defined"]
        + [(0, w.step("withdraw", by="rep", reason="Superseded by our new proposal."))],
        State.LEFT_PROCESS: at["defined"]
        + [
            (5, w.step("withdraw", by="rep", reason="No longer needed.")),
            (25, w.step("withdrawal_lapse", by=None)),
        ],
    }


def _after_the_vote_paths(w: Walk, at: dict[str, list[Step]]) -> dict[State, list[Step]]:
    accepted = at["voting"] + [(10, w.declared("accepted"))]
    approved = accepted + [(20, w.step("appeal_window_close", by=None))]
    return {
        State.DATE_REASSESSMENT: at["voting"] + [(10, w.declared("accepted", "rejected"))],
        State.AWAITING_AUTHORITY: at["referred"]
        + [
            (5, w.accept(False)),
            (5, w.report),
            (1, w.step("issue_change_report")),
            (8, w.step("submit_to_vote")),
            (1, w.step("voting_open")),
            (10, w.declared("accepted")),
        ],
        State.ACCEPTED_APPEAL_WINDOW: accepted,
        State.REJECTED_APPEAL_WINDOW: at["voting"] + [(10, w.declared("rejected"))],
        State.UNDER_APPEAL: accepted + [(3, w.appeal)],
        State.APPROVED: approved,
        State.IMPLEMENTING: approved + [(5, w.plan)],
        State.IMPLEMENTED: approved
        + [(5, w.plan), (25, w.actions_done), (30, w.step("mark_implemented"))],
        State.REJECTED: at["voting"]
        + [(10, w.declared("rejected")), (20, w.step("appeal_window_close", by=None))],
    }


def path_to(state: State, w: Walk) -> list[Step]:
    """The steps, each with its gap in days, that take a new draft to `state`."""
    at = _before_the_vote(w)
    return {**_assessment_paths(w, at), **_after_the_vote_paths(w, at)}[state]
