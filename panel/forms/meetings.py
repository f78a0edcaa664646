"""Forms for convening Panel meetings and what happens at them (7.12-7.19)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from ..models import OfficeRole, PanelAppointment, Party
from ..services import AgendaEntry, AttendanceEntry, PaperEntry
from .fields import DateField, MemberChoiceField, today_field


def _flagged(line: str) -> tuple[str, bool]:
    """A line starting with [C] is confidential (57.1)."""
    line = line.strip()
    if line.upper().startswith("[C]"):
        return line[3:].strip(), True
    return line, False


class MeetingScheduleForm(forms.Form):
    reference = forms.CharField(max_length=40, help_text="e.g. Panel 2027-01")
    meeting_date = DateField()
    starts_at = forms.TimeField(
        initial="10:00", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
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

    def agenda_entries(self) -> list[AgendaEntry]:
        lines = [_flagged(x) for x in self.cleaned_data["agenda"].splitlines() if x.strip()]
        return [AgendaEntry(title, confidential=c) for title, c in lines]

    def paper_entries(self) -> list[PaperEntry]:
        out = []
        for raw in self.cleaned_data["papers"].splitlines():
            if not raw.strip():
                continue
            line, confidential = _flagged(raw)
            title, _, link = line.partition("|")
            out.append(
                PaperEntry(title.strip(), document_url=link.strip(), confidential=confidential)
            )
        return out

    def schedule_kwargs(self) -> dict[str, Any]:
        """What `meeting_schedule` takes from this form."""
        data = self.cleaned_data
        return {
            "reference": data["reference"],
            "meeting_date": data["meeting_date"],
            "starts_at": data["starts_at"],
            "venue": data["venue"],
            "agenda": self.agenda_entries(),
            "papers": self.paper_entries(),
            "short_notice_basis": data["short_notice_basis"],
        }


class RequisitionForm(MeetingScheduleForm):
    """A meeting requisitioned by a Panel Member (7.12.1)."""

    requisitioned_by = MemberChoiceField(
        queryset=PanelAppointment.objects.none(), label="Requisitioned by (Panel Member)"
    )
    requisition_received_on = DateField(help_text="When the written notice reached the Secretary.")
    notice_given_on = today_field("Within five Working Days of the requisition (7.12.1).")

    field_order = ["requisitioned_by", "requisition_received_on", "notice_given_on"]

    def __init__(self, *args: Any, members: QuerySet[PanelAppointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["requisitioned_by"]).queryset = members
        self.fields["agenda"].label = "Matters to be included in the agenda"

    def schedule_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().schedule_kwargs(),
            "notice_given_on": data["notice_given_on"],
            "requisitioned_by": data["requisitioned_by"],
            "requisition_received_on": data["requisition_received_on"],
        }


class AttendanceForm(forms.Form):
    """One row per live appointment: present, and for an Alternate whom it acts for."""

    def __init__(self, *args: Any, appointments: list[PanelAppointment], **kwargs: Any) -> None:
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

    def rows(self) -> Iterator[tuple[PanelAppointment, forms.BoundField, forms.BoundField | None]]:
        for a in self.appointments:
            acting = self[f"acting_for_{a.pk}"] if a.role == OfficeRole.ALTERNATE else None
            yield a, self[f"present_{a.pk}"], acting

    def entries(self) -> list[AttendanceEntry]:
        """Every Panel Member's office, and each Alternate present (absent Alternates are not)."""
        by_pk = {a.pk: a for a in self.appointments}
        out = []
        for a in self.appointments:
            present = self.cleaned_data[f"present_{a.pk}"]
            acting = self.cleaned_data.get(f"acting_for_{a.pk}") if present else ""
            if a.role == OfficeRole.MEMBER or present:
                acting_for = by_pk.get(int(acting)) if acting else None
                out.append(AttendanceEntry(appointment=a, present=present, acting_for=acting_for))
        return out


class AgendaAdditionForm(forms.Form):
    """A Panel Member's additional matter (7.12.2)."""

    requested_by = MemberChoiceField(
        queryset=PanelAppointment.objects.none(), label="Requested by (Panel Member)"
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    requested_on = today_field("At least three Working Days before the meeting (7.12.2).")
    confidential = forms.BooleanField(required=False)

    def __init__(self, *args: Any, members: QuerySet[PanelAppointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["requested_by"]).queryset = members


class ObserverForm(forms.Form):
    """A Party's representative attending as an observer (7.18)."""

    name = forms.CharField(max_length=200, label="Representative's name")
    party = forms.ModelChoiceField(queryset=Party.objects.order_by("name"))
    notice_given_on = today_field("Two Working Days' notice before the meeting (7.18).")
