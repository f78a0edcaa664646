"""A Party's (or another appellant's) own forms: appeal (13.17-13.18), withdraw (11.29) and adopt
(11.31). Each ends with a confirmation stating what will happen and who is told."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from panel.models import Party, Role, User

from ..models import ChangeProposal
from ..services.appeals import GROUNDS, GROUNDS_AGAINST
from ..states import State

CONFIRM_ERRORS = {"required": "Tick the box to confirm, or cancel."}


def _represented(user: User) -> Any:
    return Party.objects.filter(pk__in=user.represented_party_ids()).order_by("name")


class AppealForm(forms.Form):
    appellant_party = forms.ModelChoiceField(
        label="The Party you appeal for", queryset=Party.objects.none(), empty_label="Choose"
    )
    appellant_name = forms.CharField(
        label="The body appealing (your organisation's name)", max_length=200
    )
    grounds = forms.MultipleChoiceField(
        label="Which criteria of Clause 13.20 does your appeal rely on?",
        help_text="Choose at least one.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one criterion of 13.20 (13.18.2)."},
    )
    reasons = forms.CharField(
        label="Why the outcome should be quashed, having regard to those criteria",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    document = forms.FileField(label="A supporting document (optional)", required=False)
    document_confidential = forms.BooleanField(
        label="The document is confidential (57.3): only the Secretariat, the Panel and the "
        "Authority see it",
        required=False,
    )
    confirm = forms.BooleanField(label="", error_messages=CONFIRM_ERRORS)

    def __init__(self, *args: Any, proposal: ChangeProposal, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.against = "accepted" if proposal.vote_outcome == "accepted" else "rejected"
        grounds = cast(forms.MultipleChoiceField, self.fields["grounds"])
        grounds.choices = [(g, f"{GROUNDS[g]} ({g})") for g in GROUNDS_AGAINST[self.against]]
        if user.role == Role.PARTY_REPRESENTATIVE:
            del self.fields["appellant_name"]
            cast(forms.ModelChoiceField, self.fields["appellant_party"]).queryset = _represented(
                user
            )
        else:
            del self.fields["appellant_party"]
        suspended = (
            " The acceptance is suspended until the Authority decides (13.19)."
            if self.against == "accepted"
            else ""
        )
        self.fields["confirm"].label = (
            f"I confirm: lodge this appeal with the Authority against the {self.against} outcome "
            f"of {proposal.reference}. It is dated today and copied to the Secretariat and the "
            f"Panel (13.18).{suspended}"
        )

    def appellant(self) -> tuple[Party | None, str]:
        party = self.cleaned_data.get("appellant_party")
        if party is not None:
            return party, party.name
        return None, self.cleaned_data.get("appellant_name", "")


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Why you withdraw your support for the proposal",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    authority_consent = forms.CharField(
        label="Evidence of the Authority's consent to the withdrawal (11.29)",
        help_text="For example, the reference and date of the Authority's letter.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_letter = forms.FileField(
        label="The Authority's letter of consent (optional)", required=False
    )
    confirm = forms.BooleanField(label="", error_messages=CONFIRM_ERRORS)

    def __init__(self, *args: Any, proposal: ChangeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not proposal.is_authority_change_proposal:
            del self.fields["authority_consent"]
            del self.fields["consent_letter"]
        self.fields["confirm"].label = (
            f"I confirm: withdraw {proposal.reference} today. The Secretariat tells every Party, "
            "and any other Party may adopt it within 10 Working Days; if none does, it leaves "
            "the Assessment Process and its Working Group is dissolved (11.30-11.32)."
        )


class AdoptionForm(forms.Form):
    party = forms.ModelChoiceField(
        label="The Party that adopts the proposal",
        queryset=Party.objects.none(),
        empty_label="Choose",
    )
    nominee_name = forms.CharField(
        label="Your nominee to serve on the Working Group: name", max_length=200
    )
    nominee_email = forms.EmailField(label="Your nominee's e-mail address")
    confirm = forms.BooleanField(label="", error_messages=CONFIRM_ERRORS)

    def __init__(self, *args: Any, proposal: ChangeProposal, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = _represented(user)
        if proposal.proposer_party_id:
            parties = parties.exclude(pk=proposal.proposer_party_id)
        cast(forms.ModelChoiceField, self.fields["party"]).queryset = parties
        resumes = State(proposal.resume_status).label if proposal.resume_status else "as it was"
        self.fields["confirm"].label = (
            f"I confirm: the Party chosen becomes the Proposer of {proposal.reference} and the "
            f"proposal resumes ({resumes}); its nominee takes the original Proposer's place on "
            "any Working Group, and every Party is told (11.31)."
        )
