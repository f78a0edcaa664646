"""The generic confirmation of a step of the state machine: reasons, a paper, and the data the
step reads (see `changes.states`)."""

from __future__ import annotations

from typing import Any

from django import forms

from panel.forms.fields import DateField
from panel.models import Party

from ..models import SignificantCodeReview
from ..states import RefusalGround
from .common import PART_CHOICES, YES_NO, parse_timetable


class TimetableField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "Working Group | 2027-05-20"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return parse_timetable(text) if text else None


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _transition_fields() -> dict[str, forms.Field]:
    return {
        "initial_assessment": forms.CharField(
            label="Initial written assessment (10.11)", widget=forms.Textarea, required=False
        ),
        "suggested_timetable": TimetableField(label="Suggested timetable", required=False),
        "part": forms.TypedChoiceField(
            label="Part 1 or Part 2 Matter",
            choices=PART_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
        ),
        "definition_procedure": forms.BooleanField(
            label="The Definition Procedure applies (a Working Group, 11.3)", required=False
        ),
        "urgent": forms.BooleanField(label="Urgent Change Proposal", required=False),
        "timetable": TimetableField(label="Timetable (at most six months, 11.11)", required=False),
        "ground": forms.ChoiceField(
            label="Ground of refusal",
            choices=[("", "Choose"), *RefusalGround.choices],
            required=False,
        ),
        "duplicate_of": forms.CharField(
            label="Earlier proposal with the same effect (e.g. DCP 401)", required=False
        ),
        "implementation_date": DateField(label="Implementation date", required=False),
        "within_scope": forms.ChoiceField(
            label="Within the Significant Code Review", choices=YES_NO, required=False
        ),
        "significant_code_review": forms.ModelChoiceField(
            label="Significant Code Review",
            queryset=SignificantCodeReview.objects.order_by("-starts_on"),
            required=False,
        ),
        "authority_consent": forms.BooleanField(
            label="Evidence of the Authority's consent provided", required=False
        ),
        "party": forms.ModelChoiceField(
            label="Party", queryset=Party.objects.order_by("name"), required=False
        ),
        "in_writing": forms.BooleanField(label="Made in writing", required=False),
        "copied_to_secretariat_and_panel": forms.BooleanField(
            label="Copied to the Secretariat and the Panel", required=False
        ),
    }


# The data each step of the state machine reads (see changes.states effects).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "refer_to_panel": ("initial_assessment", "suggested_timetable"),
    "panel_accept": ("part", "definition_procedure", "urgent", "timetable"),
    "panel_refuse": ("ground", "duplicate_of"),
    "vary_timetable": ("timetable",),
    "authority_timetable_direction": ("timetable", "implementation_date"),
    "authority_part_opinion": ("part",),
    "scr_direction": ("within_scope",),
    "scr_flag": ("significant_code_review",),
    "withdraw": ("authority_consent",),
    "adopt": ("party",),
    "appeal_lodged": ("in_writing", "copied_to_secretariat_and_panel"),
}
# Keys passed even when unticked: the step asks whether they were decided.
ALWAYS_PASSED = {"definition_procedure", "urgent"}


class TransitionForm(forms.Form):
    """Confirm one step: the reasons, a paper, and the data the step needs."""

    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(label="Attach a document", required=False)
    document_title = forms.CharField(label="Document title", required=False, max_length=250)
    document_confidential = forms.BooleanField(label="Confidential (57.3)", required=False)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        available = _transition_fields()
        for name in ACTION_FIELDS.get(action, ()):
            self.fields[name] = available[name]

    def step_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ACTION_FIELDS.get(self.action, ()):
            value = self.cleaned_data.get(name)
            if name == "within_scope":
                value = _yes_no(value or "")
            if value in (None, "", False) and name not in ALWAYS_PASSED:
                continue
            data[name] = value
        return data
