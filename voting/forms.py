"""The standard voting form (12.4.4) and the Secretariat's forms."""

from __future__ import annotations

from typing import Any

from django import forms

from changes.models import ChangeProposal
from changes.states import State

from .models import Question, QuestionKind, RollEntry

REASON_HELP = (
    "Optional: your reasons, by reference to the DCUSA Objectives (12.7), e.g. "
    "'Better facilitates General Objective 1 because ...'."
)


def _choices(question: Question) -> list[tuple[str, str]]:
    if len(question.options) == 1 and question.kind != QuestionKind.ELECTION:
        return [(question.options[0], "Accept"), ("reject", "Reject")]
    options = [(label, question.choice_label(label)) for label in question.options]
    reject = [("reject", "Reject all")] if question.kind != QuestionKind.ELECTION else []
    return options + reject


NOT_YOUR_GROUP = (
    "Select a valid choice: you may vote only for a Group whose confirmed authorised voter you "
    "are (12.4.5); your vote was not recorded."
)


class VoteForm(forms.Form):
    """One field per question (accept/reject, or reject all / exactly one option) and a reason.

    A Group may answer either question or both (12.6): a question left unanswered keeps the
    Group's earlier answer, or none. The Group voted for is always a field (hidden when the
    voter has one), so a Group the voter may not vote for is refused, never silently replaced.
    """

    def __init__(
        self, *args: Any, questions: list[Question], groups: list[RollEntry], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["group"] = forms.TypedChoiceField(
            label="Vote for",
            coerce=int,
            choices=[(g.pk, f"{g.group_name} ({g.get_category_display()})") for g in groups],
            required=len(groups) > 1,
            error_messages={"invalid_choice": NOT_YOUR_GROUP},
            widget=forms.HiddenInput if len(groups) == 1 else forms.Select,
        )
        for q in questions:
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                label=q.text,
                choices=_choices(q),
                widget=forms.RadioSelect,
                required=len(questions) == 1,
            )
        self.fields["reason"] = forms.CharField(
            label="Reasons (optional)",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "id_reason_help"}),
            help_text=REASON_HELP,
        )

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.questions and not self.answers():
            raise forms.ValidationError(
                "Answer at least one question: the variation, the implementation date or both "
                "(12.6)."
            )
        return data

    def answers(self) -> dict[int, str]:
        """The questions answered; an unanswered one keeps the Group's earlier answer (12.6)."""
        data = getattr(self, "cleaned_data", {})
        return {q.pk: data[f"q{q.pk}"] for q in self.questions if data.get(f"q{q.pk}")}


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Why the vote is void", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OpenBallotForm(forms.Form):
    proposal: Any = forms.ModelChoiceField(queryset=None, label="Change Proposal awaiting its vote")  # type: ignore[arg-type]
    closes_at = forms.DateTimeField(
        label="Voting closes (optional)",
        required=False,
        help_text="Default: 17:00 on the 15th Working Day after opening. Format 2027-03-22 17:00.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = ChangeProposal.objects.filter(  # type: ignore[attr-defined]
            status=State.AWAITING_VOTE
        ).order_by("number")
