"""The Authority's decisions and directions, appeals (13.9-13.22), withdrawal and adoption
(11.29-11.31) and implementation (14.6-14.11)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from panel.models import Party

from ..models import AppealRecord, ChangeProposal, ImplementationDateChange
from ..services.implementation import accepted_implementation_date
from .common import DATE, parse_dated_lines, text_lines


class DocumentFieldsMixin(forms.Form):
    """The Authority's letter, received in writing: it is kept with the step (13.13)."""

    document = forms.FileField(label="The Authority's letter (required, 13.13)")
    document_title = forms.CharField(label="Document title", required=False, max_length=250)
    document_confidential = forms.BooleanField(label="Confidential (57.3)", required=False)


class ImplementationPlanForm(forms.Form):
    implementation_date = forms.DateField(
        label="Implementation date (as accepted; only the Authority can direct a new one, "
        "14.9-14.11)",
        widget=DATE,
        disabled=True,
        required=False,
    )
    actions = forms.CharField(
        label="Actions required, each with the date it is due: 'Action | YYYY-MM-DD' (14.6)",
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Update Schedule 22 | 2027-10-01"}),
    )
    set_on = forms.DateField(label="Panel meeting (default: today)", widget=DATE, required=False)

    @classmethod
    def initial_for(cls, proposal: ChangeProposal) -> dict[str, Any]:
        """The date as accepted or last directed by the Authority (14.9-14.11)."""
        return {"implementation_date": accepted_implementation_date(proposal)}

    def clean_actions(self) -> list[tuple[str, Any]]:
        return parse_dated_lines(self.cleaned_data.get("actions") or "", what="action")


class MarkImplementedForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm the variation has been made: every action of the plan is done and "
        "Parties are told the proposal is implemented (14.7)"
    )


class ImplementationDateForm(DocumentFieldsMixin):
    new_date = forms.DateField(label="New implementation date", widget=DATE)
    basis = forms.ChoiceField(
        label="Basis of the Authority's direction",
        choices=[("", "Choose"), *ImplementationDateChange.Basis.choices],
    )
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    directed_on = forms.DateField(
        label="Date of the Authority's letter (default: today; not in the future)",
        widget=DATE,
        required=False,
    )

    field_order = ["new_date", "basis", "reason", "directed_on"]


AUTHORITY_DECISION_CHOICES = [
    ("", "Choose"),
    ("accept", "Accept the proposal (13.9-13.12)"),
    ("reject", "Reject the proposal (13.12)"),
    ("send_back", "Revise and resubmit the Change Report: the vote is void (13.11A)"),
]


class AuthorityDecisionForm(DocumentFieldsMixin):
    decision = forms.ChoiceField(
        label="The Authority's decision", choices=AUTHORITY_DECISION_CHOICES
    )
    reason = forms.CharField(
        label="The Authority's reasons (13.9-13.12)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service refuses without them, naming the clause
    )
    decided_on = forms.DateField(
        label="Date of the Authority's letter (default: today; not in the future, not before "
        "the declaration)",
        widget=DATE,
        required=False,
    )

    field_order = ["decision", "reason", "decided_on"]


class AppealLodgeForm(DocumentFieldsMixin):
    """An appeal received in writing: the Secretariat records it with the appellant's letter."""

    document = forms.FileField(label="The appellant's letter (required, 13.17)")
    appellant_name = forms.CharField(label="Appellant", max_length=200)
    appellant_party = forms.ModelChoiceField(
        label="Appellant Party, if a Party",
        queryset=Party.objects.order_by("name"),
        required=False,
    )
    reason = forms.CharField(
        label="Why, against the criteria of 13.20", widget=forms.Textarea(attrs={"rows": 4})
    )
    grounds = forms.CharField(
        label="Criteria of 13.20 relied on, one per line",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    in_writing = forms.BooleanField(label="Made in writing", required=False, initial=True)
    copied_to_secretariat_and_panel = forms.BooleanField(
        label="Copied to the Secretariat and the Panel", required=False, initial=True
    )
    lodged_on = forms.DateField(label="Lodged on (default: today)", widget=DATE, required=False)

    def clean_grounds(self) -> list[str]:
        return text_lines(self.cleaned_data.get("grounds"))


class AppealDecideForm(DocumentFieldsMixin):
    appeal = forms.ModelChoiceField(label="Appeal", queryset=AppealRecord.objects.none())
    outcome = forms.ChoiceField(
        choices=[("", "Choose"), *[c for c in AppealRecord.Outcome.choices if c[0]]]
    )
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decided_on = forms.DateField(
        label="Date of the Authority's letter (default: today; not in the future, not before "
        "the appeal was lodged)",
        widget=DATE,
        required=False,
    )

    field_order = ["appeal", "outcome", "reason", "decided_on"]

    def __init__(self, *args: Any, proposal: ChangeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["appeal"]).queryset = proposal.appeals.filter(
            outcome=""
        ).order_by("lodged_on", "pk")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    authority_consent = forms.CharField(
        label="Evidence of the Authority's consent (a proposal raised under 10.2.5)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    on = forms.DateField(label="Withdrawn on (default: today)", widget=DATE, required=False)


class AdoptForm(forms.Form):
    party = forms.ModelChoiceField(
        label="The adopting Party (it becomes the Proposer, 11.31)",
        queryset=Party.objects.order_by("name"),
    )
    on = forms.DateField(
        label="Notice of adoption on (default: today)", widget=DATE, required=False
    )
