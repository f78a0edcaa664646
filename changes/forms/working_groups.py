"""Working Groups (11.14-11.16, 11.32): setting one up, its members, meetings and minutes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from panel.forms.fields import DateField, past_date_field
from panel.models import Party

from ..models import WorkingGroup, WorkingGroupMember
from .common import MultipleFileField


def _name_and_organisation(text: str) -> tuple[str, str] | None:
    name, sep, organisation = text.partition("|")
    if not sep or not name.strip() or not organisation.strip():
        return None
    return name.strip(), organisation.strip()


class MembersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "Name | Organisation"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value) or ""
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            row = _name_and_organisation(line)
            if row is None:
                raise ValidationError(f"Line {number}: write each member as 'Name | Organisation'.")
            rows.append(row)
        return rows


class WorkingGroupForm(forms.Form):
    name = forms.CharField(max_length=200)
    terms_of_reference = forms.CharField(widget=forms.Textarea, required=False)
    chair_name = forms.CharField(label="Chair", max_length=200, required=False)
    members = MembersField(
        label="Members: at least five, broadly representative (11.15.1), one per line",
        required=False,
    )
    nominee = forms.CharField(
        label="The Proposer's nominee, if any (11.15.2): 'Name | Organisation'",
        required=False,
        max_length=400,
    )

    def clean_nominee(self) -> tuple[str, str] | None:
        text = self.cleaned_data.get("nominee") or ""
        if not text.strip():
            return None
        row = _name_and_organisation(text)
        if row is None:
            raise ValidationError("Write the nominee as 'Name | Organisation'.")
        return row


class MeetingForm(forms.Form):
    """A Working Group meeting with its agenda and papers (11.16)."""

    held_on = DateField(label="Held on")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(
        label="Minutes (or record them later)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    papers = MultipleFileField(label="Papers", required=False)
    papers_confidential = forms.BooleanField(
        label="The papers are confidential (Secretariat, Working Group and Authority only, 57.3)",
        required=False,
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))


class MemberForm(forms.Form):
    name = forms.CharField(max_length=200)
    organisation = forms.CharField(label="Organisation represented", max_length=200)
    party = forms.ModelChoiceField(
        label="Party, if the organisation is one",
        queryset=Party.objects.order_by("name"),
        required=False,
    )


class RemoveMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Member leaving", queryset=WorkingGroupMember.objects.none()
    )
    left_on = past_date_field("Left on (default: today)", required=False, today=False)

    def __init__(self, *args: Any, working_group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = working_group.members.filter(
            left_on__isnull=True
        ).order_by("name")


class AlternativeWithdrawForm(forms.Form):
    """Withdraw an alternative recorded or added in error: it stays on the record, marked."""

    reason = forms.CharField(
        label="Why it is withdrawn (for example: added in error)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="Withdraw this alternative. It stays on the record with its letter, marked "
        "withdrawn, and no longer counts towards the two the Change Report may carry (11.23.3). "
        "No one is notified.",
        error_messages={"required": "Tick the box to confirm the withdrawal."},
    )


class DissolveForm(forms.Form):
    reason = forms.CharField(max_length=250)
    on = past_date_field("Dissolved on (default: today)", required=False, today=False)
