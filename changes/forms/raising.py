"""Raising a Change Proposal (10.2-10.6): who may raise it and every item 10.4 asks for."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from panel.forms.fields import DateField
from panel.models import Category, Party, PartyCategoryMembership, User

from ..models import AUTHORITY_CHANGE_KINDS, ChangeProposal, Objective, ProposerKind
from ..services.proposals import DRAFT_FIELDS
from .common import CATEGORY_CHOICES, PART_CHOICES

ROLE_KINDS = {
    "PARTY_REPRESENTATIVE": (ProposerKind.PARTY, ProposerKind.DNO_IDNO_DIRECTED),
    "CONSUMER_BODY": (ProposerKind.CONSUMER_BODY,),
    "OTHER_BODY": (ProposerKind.TRANSMISSION_OPERATOR, ProposerKind.DESIGNATED),
    "AUTHORITY": (ProposerKind.AUTHORITY,),
}

# Left as None when not given (the others are saved as typed, empty strings included).
NULLABLE = {"ghg_material", "proposer_part_view", "proposed_implementation_date", "proposer_party"}


PARTY_KINDS = (ProposerKind.PARTY, ProposerKind.DNO_IDNO_DIRECTED)


def _represents_a_network_operator(user: User) -> bool:
    """Only a DNO or IDNO Party raises a proposal at the Authority's direction (10.2.5)."""
    return (
        PartyCategoryMembership.objects.on(timezone.localdate())
        .filter(
            party_id__in=user.represented_party_ids(),
            category__in=(Category.DNO, Category.IDNO_OTSO),
        )
        .exists()
    )


def kinds_for(user: User) -> list[ProposerKind]:
    """The kinds of proposer this user may raise as (10.2); the Secretariat raises on behalf."""
    if user.is_secretariat:
        return list(ProposerKind)
    kinds = list(ROLE_KINDS.get(user.role, ()))
    if ProposerKind.DNO_IDNO_DIRECTED in kinds and not _represents_a_network_operator(user):
        kinds.remove(ProposerKind.DNO_IDNO_DIRECTED)
    return kinds


def may_mark_authority_led(user: User) -> bool:
    """The Authority considers a proposal Authority-Led (11.9A); the Secretariat records it."""
    return user.is_secretariat or user.is_authority


class DraftDeleteForm(forms.Form):
    """The confirmation before a draft is deleted (it cannot be undone)."""

    confirm = forms.BooleanField(
        label="Delete this draft and its attachments for good. It was never submitted, so no "
        "one is notified.",
        error_messages={"required": "Tick the box to confirm that the draft is to be deleted."},
    )


