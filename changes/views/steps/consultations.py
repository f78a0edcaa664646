"""Desk steps of a consultation (11.14.1, 11.17, 11.20.6(B)): open it, record the responses
received, invite a respondent, record a late response agreed, summarise them."""

from __future__ import annotations

from ... import services
from ...forms.consultations import (
    ConsultationForm,
    InviteForm,
    LateForm,
    ResponseForm,
    SummaryForm,
)
from .base import Cleaned, DeskStep, StepContext, calls, consultation


def _open(s: StepContext, d: Cleaned) -> object:
    papers = [services.Upload(title=f.name, file=f) for f in d.get("papers") or []]
    return services.consultation_open(
        proposal=s.proposal,
        by=s.by,
        title=d["title"],
        questions=d["questions"],
        final_draft=d["final_draft"],
        opens_on=d.get("opens_on"),
        closes_on=d.get("closes_on"),
        documents=papers,
    )


STEPS = {
    "consultation_new": DeskStep(
        path="<str:reference>/consultations/new/",
        form=ConsultationForm,
        act=_open,
        title="Open a consultation",
        clause="11.14.1, 11.17",
        done="The consultation on {proposal.reference} is open.",
    ),
    "response_new": DeskStep(
        path="<str:reference>/consultations/<int:pk>/responses/new/",
        target=consultation,
        form=ResponseForm,
        form_kwargs=lambda s: {"consultation": s.target},
        act=calls(
            services.consultation_respond,
            on="consultation",
            needs="respondent_name answers confidential",
            may="party submitted_on",
            text="late_reason",
        ),
        title="Record a response to '{target.title}'",
        clause="11.14.1, 11.17",
        done="The response has been recorded.",
    ),
    "consultation_invite": DeskStep(
        path="<str:reference>/consultations/<int:pk>/invite/",
        target=consultation,
        form=InviteForm,
        act=calls(services.consultation_invite, on="consultation", needs="user"),
        title="Invite a respondent to '{target.title}' for the Working Group",
        clause="11.14.1",
        done="The invitation is recorded and sent.",
    ),
    "consultation_allow_late": DeskStep(
        path="<str:reference>/consultations/<int:pk>/late/",
        target=consultation,
        form=LateForm,
        act=calls(
            services.consultation_allow_late,
            on="consultation",
            needs="reason agreed_on",
            may="party user",
        ),
        title="Record the Working Group's agreement to a late response to '{target.title}'",
        clause="11.17",
        done="The late response is allowed; the respondent may now answer online.",
    ),
    "consultation_summarise": DeskStep(
        path="<str:reference>/consultations/<int:pk>/summary/",
        target=consultation,
        form=SummaryForm,
        form_kwargs=lambda s: {"initial": {"summary": s.target.response_summary}},
        act=calls(services.consultation_summarise, on="consultation", needs="summary"),
        title="Summarise the responses to '{target.title}'",
        clause="11.20.6(B)",
        done="The summary of responses has been saved.",
    ),
}
