"""Forms for the Panel's minutes, from draft to publication (7.7.3, 7.21-7.22, 5.3.10, 57.1)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from ..models import PanelAppointment, PanelMeeting
from .fields import DateField, MemberChoiceField, today_field


class MinutesDraftForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))
    confidential = forms.BooleanField(
        required=False, help_text="Confidential minutes are never published on the Website (57.1)."
    )


class MinutesCirculateForm(forms.Form):
    circulated_on = today_field("Due within five Working Days of the meeting (7.21).")


class MinutesObjectionForm(forms.Form):
    member = MemberChoiceField(queryset=PanelAppointment.objects.none(), label="Panel Member")
    items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="The items disagreed with."
    )
    received_on = today_field("Within five Working Days of receipt of the minutes (7.22).")

    def __init__(self, *args: Any, members: QuerySet[PanelAppointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = members


class MinutesApproveForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(), label="Approved at the meeting"
    )
    approved_on = DateField(required=False, help_text="Defaults to the date of that meeting.")
    publish = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Publish on the Website now (never for confidential minutes, 57.1).",
    )

    def __init__(self, *args: Any, meetings: QuerySet[PanelMeeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["at_meeting"]).queryset = meetings


class MinutesPublishForm(forms.Form):
    published_on = today_field()
