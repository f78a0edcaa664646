"""Forms for the Panel pages: they parse input; the services decide."""

from __future__ import annotations

import json
from typing import cast

from django import forms

from .governance import OfficeRole, PanelAppointment, ResolutionKind
from .models import Party
from .panel_rules import SeatHolder

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


class ResolutionForm(forms.Form):
    kind = forms.ChoiceField(choices=ResolutionKind.choices)
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
