"""Consultations (11.14.1, 11.17, 11.20.6(B)): opening one, recording responses, the summary,
inviting a respondent, a late response agreed; a respondent's own answers online."""

from __future__ import annotations

from typing import Any

from django import forms

from panel.forms.fields import DateField
from panel.models import Party, User

from ..models import Consultation
from .common import MultipleFileField, text_lines


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=250)
    questions = forms.CharField(
        label="Questions, one per line", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    opens_on = DateField(label="Opens on (today or later; default: today)", required=False)
    closes_on = DateField(
        label="Closes on, a Working Day (default: 15 Working Days after it opens)", required=False
    )
    final_draft = forms.BooleanField(label="The final consultation draft (11.17)", required=False)
    papers = MultipleFileField(
        label="The consultation paper and the draft legal text (published, linked from the notice)",
        required=False,
    )

    def clean_questions(self) -> list[str]:
        return text_lines(self.cleaned_data.get("questions"))


class ResponseForm(forms.Form):
    """A response received, one answer field per question; `answers` in the cleaned data."""

    respondent_name = forms.CharField(max_length=200)
    party = forms.ModelChoiceField(queryset=Party.objects.order_by("name"), required=False)
    submitted_on = DateField(
        label="Received on (not later than today; default: today)", required=False
    )
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


class AnswerForm(forms.Form):
    """A respondent's own answers: a text and a "confidential" box per question (57.3)."""

    confidential = forms.BooleanField(
        label="The whole response is confidential (seen only by the Secretariat, the Working "
        "Group and the Authority, 57.3)",
        required=False,
    )

    def __init__(
        self, *args: Any, consultation: Consultation, parties: list[Party], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if len(parties) > 1:
            self.fields["party"] = forms.ModelChoiceField(
                label="Which of your Parties this response is for",
                queryset=Party.objects.filter(pk__in=[p.pk for p in parties]).order_by("name"),
                widget=forms.RadioSelect,
            )
            self.order_fields(["party"])
        self.question_numbers = []
        for q in consultation.questions.all():
            self.fields[f"answer_{q.number}"] = forms.CharField(
                label=f"Question {q.number}: {q.text} (optional)",
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
            )
            self.fields[f"answer_{q.number}_confidential"] = forms.BooleanField(
                label=f"My answer to question {q.number} is confidential (57.3)", required=False
            )
            self.question_numbers.append(q.number)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        d["answers"] = {
            n: (d.get(f"answer_{n}") or "", bool(d.get(f"answer_{n}_confidential")))
            for n in self.question_numbers
        }
        return d


class InviteForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Who the Working Group invites (their account)",
        queryset=User.objects.filter(is_active=True).order_by("username"),
    )


class LateForm(forms.Form):
    """The Working Group's agreement to a late response, as the Secretariat records it."""

    party = forms.ModelChoiceField(
        label="The Party that may respond late",
        queryset=Party.objects.order_by("name"),
        required=False,
    )
    user = forms.ModelChoiceField(
        label="…or the person (the Consumer Body or someone invited)",
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    agreed_on = DateField(label="The day the Working Group agreed")
    reason = forms.CharField(
        label="Why the Working Group agreed", widget=forms.Textarea(attrs={"rows": 3})
    )
