"""Desk steps that record decisions and their consequences: the Authority's decision (13.9-13.12)
and appeals (13.17-13.22), withdrawal and adoption (11.29-11.31), implementation (14.6-14.11)."""

from __future__ import annotations

from panel import access

from ... import services
from ...forms.decisions import (
    AdoptForm,
    AppealDecideForm,
    AppealLodgeForm,
    AuthorityDecisionForm,
    ImplementationDateForm,
    ImplementationPlanForm,
    MarkImplementedForm,
    WithdrawForm,
)
from ...services.implementation import proposal_mark_implemented
from .base import Cleaned, DeskStep, StepContext, calls


def _letter(d: Cleaned) -> services.Upload | None:
    """The Authority's letter the Secretariat received (13.13), for the step's service."""
    if not d.get("document"):
        return None
    return services.Upload(
        title=d.get("document_title") or d["document"].name,
        file=d["document"],
        confidential=d.get("document_confidential", False),
    )


def _decide(s: StepContext, d: Cleaned) -> object:
    return services.proposal_authority_decide(
        proposal=s.proposal,
        by=s.by,
        decision=d["decision"],
        reasons=d.get("reason") or "",
        decided_on=d.get("decided_on"),
        document=_letter(d),
    )


def _direct_date(s: StepContext, d: Cleaned) -> object:
    return services.implementation_date_direct(
        proposal=s.proposal,
        by=s.by,
        new_date=d["new_date"],
        basis=d["basis"],
        reasons=d.get("reason") or "",
        directed_on=d.get("directed_on"),
        document=_letter(d),
    )


def _lodge_appeal(s: StepContext, d: Cleaned) -> object:
    letter = _letter(d)
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
        documents=[letter] if letter else (),
    )


def _decide_appeal(s: StepContext, d: Cleaned) -> object:
    return services.appeal_decide(
        appeal=d["appeal"],
        by=s.by,
        outcome=d["outcome"],
        reasons=d.get("reason") or "",
        decided_on=d.get("decided_on"),
        document=_letter(d),
    )


STEPS = {
    "implementation_plan": DeskStep(
        path="<str:reference>/implementation/plan/",
        form=ImplementationPlanForm,
        form_kwargs=lambda s: {"initial": ImplementationPlanForm.initial_for(s.proposal)},
        act=calls(
            services.implementation_plan_set, needs="actions", may="implementation_date set_on"
        ),
        title="Set the implementation plan",
        clause="14.6",
        done="The implementation plan of {proposal.reference} has been set.",
        takes=(("implementation_plan_set", ""),),
    ),
    "implementation_done": DeskStep(
        path="<str:reference>/implementation/implemented/",
        form=MarkImplementedForm,
        act=calls(proposal_mark_implemented),
        title="Record the variation as made",
        clause="14.7",
        done="{proposal.reference} is recorded as implemented.",
        default_field="confirm",
        takes=(("mark_implemented", ""),),
    ),
    "implementation_date": DeskStep(
        who=access.SECRETARIAT,
        doing="record the Authority's direction of a new implementation date received in writing (13.13); the Authority takes this step itself "
        "from 'Awaiting the Authority'",
        path="<str:reference>/implementation/date/",
        form=ImplementationDateForm,
        act=_direct_date,
        title="Record the Authority's direction of a new implementation date",
        clause="14.9-14.11",
        done="The new implementation date of {proposal.reference} has been recorded.",
        takes=(("implementation_date_directed", ""),),
    ),
    "authority_decision": DeskStep(
        who=access.SECRETARIAT,
        doing="record the Authority's decision received in writing (13.13); the Authority takes this step itself "
        "from 'Awaiting the Authority'",
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
        act=_lodge_appeal,
        title="Record an appeal to the Authority",
        clause="13.17-13.19",
        done="The appeal on {proposal.reference} has been recorded.",
        default_field="lodged_on",
        takes=(("appeal_lodged", ""),),
    ),
    "appeal_decide": DeskStep(
        who=access.SECRETARIAT,
        doing="record the Authority's decision on an appeal received in writing (13.13); the Authority takes this step itself "
        "from 'Awaiting the Authority'",
        path="<str:reference>/appeals/decide/",
        form=AppealDecideForm,
        form_kwargs=lambda s: {
            "proposal": s.proposal,
            "initial": {"outcome": s.query.get("outcome", "")},
        },
        act=_decide_appeal,
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