class ProposalForm(forms.Form):
    """Every item 10.4 asks for; nothing is required to save a draft, all of it to submit."""

    proposer_kind = forms.ChoiceField(label="Who is raising the proposal (10.2)")
    proposer_party = forms.ModelChoiceField(
        label="Proposer Party", queryset=Party.objects.none(), required=False
    )
    proposer_name = forms.CharField(
        label="Proposer (a body that is not a Party)", required=False, max_length=200
    )
    proposer_contact_name = forms.CharField(
        label="Principal point of contact (10.4.2)", required=False, max_length=200
    )
    proposer_contact_email = forms.EmailField(label="Contact e-mail", required=False)
    proposer_contact_phone = forms.CharField(
        label="Contact telephone", required=False, max_length=40
    )
    title = forms.CharField(max_length=250, required=False)
    description = forms.CharField(
        label="The proposed variation and its purpose (10.4.4)",
        widget=forms.Textarea,
        required=False,
    )
    purpose = forms.CharField(
        label="The issue the proposal addresses (10.4.4)", widget=forms.Textarea, required=False
    )
    legal_text = forms.CharField(label="Proposed legal text", widget=forms.Textarea, required=False)
    objectives = forms.MultipleChoiceField(
        label="DCUSA Objectives better facilitated (10.4.5)",
        choices=Objective.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    objectives_reasons = forms.CharField(
        label="Why it better facilitates those Objectives (10.4.5)",
        widget=forms.Textarea,
        required=False,
    )
    ghg_material = forms.NullBooleanField(
        label="Material impact on greenhouse gas emissions",
        required=False,
    )
    ghg_statement = forms.CharField(
        label="Statement on greenhouse gas emissions", widget=forms.Textarea, required=False
    )
    parts_affected = forms.CharField(
        label="Parts of the Agreement affected (10.4.6)", widget=forms.Textarea, required=False
    )
    section_2h = forms.BooleanField(label="Concerns Section 2H", required=False)
    proposer_part_view = forms.TypedChoiceField(
        label="Proposer's view: Part 1 or Part 2 Matter (10.4.7)",
        choices=PART_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    part_view_reasons = forms.CharField(label="Reasons", widget=forms.Textarea, required=False)
    urgency_requested = forms.BooleanField(
        label="Proposed as an Urgent Change Proposal (10.4.8)", required=False
    )
    urgency_reasons = forms.CharField(
        label="Reasons for urgency", widget=forms.Textarea, required=False
    )
    proposed_implementation_date = DateField(
        label="Proposed implementation date (10.4.9)", required=False
    )
    follows_authority_direction = forms.BooleanField(
        label="Raised in compliance with an Authority direction (10.2.5, 10.4.10)", required=False
    )
    impacted_categories = forms.MultipleChoiceField(
        label="Party Categories impacted",
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    authority_led = forms.BooleanField(label="Authority-Led (11.9A)", required=False)
    # an attachment, saved with the draft
    attachment = forms.FileField(label="Attach a document", required=False)
    attachment_title = forms.CharField(label="Document title", required=False, max_length=250)
    attachment_confidential = forms.BooleanField(
        label="Confidential (seen only by the Secretariat, Working Group and Authority, 57.3)",
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = kinds_for(user)
        cast(forms.ChoiceField, self.fields["proposer_kind"]).choices = [
            (k.value, k.label) for k in kinds
        ]
        # Offer only what this proposer may use: a Party's representative names its Party, a
        # body that is not a Party its name; only the Authority's proposals are Authority-Led.
        if not any(k in PARTY_KINDS for k in kinds):
            del self.fields["proposer_party"]
        if all(k in PARTY_KINDS for k in kinds):
            del self.fields["proposer_name"]
        if not (may_mark_authority_led(user) and any(k in AUTHORITY_CHANGE_KINDS for k in kinds)):
            del self.fields["authority_led"]
        if not any(k in AUTHORITY_CHANGE_KINDS for k in kinds):
            del self.fields["follows_authority_direction"]
        if "proposer_party" not in self.fields:
            return
        parties = Party.objects.all()
        if not user.is_secretariat:
            parties = parties.filter(pk__in=user.represented_party_ids())
        cast(forms.ModelChoiceField, self.fields["proposer_party"]).queryset = parties.order_by(
            "name"
        )

    @classmethod
    def initial_for(cls, proposal: ChangeProposal) -> dict[str, Any]:
        initial = {name: getattr(proposal, name) for name in DRAFT_FIELDS}
        initial["proposer_party"] = proposal.proposer_party_id
        return initial

    def draft_fields(self) -> dict[str, Any]:
        """The cleaned values as the service takes them (empty strings kept: saved as typed);
        a field not offered to this proposer is not sent (the draft keeps what it had)."""
        d = self.cleaned_data
        fields = {name: d.get(name) for name in DRAFT_FIELDS if name in self.fields}
        for name in ("objectives", "impacted_categories"):
            fields[name] = list(fields[name] or [])
        for name, value in list(fields.items()):
            if value is None and name not in NULLABLE:
                fields[name] = ""
        return fields

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("attachment") and not (d.get("attachment_title") or "").strip():
            d["attachment_title"] = d["attachment"].name
        return d
