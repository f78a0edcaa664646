"""The Change Register's search box and filters (11.25-11.28), for the page, the CSV and the API."""

from __future__ import annotations

from django import forms

from ..pages import RegisterQuery
from ..states import State
from .common import CATEGORY_CHOICES


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *[(s.value, s.label) for s in State if s != State.DRAFT]],
    )
    part = forms.TypedChoiceField(
        required=False,
        choices=[("", "Any Part"), ("1", "Part 1"), ("2", "Part 2")],
        coerce=int,
        empty_value=None,
    )
    urgency = forms.ChoiceField(
        required=False,
        choices=[("", "Any urgency"), ("urgent", "Urgent"), ("standard", "Not urgent")],
    )
    category = forms.ChoiceField(
        label="Impacted category", required=False, choices=[("", "Any category"), *CATEGORY_CHOICES]
    )

    def query(self) -> RegisterQuery:
        d = self.cleaned_data
        urgency = d.get("urgency") or ""
        return RegisterQuery(
            q=d.get("q") or "",
            status=d.get("status") or "",
            part=d.get("part"),
            urgent={"urgent": True, "standard": False}.get(urgency),
            category=d.get("category") or "",
        )
