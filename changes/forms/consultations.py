"""Consultations (11.14.1, 11.17, 11.20.6(B)): opening one, recording responses, the summary."""

from __future__ import annotations

from typing import Any

from django import forms

from panel.models import Party

from ..models import Consultation
from .common import DATE, text_lines


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=250)
    questions = forms.CharField(
        label="Questions, one per line", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opens_on = forms.DateField(widget=DATE, required=False)
    closes_on = forms.DateField(
        label="Closes on (default: 15 Working Days after it opens)", widget=DATE, required=False
    )
    final_draft = forms.BooleanField(label="The final consultation draft (11.17)", required=False)

    def clean_questions(self) -> list[str]:
        return text_lines(self.cleaned_data.get("questions"))


class ResponseForm(forms.Form):
    """A response received, one answer field per question; `answers` in the cleaned data."""

    respondent_name = forms.CharField(max_length=200)
    party = forms.ModelChoiceField(queryset=Party.objects.order_by("name"), required=False)
    submitted_on = forms.DateField(widget=DATE, required=False)
    confidential = forms.BooleanField(label="The whole response is confidential", required=False)
    late_reason = forms.CharField(
        label="Why a late response is accepted",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_numbers = []
        for q in consultation.questions.all():
            self.fields[f"answer_{q.number}"] = forms.CharField(
                label=f"Q{q.number}. {q.text}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"answer_{q.number}_confidential"] = forms.BooleanField(
                label=f"Answer to Q{q.number} is confidential", required=False
            )
            self.question_numbers.append(q.number)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        d["answers"] = {
            n: (d[f"answer_{n}"], bool(d.get(f"answer_{n}_confidential")))
            for n in self.question_numbers
            if (d.get(f"answer_{n}") or "").strip()
        }
        return d


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the non-confidential responses (11.20.6(B))",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
