"""The public register's filter (Schedule 14)."""

from __future__ import annotations

from django import forms

from ..models import Category


class PartyListFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Party Category",
        required=False,
        choices=[("", "All categories"), *Category.choices],
    )
    q = forms.CharField(label="Name or short code", required=False, max_length=100)
