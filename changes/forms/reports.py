"""The Change Report (11.19-11.23) and alternative variations (11.18, 11.20.6(C))."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from ..models import (
    AlternativeVariation,
    ChangeProposal,
    ChangeReport,
    ConsultationResponse,
    WorkingGroupMember,
)
from .common import CATEGORY_CHOICES, DATE


class ChangeReportForm(forms.Form):
    eligible_categories = forms.MultipleChoiceField(
        label="Party Categories eligible to vote (11.20.2)",
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    variation = forms.CharField(label="The proposed variation (11.20.3)", widget=forms.Textarea)
    effects = forms.CharField(label="Its effects (11.20.4)", widget=forms.Textarea)
    implementation_date = forms.DateField(
        label="Proposed implementation date (11.20.5)", widget=DATE
    )
    ghg_statement = forms.CharField(
        label="Greenhouse gas statement", widget=forms.Textarea, required=False
    )
    case_for = forms.CharField(
        label="Why it better facilitates the Objectives", widget=forms.Textarea, required=False
    )
    case_against = forms.CharField(widget=forms.Textarea, required=False)
    consultation_summary = forms.CharField(
        label="Summary of non-confidential responses (11.20.6(B))",
        widget=forms.Textarea,
        required=False,
    )
    responses_location = forms.URLField(
        label="Where to read the responses", required=False, assume_scheme="https"
    )

    @classmethod
    def initial_for(cls, proposal: ChangeProposal) -> dict[str, Any]:
        """The proposal's own words, then the latest version's where there is one."""
        initial: dict[str, Any] = {
            "eligible_categories": proposal.impacted_categories,
            "variation": proposal.description,
            "implementation_date": proposal.proposed_implementation_date,
            "ghg_statement": proposal.ghg_statement,
        }
        latest = proposal.reports.order_by("-version").first()
        if latest is not None:
            initial.update({name: getattr(latest, name) for name in cls.base_fields})
        return initial


class SendToAuthorityForm(forms.Form):
    sent_on = forms.DateField(
        label="Provided to the Authority on (default: today; not before the report was made, "
        "not in the future: the 7-day wait runs from it, 11.22.2)",
        widget=DATE,
        required=False,
    )


class AlternativeForm(forms.Form):
    """An alternative variation from a Working Group member (11.18) or a respondent (11.20.6(C))."""

    working_group_member = forms.ModelChoiceField(
        label="Put forward by a Working Group member (11.18)",
        queryset=WorkingGroupMember.objects.none(),
        required=False,
    )
    consultation_response = forms.ModelChoiceField(
        label="…or by a consultation respondent (11.20.6(C))",
        queryset=ConsultationResponse.objects.none(),
        required=False,
    )
    by_proposer = forms.BooleanField(label="It is the Proposer's own alternative", required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    legal_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    why_original_is_better = forms.CharField(
        label="Why the original proposal better facilitates the Objectives (11.20.6(C))",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, proposal: ChangeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["working_group_member"]
        ).queryset = WorkingGroupMember.objects.filter(
            working_group__proposal=proposal, left_on__isnull=True
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["consultation_response"]).queryset = (
            ConsultationResponse.objects.standing()
            .filter(consultation__proposal=proposal, status="submitted")
            .order_by("respondent_name")
        )


class AddAlternativeForm(forms.Form):
    alternative = forms.ModelChoiceField(
        label="Alternative to add to the Change Report (at most two, 11.23.3)",
        queryset=AlternativeVariation.objects.none(),
    )

    def __init__(self, *args: Any, report: ChangeReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["alternative"]
        ).queryset = report.proposal.alternatives.exclude(reports=report).order_by("created_at")
