"""The Authority's own forms: its Part 1 decision (13.9-13.12), an appeal (13.20-13.22), its
directions (10.21, 11.12, 11.21), the 7-day wait (11.22.2) and a new implementation date
(14.9-14.11). The Authority acts online, so none asks for a date: the system's clock dates it."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import ImplementationDateChange
from .common import DATE

LETTER_HELP = "A PDF or other document; it is kept with the proposal."


class LetterFields(forms.Form):
    """The Authority's letter, kept with the proposal (13.13)."""

    document = forms.FileField(label="The decision letter", help_text=LETTER_HELP)
    document_title = forms.CharField(
        label="Title of the letter (optional)", required=False, max_length=250
    )
    document_confidential = forms.BooleanField(
        label="The letter is confidential: only the Secretariat, the Working Group and the "
        "Authority may read it (57.3)",
        required=False,
    )

    # The fields kept across the confirmation page other than the letter itself.
    letter_fields = ("document_title", "document_confidential")


class OptionalLetterFields(LetterFields):
    document = forms.FileField(
        label="A letter setting out the direction (optional)",
        help_text=LETTER_HELP,
        required=False,
    )


class AuthorityDecideForm(LetterFields):
    decision = forms.ChoiceField(
        label="The Authority's decision",
        choices=[
            ("accept", "Accept the proposal (13.12)"),
            ("reject", "Reject the proposal (13.12)"),
            (
                "send_back",
                "Direct the Panel to revise and resubmit the Change Report: the vote is void "
                "(13.11A)",
            ),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reasons for the decision (13.9-13.10)", widget=forms.Textarea(attrs={"rows": 5})
    )

    field_order = ["decision", "reason", "document", "document_title", "document_confidential"]


INTERIM = "interim"


class AuthorityAppealForm(OptionalLetterFields):
    outcome = forms.ChoiceField(
        label="The Authority's decision on this appeal",
        choices=[
            ("screened_out", "The appeal does not meet 13.20: the decision stands"),
            ("dismissed", "Dismiss the appeal: the decision stands (13.21.2(A))"),
            ("quashed", "Quash the decision (13.21.2(B)(i))"),
            ("sent_back", "Send it back to the Panel for reconsideration (13.21.2(B)(ii))"),
            (INTERIM, "Give interim directions only, pending the decision (13.21.1)"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reasons, or the interim directions (13.21.1)",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    field_order = ["outcome", "reason", "document", "document_title", "document_confidential"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") not in (None, INTERIM) and not data.get("document"):
            if not self.letter_kept:
                self.add_error("document", "Attach the decision letter (13.20-13.22).")
        return data

    letter_kept = False  # set by the view when the letter came with the first page


PART_CHOICES = [("1", "A Part 1 Matter"), ("2", "A Part 2 Matter")]


class AuthorityDirectForm(OptionalLetterFields):
    """One direction; `part` is asked only for the Part 1 / Part 2 opinion (11.21)."""

    reason = forms.CharField(
        label="Reasons (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action == "part-opinion":
            self.fields["part"] = forms.ChoiceField(
                label="In the Authority's opinion the proposal is",
                choices=PART_CHOICES,
                widget=forms.RadioSelect,
            )
            self.order_fields(["part"])
        if action == "decline-acceptance":
            self.fields["reason"].required = True
            self.fields["reason"].label = "Reasons for declining (10.21)"


class AuthorityWaiveWaitForm(OptionalLetterFields):
    reason = forms.CharField(
        label="Reasons (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AuthorityImplementationDateForm(OptionalLetterFields):
    new_date = forms.DateField(label="New implementation date", widget=DATE)
    basis = forms.ChoiceField(
        label="The direction is made",
        choices=ImplementationDateChange.Basis.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))

    field_order = ["new_date", "basis", "reason", "document"]
