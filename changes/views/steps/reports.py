"""Desk steps of the Change Report (11.19-11.23) and its alternatives (11.18, 11.20.6(C))."""

from __future__ import annotations

from ... import services
from ...forms.reports import (
    AddAlternativeForm,
    AlternativeForm,
    ChangeReportForm,
    SendToAuthorityForm,
)
from .base import Cleaned, DeskStep, StepContext, report


def _put_forward(s: StepContext, d: Cleaned) -> object:
    return services.alternative_put_forward(
        proposal=s.proposal,
        by=s.by,
        description=d["description"],
        legal_text=d.get("legal_text") or "",
        working_group_member=d.get("working_group_member"),
        consultation_response=d.get("consultation_response"),
        by_proposer=d["by_proposer"],
        why_original_is_better=d.get("why_original_is_better") or "",
    )


STEPS = {
    "report_new": DeskStep(
        path="<str:reference>/reports/new/",
        form=ChangeReportForm,
        form_kwargs=lambda s: {"initial": ChangeReportForm.initial_for(s.proposal)},
        act=lambda s, d: services.change_report_create(proposal=s.proposal, by=s.by, **d),
        title="New version of the Change Report",
        clause="11.19-11.20",
        done="A new version of the Change Report on {proposal.reference} has been saved.",
    ),
    "report_send": DeskStep(
        path="<str:reference>/reports/<int:version>/send/",
        target=report,
        form=SendToAuthorityForm,
        act=lambda s, d: services.change_report_send_to_authority(
            report=s.target, by=s.by, sent_on=d.get("sent_on")
        ),
        title="Send version {target.version} of the Change Report to the Authority",
        clause="11.22",
        done="Version {target.version} of the Change Report was sent to the Authority.",
    ),
    "report_add_alternative": DeskStep(
        path="<str:reference>/reports/<int:version>/alternatives/add/",
        target=report,
        form=AddAlternativeForm,
        form_kwargs=lambda s: {"report": s.target},
        act=lambda s, d: services.change_report_add_alternative(
            report=s.target, alternative=d["alternative"], by=s.by
        ),
        title="Add an alternative to version {target.version} of the Change Report",
        clause="11.23",
        done="The alternative was added to version {target.version} of the Change Report.",
        default_field="alternative",
    ),
    "alternative_new": DeskStep(
        path="<str:reference>/alternatives/new/",
        form=AlternativeForm,
        form_kwargs=lambda s: {"proposal": s.proposal},
        act=_put_forward,
        title="Put forward an alternative variation",
        clause="11.18, 11.20.6(C)",
        done="The alternative to {proposal.reference} has been recorded.",
    ),
}
