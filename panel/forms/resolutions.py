"""Forms for resolutions at a meeting, in writing, and the choice of the Panel Chair (7.1-7.23)."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from ..models import PanelAppointment, Party, ResolutionKind
from ..panel_rules import MemberOffice, SeatHolder
from .fields import MemberChoiceField, VotesMixin, today_field

# The Panel Chair is chosen on its own page (7.1): its threshold and effect differ.
KIND_CHOICES = [c for c in ResolutionKind.choices if c[0] != ResolutionKind.PANEL_CHAIR]


class _ResolutionFields(forms.Form):
    """What a resolution says and on whom it acts."""

    kind = forms.ChoiceField(choices=KIND_CHOICES)
    title = forms.CharField(max_length=300)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    target_party = forms.ModelChoiceField(
        queryset=Party.objects.all(), required=False, help_text="For suspension or restoration."
    )
    target_ids = forms.CharField(
        required=False, help_text="Comma-separated ids (e.g. Change Proposal ids)."
    )
    payload = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='JSON, e.g. {"valid_from": "2027-01-07", "reason": "Event of Default"}',
    )

    def clean_payload(self) -> dict[str, Any]:
        raw = self.cleaned_data["payload"].strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError("Not valid JSON.") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("Give a JSON object.")
        return value

    def clean_target_ids(self) -> list[int]:
        raw = self.cleaned_data["target_ids"]
        try:
            ids = [int(x) for x in raw.split(",") if x.strip()]
        except ValueError as exc:
            raise forms.ValidationError("Ids are whole numbers.") from exc
        if any(not 0 < i < 2**31 for i in ids):
            raise forms.ValidationError("Ids are whole numbers from 1.")
        return ids

    def resolution_kwargs(self) -> dict[str, Any]:
        """What the resolution services take from this form."""
        return {
            key: self.cleaned_data[key]
            for key in ("kind", "title", "text", "payload", "target_ids", "target_party")
        }


class ResolutionForm(VotesMixin, _ResolutionFields):
    """A resolution at a meeting, with each acting Panel Member's vote (7.19, 7.23)."""

    def __init__(self, *args: Any, holders: tuple[SeatHolder, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_votes(holders)


class WrittenResolutionForm(_ResolutionFields):
    """A resolution in writing signed by or on behalf of all the Panel Members (7.20)."""

    decided_on = today_field("The day the last signature was received.")
    signed_for = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Signed by or on behalf of",
        help_text="Valid only when signed by or on behalf of all the Panel Members (7.20).",
    )

    def __init__(self, *args: Any, offices: list[MemberOffice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["signed_for"]).choices = [
            (o.member_id, o.name) for o in offices
        ]


class PanelChairForm(VotesMixin, forms.Form):
    """The Panel Chair, appointed by a simple majority of the Panel Members (7.1-7.4)."""

    candidate = MemberChoiceField(queryset=PanelAppointment.objects.none())
    authority_consent = forms.BooleanField(
        required=False,
        label="The Authority has consented",
        help_text="Needed to reappoint a Panel Member removed from the office (7.2).",
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[PanelAppointment],
        holders: tuple[SeatHolder, ...],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["candidate"]).queryset = members
        self.add_votes(holders)
