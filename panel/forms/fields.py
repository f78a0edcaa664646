"""Fields the Panel forms share: dates, a Panel Member chooser, one radio per vote (7.23)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from ..calendar import WorkingDayCalendar
from ..models import PanelAppointment
from ..panel_rules import SeatHolder
from ..services.dates import EARLIEST, LATEST

VOTE_CHOICES = [("FOR", "For"), ("AGAINST", "Against"), ("ABSTAIN", "Abstain")]

__all__ = [
    "EARLIEST",
    "LATEST",
    "DateField",
    "PastDateField",
    "WorkingDayField",
    "past_date_field",
    "today_field",
]


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


class PastDateField(DateField):
    """The day a step already happened (a letter received, a withdrawal recorded): not after today."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        today = timezone.localdate()
        if value and value > today:
            raise forms.ValidationError(
                f"This records something that has already happened: give a day no later than "
                f"today ({today:%d %B %Y}).",
                code="future",
            )


class WorkingDayField(DateField):
    """A day the agreement requires to be a Working Day (stage and meeting dates)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            if not WorkingDayCalendar.load().is_working_day(value):
                raise forms.ValidationError(
                    f"{value:%A %d %B %Y} is not a Working Day; choose a Working Day.",
                    code="not_working_day",
                )


def today_field(help_text: str = "", **kwargs: Any) -> DateField:
    """A day, today unless changed (bounded 1990-2200). The Panel's forms check their own dates
    against the meeting's in the service; `past_date_field` refuses a day after today."""
    return DateField(initial=timezone.localdate, help_text=help_text, **kwargs)


def past_date_field(
    label: str | None = None, *, help_text: str = "", required: bool = True, today: bool = True
) -> PastDateField:
    """The day a step already taken happened: bounded 1990-2200 and not in the future."""
    return PastDateField(
        label=label,
        help_text=help_text,
        required=required,
        initial=timezone.localdate if today else None,
    )


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
