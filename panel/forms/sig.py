"""Forms for the Standing Issues Group: Issue Forms, meetings, outcomes, minutes (Schedule 7)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from ..models import Party, SigMeeting
from .fields import DateField, today_field


class IssueFormRaiseForm(forms.Form):
    party = forms.ModelChoiceField(queryset=Party.objects.none())
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["party"]).queryset = parties


class SigMeetingForm(forms.Form):
    reference = forms.CharField(max_length=40, help_text="e.g. SIG 2027-01")
    meeting_date = DateField()
    emergency = forms.BooleanField(
        required=False,
        help_text="Convened by the Chair on at least 5 days' notice for urgent operational "
        "difficulties (Schedule 7, 6).",
    )
    notice_given_on = today_field()
    agenda_circulated_on = DateField(
        required=False, help_text="At least 10 days before the meeting (Schedule 7, 7)."
    )


class SigOutcomeForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=SigMeeting.objects.none(), label="At the meeting")
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    attending = forms.IntegerField(min_value=1, max_value=10_000, label="Attending the meeting")
    in_favour = forms.IntegerField(min_value=0, max_value=10_000)

    def __init__(self, *args: Any, meetings: QuerySet[SigMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class SigMinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}))
    circulated_on = today_field("No later than 10 Working Days after the meeting (Schedule 7, 7).")
