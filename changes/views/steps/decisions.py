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
from .base import Cleaned, DeskStep, StepContext


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


def _lodge(s: StepContext, d: Cleaned) -> object:
    return services.appeal_lodge(
        proposal=s.proposal,
        by=s.by,
        appellant_name=d["appellant_name"],
        appellant_party=d.get("appellant_party"),
        reasons=d["reason"],
        grounds=d["grounds"],
        in_writing=d["in_writing"],
        copied_to_secretariat_and_panel=d["copied_to_secretariat_and_panel"],
        lodged_on=d.get("lodged_on"),
    )


def _direct_date(s: StepContext, d: Cleaned) -> object:
    return services.implementation_date_direct(
        proposal=s.proposal,
        by=s.by,
        new_date=d["new_date"],
        basis=d["basis"],
        reasons=d.get("reason") or "",
        directed_on=d.get("directed_on"),
    )


def _withdraw(s: StepContext, d: Cleaned) -> object:
    return services.proposal_withdraw(
        proposal=s.proposal,
        by=s.by,
        reason=d.get("reason") or "",
        authority_consent=d.get("authority_consent") or "",
        on=d.get("on"),
    )


STEPS = {
    "implementation_plan": DeskStep(
        path="<str:reference>/implementation/plan/",
        form=ImplementationPlanForm,
        form_kwargs=lambda s: {"initial": ImplementationPlanForm.initial_for(s.proposal)},
        act=lambda s, d: services.implementation_plan_set(
            proposal=s.proposal,
            by=s.by,
            implementation_date=d["implementation_date"],
            actions=d["actions"],
            set_on=d.get("set_on"),
        ),
        title="Set the implementation plan",
        clause="14.6",
        done="The implementation plan of {proposal.reference} has been set.",
        takes=(("implementation_plan_set", ""),),
    ),
    "implementation_date": DeskStep(
        path="<str:reference>/implementation/date/",
        form=ImplementationDateForm,
        act=_direct_date,
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
        act=_lodge,
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
        act=lambda s, d: services.appeal_decide(
            appeal=d["appeal"],
            by=s.by,
            outcome=d["outcome"],
            reasons=d.get("reason") or "",
            decided_on=d.get("decided_on"),
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
        act=_withdraw,
        title="Record the Proposer's withdrawal",
        clause="11.29-11.30",
        done="{proposal.reference} has been withdrawn; Parties may adopt it (11.31).",
        takes=(("withdraw", ""),),
    ),
    "adopt": DeskStep(
        path="<str:reference>/adopt/",
        form=AdoptForm,
        act=lambda s, d: services.proposal_adopt(
            proposal=s.proposal, by=s.by, party=d["party"], on=d.get("on")
        ),
        title="Record a Party's adoption of the withdrawn proposal",
        clause="11.31",
        done="{proposal.reference} has been adopted.",
        default_field="party",
        takes=(("adopt", ""),),
    ),
}
