"""Desk steps of a consultation (11.14.1, 11.17, 11.20.6(B)): open it, record the responses
received, summarise them."""

from __future__ import annotations

from ... import services
from ...forms.consultations import ConsultationForm, ResponseForm, SummaryForm
from .base import Cleaned, DeskStep, StepContext, consultation


def _open(s: StepContext, d: Cleaned) -> object:
    return services.consultation_open(
        proposal=s.proposal,
        by=s.by,
        title=d["title"],
        questions=d["questions"],
        opens_on=d.get("opens_on"),
        closes_on=d.get("closes_on"),
        final_draft=d["final_draft"],
    )


def _respond(s: StepContext, d: Cleaned) -> object:
    return services.consultation_respond(
        consultation=s.target,
        by=s.by,
        respondent_name=d["respondent_name"],
        party=d.get("party"),
        answers=d["answers"],
        confidential=d["confidential"],
        late_reason=d.get("late_reason") or "",
        submitted_on=d.get("submitted_on"),
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
        act=_respond,
        title="Record a response to '{target.title}'",
        clause="11.14.1, 11.17",
        done="The response has been recorded.",
    ),
    "consultation_summarise": DeskStep(
        path="<str:reference>/consultations/<int:pk>/summary/",
        target=consultation,
        form=SummaryForm,
        form_kwargs=lambda s: {"initial": {"summary": s.target.response_summary}},
        act=lambda s, d: services.consultation_summarise(
            consultation=s.target, by=s.by, summary=d["summary"]
        ),
        title="Summarise the responses to '{target.title}'",
        clause="11.20.6(B)",
        done="The summary of responses has been saved.",
    ),
}
