"""Desk steps of a consultation (11.14.1, 11.17, 11.20.6(B)): open it, record the responses
received, summarise them."""

from __future__ import annotations

from ... import services
from ...forms.consultations import ConsultationForm, ResponseForm, SummaryForm
from .base import DeskStep, calls, consultation

STEPS = {
    "consultation_new": DeskStep(
        path="<str:reference>/consultations/new/",
        form=ConsultationForm,
        act=calls(
            services.consultation_open,
            needs="title questions final_draft",
            may="opens_on closes_on",
        ),
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
