"""Fields the Panel forms share: dates, a Panel Member chooser, one radio per vote (7.23)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from ..models import PanelAppointment
from ..panel_rules import SeatHolder

VOTE_CHOICES = [("FOR", "For"), ("AGAINST", "Against"), ("ABSTAIN", "Abstain")]

# Dates the Panel's records can carry: a typo such as year 20277 or 0027 is refused by the form.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2200, 12, 31)


class DateField(forms.DateField):
    """A date picker refusing days outside the years the agreement can concern.

    `<input type="date">` reads only ISO dates, whatever the site's locale.
    """

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Give a date between {EARLIEST.year} and {LATEST.year}.", code="out_of_range"
            )


def today_field(help_text: str = "") -> DateField:
    return DateField(initial=timezone.localdate, help_text=help_text)


class MemberChoiceField(forms.ModelChoiceField):
    """A Panel office, shown by holder and office (e.g. "Jo Bloggs, DNO Parties")."""

    def label_from_instance(self, obj: Any) -> str:
        a = cast(PanelAppointment, obj)
        return f"{a.display_name}, {a.office_label}"


class VotesMixin:
    """One radio per Panel Member office acting at the meeting (7.23)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    holders: tuple[SeatHolder, ...] = ()

    def add_votes(self, holders: tuple[SeatHolder, ...]) -> None:
        self.holders = holders
        for h in holders:
            label = h.acting_name + (" (Alternate)" if h.by_alternate else "")
            self.fields[f"vote_{h.member_id}"] = forms.ChoiceField(
                choices=VOTE_CHOICES, label=label, widget=forms.RadioSelect
            )

    def votes(self) -> dict[int, str]:
        return {h.member_id: self.cleaned_data[f"vote_{h.member_id}"] for h in self.holders}

    def vote_fields(self) -> list[forms.BoundField]:
        form = cast(forms.Form, self)
        return [form[f"vote_{h.member_id}"] for h in self.holders]
