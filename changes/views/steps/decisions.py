"""Desk steps that record decisions and their consequences: the Authority's decision (13.9-13.12)
and appeals (13.17-13.22), withdrawal and adoption (11.29-11.31), implementation (14.6-14.11)."""

from __future__ import annotations

from ... import services
from ...forms.decisions import (
    AdoptForm,
    AppealDecideForm,
    AppealLodgeForm,
    AuthorityDecisionForm,
    ImplementationDateForm,
    ImplementationPlanForm,
    WithdrawForm,
)
from .base import Cleaned, DeskStep, StepContext, calls


def _decide(s: StepContext, d: Cleaned) -> object:
    letter = None
    if d.get("document"):
        letter = services.Upload(
            title=d.get("document_title") or d["document"].name,
            file=d["document"],
            confidential=d.get("document_confidential", False),
        )
    return services.proposal_authority_decide(
        proposal=s.proposal,
        by=s.by,
        decision=d["decision"],
        reasons=d.get("reason") or "",
        decided_on=d.get("decided_on"),
        document=letter,
    )


STEPS = {
    "implementation_plan": DeskStep(
        path="<str:reference>/implementation/plan/",
        form=ImplementationPlanForm,
        form_kwargs=lambda s: {"initial": ImplementationPlanForm.initial_for(s.proposal)},
        act=calls(
            services.implementation_plan_set, needs="implementation_date actions", may="set_on"
        ),
        title="Set the implementation plan",
        clause="14.6",
        done="The implementation plan of {proposal.reference} has been set.",
        takes=(("implementation_plan_set", ""),),
    ),
    "implementation_date": DeskStep(
        path="<str:reference>/implementation/date/",
        form=ImplementationDateForm,
        act=calls(
            services.implementation_date_direct,
            needs="new_date basis",
            text="reasons=reason",
            may="directed_on",
        ),
        title="Record the Authority's direction of a new implementation date",
        clause="14.9-14.11",
        done="The new implementation date of {proposal.reference} has been recorded.",
        takes=(("implementation_date_directed", ""),),
    ),
    "authority_decision": DeskStep(
        path="<str:reference>/authority-decision/",
        form=AuthorityDecisionForm,
        form_kwargs=lambda s: {"initial": {"decision": s.query.get("decision", "")}},
        act=_decide,
        title="Record the Authority's decision",
        clause="13.9-13.12",
        done="The Authority's decision on {proposal.reference} has been recorded.",
        default_field="decision",
        takes=(
            ("authority_accept", "?decision=accept"),
            ("authority_reject", "?decision=reject"),
            ("authority_send_back", "?decision=send_back"),
        ),
    ),
    "appeal_new": DeskStep(
        path="<str:reference>/appeals/new/",
        form=AppealLodgeForm,
        act=calls(
            services.appeal_lodge,
            needs="appellant_name reasons=reason grounds in_writing copied_to_secretariat_and_panel",
            may="appellant_party lodged_on",
        ),
        title="Record an appeal to the Authority",
        clause="13.17-13.19",
        done="The appeal on {proposal.reference} has been recorded.",
        default_field="lodged_on",
        takes=(("appeal_lodged", ""),),
    ),
    "appeal_decide": DeskStep(
        path="<str:reference>/appeals/decide/",
        form=AppealDecideForm,
        form_kwargs=lambda s: {
            "proposal": s.proposal,
            "initial": {"outcome": s.query.get("outcome", "")},
        },
        act=calls(
            services.appeal_decide,
            on=None,
            needs="appeal outcome",
            text="reasons=reason",
            may="decided_on",
        ),
        title="Record the Authority's decision on the appeal",
        clause="13.20-13.22",
        done="The Authority's decision on the appeal on {proposal.reference} has been recorded.",
        default_field="outcome",
        takes=(
            ("appeal_screened_out", "?outcome=screened_out"),
            ("appeal_dismissed", "?outcome=dismissed"),
            ("appeal_quashed", "?outcome=quashed"),
            ("appeal_sent_back", "?outcome=sent_back"),
        ),
    ),
    "withdraw": DeskStep(
        path="<str:reference>/withdraw/",
        form=WithdrawForm,
        act=calls(services.proposal_withdraw, text="reason authority_consent", may="on"),
        title="Record the Proposer's withdrawal",
        clause="11.29-11.30",
        done="{proposal.reference} has been withdrawn; Parties may adopt it (11.31).",
        takes=(("withdraw", ""),),
    ),
    "adopt": DeskStep(
        path="<str:reference>/adopt/",
        form=AdoptForm,
        act=calls(services.proposal_adopt, needs="party", may="on"),
        title="Record a Party's adoption of the withdrawn proposal",
        clause="11.31",
        done="{proposal.reference} has been adopted.",
        default_field="party",
        takes=(("adopt", ""),),
    ),
}
