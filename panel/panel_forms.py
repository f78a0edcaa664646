"""Forms for the Panel pages: they parse input; the services decide."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from .governance import OfficeRole, PanelAppointment, PanelMeeting, ResolutionKind, SigMeeting
from .models import Party
from .panel_rules import MemberOffice, SeatHolder

VOTE_CHOICES = [("FOR", "For"), ("AGAINST", "Against"), ("ABSTAIN", "Abstain")]


class MeetingScheduleForm(forms.Form):
    reference = forms.CharField(max_length=40, help_text="e.g. Panel 2027-01")
    meeting_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(initial="10:00", widget=forms.TimeInput(attrs={"type": "time"}))
    venue = forms.CharField(max_length=200)
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One item per line. Start a line with [C] for a confidential item.",
    )
    papers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One paper per line: title | link. Start with [C] if confidential.",
    )
    short_notice_basis = forms.CharField(
        required=False,
        max_length=300,
        help_text="Only where Section 1C requires a meeting sooner than five Working Days (7.14).",
    )

    @staticmethod
    def _flagged(line: str) -> tuple[str, bool]:
        line = line.strip()
        if line.upper().startswith("[C]"):
            return line[3:].strip(), True
        return line, False

    def agenda_entries(self) -> list[tuple[str, bool]]:
        return [self._flagged(x) for x in self.cleaned_data["agenda"].splitlines() if x.strip()]

    def paper_entries(self) -> list[tuple[str, str, bool]]:
        out = []
        for raw in self.cleaned_data["papers"].splitlines():
            if not raw.strip():
                continue
            line, confidential = self._flagged(raw)
            title, _, link = line.partition("|")
            out.append((title.strip(), link.strip(), confidential))
        return out


class AttendanceForm(forms.Form):
    """One row per live appointment: present, and for an Alternate whom it acts for."""

    def __init__(self, *args, appointments: list[PanelAppointment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.appointments = appointments
        members = [a for a in appointments if a.role == OfficeRole.MEMBER]
        for a in appointments:
            self.fields[f"present_{a.pk}"] = forms.BooleanField(
                required=False, label=f"{a.display_name}: {a.get_role_display()}, {a.office_label}"
            )
            if a.role == OfficeRole.ALTERNATE:
                choices = [("", "not acting")] + [
                    (str(m.pk), m.display_name) for m in members if m.constituency == a.constituency
                ]
                self.fields[f"acting_for_{a.pk}"] = forms.ChoiceField(
                    required=False, choices=choices, label="acting for"
                )

    def rows(self):
        for a in self.appointments:
            yield (
                a,
                self[f"present_{a.pk}"],
                (self[f"acting_for_{a.pk}"] if a.role == OfficeRole.ALTERNATE else None),
            )


# The Panel Chair is chosen on its own page (7.1): its threshold and effect differ.
KIND_CHOICES = [c for c in ResolutionKind.choices if c[0] != ResolutionKind.PANEL_CHAIR]


def _date(**kwargs) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def _today_field(help_text: str = "") -> forms.DateField:
    return _date(initial=timezone.localdate, help_text=help_text)


class ResolutionForm(forms.Form):
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

    def __init__(self, *args, holders: tuple[SeatHolder, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.holders = holders
        for h in holders:
            label = h.acting_name + (" (Alternate)" if h.by_alternate else "")
            self.fields[f"vote_{h.member_id}"] = forms.ChoiceField(
                choices=VOTE_CHOICES, label=label, widget=forms.RadioSelect
            )

    def clean_payload(self) -> dict:
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
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError as exc:
            raise forms.ValidationError("Ids are whole numbers.") from exc

    def votes(self) -> dict[int, str]:
        return {h.member_id: self.cleaned_data[f"vote_{h.member_id}"] for h in self.holders}

    def vote_fields(self):
        return [self[f"vote_{h.member_id}"] for h in self.holders]


class IssueFormRaiseForm(forms.Form):
    party = forms.ModelChoiceField(queryset=Party.objects.none())
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, parties, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["party"]).queryset = parties


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        a = cast(PanelAppointment, obj)
        return f"{a.display_name}, {a.office_label}"


class _VotesMixin:
    """One radio per Panel Member office present (7.23)."""

    fields: dict[str, forms.Field]
    cleaned_data: dict

    def add_votes(self, holders: tuple[SeatHolder, ...]) -> None:
        self.holders = holders
        for h in holders:
            label = h.acting_name + (" (Alternate)" if h.by_alternate else "")
            self.fields[f"vote_{h.member_id}"] = forms.ChoiceField(
                choices=VOTE_CHOICES, label=label, widget=forms.RadioSelect
            )

    def votes(self) -> dict[int, str]:
        return {h.member_id: self.cleaned_data[f"vote_{h.member_id}"] for h in self.holders}


# --- minutes (7.7.3, 7.21-7.22, 5.3.10) ---


class MinutesDraftForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}))
    confidential = forms.BooleanField(
        required=False, help_text="Confidential minutes are never published on the Website (57.1)."
    )


class MinutesCirculateForm(forms.Form):
    circulated_on = _today_field("Due within five Working Days of the meeting (7.21).")


class MinutesObjectionForm(forms.Form):
    member = MemberChoiceField(queryset=PanelAppointment.objects.none(), label="Panel Member")
    items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="The items disagreed with."
    )
    received_on = _today_field("Within five Working Days of receipt of the minutes (7.22).")

    def __init__(self, *args, members: QuerySet[PanelAppointment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = members


class MinutesApproveForm(forms.Form):
    at_meeting = forms.ModelChoiceField(
        queryset=PanelMeeting.objects.none(), label="Approved at the meeting"
    )
    approved_on = _date(required=False, help_text="Defaults to the date of that meeting.")
    publish = forms.BooleanField(
        required=False,
        initial=True,
        help_text="Publish on the Website now (never for confidential minutes, 57.1).",
    )

    def __init__(self, *args, meetings: QuerySet[PanelMeeting], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["at_meeting"]).queryset = meetings


class MinutesPublishForm(forms.Form):
    published_on = _today_field()


# --- agenda additions and observers (7.12.2, 7.18) ---


class AgendaAdditionForm(forms.Form):
    requested_by = MemberChoiceField(
        queryset=PanelAppointment.objects.none(), label="Requested by (Panel Member)"
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requested_on = _today_field("At least three Working Days before the meeting (7.12.2).")
    confidential = forms.BooleanField(required=False)

    def __init__(self, *args, members: QuerySet[PanelAppointment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["requested_by"]).queryset = members


class ObserverForm(forms.Form):
    name = forms.CharField(max_length=200, label="Representative's name")
    party = forms.ModelChoiceField(queryset=Party.objects.order_by("name"))
    notice_given_on = _today_field("Two Working Days' notice before the meeting (7.18).")


# --- requisitioned meetings (7.12.1) ---


class RequisitionForm(MeetingScheduleForm):
    requisitioned_by = MemberChoiceField(
        queryset=PanelAppointment.objects.none(), label="Requisitioned by (Panel Member)"
    )
    requisition_received_on = _date(help_text="When the written notice reached the Secretary.")
    notice_given_on = _today_field("Within five Working Days of the requisition (7.12.1).")

    field_order = ["requisitioned_by", "requisition_received_on", "notice_given_on"]

    def __init__(self, *args, members: QuerySet[PanelAppointment], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["requisitioned_by"]).queryset = members
        self.fields["agenda"].label = "Matters to be included in the agenda"


# --- written resolutions (7.20) ---


class WrittenResolutionForm(ResolutionForm):
    decided_on = _today_field("The day the last signature was received.")
    signed_for = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Signed by or on behalf of",
        help_text="Valid only when signed by or on behalf of all the Panel Members (7.20).",
    )

    def __init__(self, *args, offices: list[MemberOffice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["signed_for"]).choices = [
            (o.member_id, o.name) for o in offices
        ]


# --- the Panel Chair (7.1-7.4) ---


class PanelChairForm(_VotesMixin, forms.Form):
    candidate = MemberChoiceField(queryset=PanelAppointment.objects.none())
    authority_consent = forms.BooleanField(
        required=False,
        label="The Authority has consented",
        help_text="Needed to reappoint a Panel Member removed from the office (7.2).",
    )

    def __init__(
        self,
        *args,
        members: QuerySet[PanelAppointment],
        holders: tuple[SeatHolder, ...],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["candidate"]).queryset = members
        self.add_votes(holders)

    def vote_fields(self):
        return [self[f"vote_{h.member_id}"] for h in self.holders]


# --- Standing Issues Group (Schedule 7) ---


class SigMeetingForm(forms.Form):
    reference = forms.CharField(max_length=40, help_text="e.g. SIG 2027-01")
    meeting_date = _date()
    emergency = forms.BooleanField(
        required=False,
        help_text="Convened by the Chair on at least 5 days' notice for urgent operational "
        "difficulties (Schedule 7, 6).",
    )
    notice_given_on = _today_field()
    agenda_circulated_on = _date(
        required=False, help_text="At least 10 days before the meeting (Schedule 7, 7)."
    )


class SigOutcomeForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=SigMeeting.objects.none(), label="At the meeting")
    recommendation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    attending = forms.IntegerField(min_value=1, label="Attending the meeting")
    in_favour = forms.IntegerField(min_value=0)

    def __init__(self, *args, meetings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class SigMinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}))
    circulated_on = _today_field("No later than 10 Working Days after the meeting (Schedule 7, 7).")
