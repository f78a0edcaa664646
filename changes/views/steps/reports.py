"""Desk steps of the Change Report (11.19-11.23) and its alternatives (11.18, 11.20.6(C))."""

from __future__ import annotations

from ... import services
from ...forms.reports import (
    AddAlternativeForm,
    AlternativeForm,
    ChangeReportForm,
    SendToAuthorityForm,
)
from .base import DeskStep, calls, report

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
        act=calls(services.change_report_send_to_authority, on="report", may="sent_on"),
        title="Send version {target.version} of the Change Report to the Authority",
        clause="11.22",
        done="Version {target.version} of the Change Report was sent to the Authority.",
    ),
    "report_add_alternative": DeskStep(
        path="<str:reference>/reports/<int:version>/alternatives/add/",
        target=report,
        form=AddAlternativeForm,
        form_kwargs=lambda s: {"report": s.target},
        act=calls(services.change_report_add_alternative, on="report", needs="alternative"),
        title="Add an alternative to version {target.version} of the Change Report",
        clause="11.23",
        done="The alternative was added to version {target.version} of the Change Report.",
        default_field="alternative",
    ),
    "alternative_new": DeskStep(
        path="<str:reference>/alternatives/new/",
        form=AlternativeForm,
        form_kwargs=lambda s: {"proposal": s.proposal},
        act=calls(
            services.alternative_put_forward,
            needs="description by_proposer",
            may="working_group_member consultation_response",
            text="legal_text why_original_is_better",
        ),
        title="Put forward an alternative variation",
        clause="11.18, 11.20.6(C)",
        done="The alternative to {proposal.reference} has been recorded.",
    ),
}
