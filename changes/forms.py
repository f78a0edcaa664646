"""Forms of the change-process pages: they parse input only; the services decide (10-13)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from panel.errors import DomainError
from panel.models import Party, User

from .models import (
    ELIGIBLE_CATEGORY_CODES,
    AlternativeVariation,
    AppealRecord,
    ChangeProposal,
    Consultation,
    ConsultationResponse,
    ImplementationDateChange,
    Objective,
    ProposerKind,
    SignificantCodeReview,
    WorkingGroupMember,
)
from .selectors import CATEGORY_LABELS
from .services.proposals import DRAFT_FIELDS
from .states import RefusalGround, State
from .web_selectors import RegisterQuery

CATEGORY_CHOICES = [(c, CATEGORY_LABELS.get(c, c)) for c in ELIGIBLE_CATEGORY_CODES]
PART_CHOICES = [("", "Not given"), ("1", "Part 1 Matter"), ("2", "Part 2 Matter")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def attach_domain_error(form: forms.Form, exc: DomainError, *, default: str | None = None) -> None:
    """Show a service's refusal next to the field it names (else `default`, else at the top)."""
    name = exc.field if exc.field in form.fields else None
    if name is None and default in form.fields:
        name = default
    form.add_error(name, exc.message)


# -- the register -------------------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), *[(s.value, s.label) for s in State if s != State.DRAFT]],
    )
    part = forms.TypedChoiceField(
        required=False,
        choices=[("", "Any Part"), ("1", "Part 1"), ("2", "Part 2")],
        coerce=int,
        empty_value=None,
    )
    urgency = forms.ChoiceField(
        required=False,
        choices=[("", "Any urgency"), ("urgent", "Urgent"), ("standard", "Not urgent")],
    )
    category = forms.ChoiceField(
        label="Impacted category", required=False, choices=[("", "Any category"), *CATEGORY_CHOICES]
    )

    def query(self) -> RegisterQuery:
        d = self.cleaned_data
        urgency = d.get("urgency") or ""
        return RegisterQuery(
            q=d.get("q") or "",
            status=d.get("status") or "",
            part=d.get("part"),
            urgent={"urgent": True, "standard": False}.get(urgency),
            category=d.get("category") or "",
        )


# -- raising a proposal (10.2-10.6) -------------------------------------------------------------

ROLE_KINDS = {
    "PARTY_REPRESENTATIVE": (ProposerKind.PARTY, ProposerKind.DNO_IDNO_DIRECTED),
    "CONSUMER_BODY": (ProposerKind.CONSUMER_BODY,),
    "OTHER_BODY": (ProposerKind.TRANSMISSION_OPERATOR, ProposerKind.DESIGNATED),
    "AUTHORITY": (ProposerKind.AUTHORITY,),
}


def kinds_for(user: User) -> list[ProposerKind]:
    if user.is_secretariat:
        return list(ProposerKind)
    return list(ROLE_KINDS.get(user.role, ()))


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
    proposed_implementation_date = forms.DateField(
        label="Proposed implementation date (10.4.9)", widget=DATE, required=False
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
        """The cleaned values as the service takes them (empty strings kept: saved as typed)."""
        d = self.cleaned_data
        fields = {name: d.get(name) for name in DRAFT_FIELDS}
        for name in ("objectives", "impacted_categories"):
            fields[name] = list(fields[name] or [])
        for name, value in list(fields.items()):
            if value is None and name not in (
                "ghg_material",
                "proposer_part_view",
                "proposed_implementation_date",
                "proposer_party",
            ):
                fields[name] = ""
        return fields

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("attachment") and not (d.get("attachment_title") or "").strip():
            d["attachment_title"] = d["attachment"].name
        return d


# -- the Secretariat desk ----------------------------------------------------------------------


def parse_timetable(text: str) -> list[dict[str, Any]]:
    """'Stage name | 2027-05-20' per line -> [{stage, planned, actual}]."""
    stages = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, planned = line.rpartition("|")
        try:
            day = dt.date.fromisoformat(planned.strip())
        except ValueError:
            day = None
        if not sep or not name.strip() or day is None:
            raise ValidationError(f"Line {number}: write each stage as 'Stage name | YYYY-MM-DD'.")
        stages.append({"stage": name.strip(), "planned": day.isoformat(), "actual": None})
    return stages


class TimetableField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "placeholder": "Working Group | 2027-05-20"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return parse_timetable(text) if text else None


YES_NO = [("", "Choose"), ("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _transition_fields() -> dict[str, forms.Field]:
    return {
        "initial_assessment": forms.CharField(
            label="Initial written assessment (10.11)", widget=forms.Textarea, required=False
        ),
        "suggested_timetable": TimetableField(label="Suggested timetable", required=False),
        "part": forms.TypedChoiceField(
            label="Part 1 or Part 2 Matter",
            choices=PART_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
        ),
        "definition_procedure": forms.BooleanField(
            label="The Definition Procedure applies (a Working Group, 11.3)", required=False
        ),
        "urgent": forms.BooleanField(label="Urgent Change Proposal", required=False),
        "timetable": TimetableField(label="Timetable (at most six months, 11.11)", required=False),
        "ground": forms.ChoiceField(
            label="Ground of refusal",
            choices=[("", "Choose"), *RefusalGround.choices],
            required=False,
        ),
        "duplicate_of": forms.CharField(
            label="Earlier proposal with the same effect (e.g. DCP 401)", required=False
        ),
        "implementation_date": forms.DateField(
            label="Implementation date", widget=DATE, required=False
        ),
        "within_scope": forms.ChoiceField(
            label="Within the Significant Code Review", choices=YES_NO, required=False
        ),
        "significant_code_review": forms.ModelChoiceField(
            label="Significant Code Review",
            queryset=SignificantCodeReview.objects.order_by("-starts_on"),
            required=False,
        ),
        "authority_consent": forms.BooleanField(
            label="Evidence of the Authority's consent provided", required=False
        ),
        "party": forms.ModelChoiceField(
            label="Party", queryset=Party.objects.order_by("name"), required=False
        ),
        "in_writing": forms.BooleanField(label="Made in writing", required=False),
        "copied_to_secretariat_and_panel": forms.BooleanField(
            label="Copied to the Secretariat and the Panel", required=False
        ),
    }


# The data each step of the state machine reads (see changes.states effects).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "refer_to_panel": ("initial_assessment", "suggested_timetable"),
    "panel_accept": ("part", "definition_procedure", "urgent", "timetable"),
    "panel_refuse": ("ground", "duplicate_of"),
    "vary_timetable": ("timetable",),
    "authority_timetable_direction": ("timetable", "implementation_date"),
    "authority_part_opinion": ("part",),
    "scr_direction": ("within_scope",),
    "scr_flag": ("significant_code_review",),
    "withdraw": ("authority_consent",),
    "adopt": ("party",),
    "appeal_lodged": ("in_writing", "copied_to_secretariat_and_panel"),
}
# Keys passed even when unticked: the step asks whether they were decided.
ALWAYS_PASSED = {"definition_procedure", "urgent"}


class TransitionForm(forms.Form):
    """Confirm one step: the reasons, a paper, and the data the step needs."""

    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(label="Attach a document", required=False)
    document_title = forms.CharField(label="Document title", required=False, max_length=250)
    document_confidential = forms.BooleanField(label="Confidential (57.3)", required=False)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        available = _transition_fields()
        for name in ACTION_FIELDS.get(action, ()):
            self.fields[name] = available[name]

    def step_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in ACTION_FIELDS.get(self.action, ()):
            value = self.cleaned_data.get(name)
            if name == "within_scope":
                value = _yes_no(value or "")
            if value in (None, "", False) and name not in ALWAYS_PASSED:
                continue
            data[name] = value
        return data


class MembersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "Name | Organisation"})

    def clean(self, value: Any) -> Any:
        text = super().clean(value) or ""
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, organisation = line.partition("|")
            if not sep or not name.strip() or not organisation.strip():
                raise ValidationError(f"Line {number}: write each member as 'Name | Organisation'.")
            rows.append((name.strip(), organisation.strip()))
        return rows


class WorkingGroupForm(forms.Form):
    name = forms.CharField(max_length=200)
    terms_of_reference = forms.CharField(widget=forms.Textarea, required=False)
    chair_name = forms.CharField(label="Chair", max_length=200, required=False)
    members = MembersField(
        label="Members: at least five, broadly representative (11.15.1), one per line",
        required=False,
    )
    nominee = forms.CharField(
        label="The Proposer's nominee, if any (11.15.2): 'Name | Organisation'",
        required=False,
        max_length=400,
    )

    def clean_nominee(self) -> tuple[str, str] | None:
        text = self.cleaned_data.get("nominee") or ""
        if not text.strip():
            return None
        name, sep, organisation = text.partition("|")
        if not sep or not name.strip() or not organisation.strip():
            raise ValidationError("Write the nominee as 'Name | Organisation'.")
        return name.strip(), organisation.strip()


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

    def question_list(self) -> list[str]:
        return [q.strip() for q in self.cleaned_data["questions"].splitlines() if q.strip()]


class ResponseForm(forms.Form):
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

    def answers(self) -> dict[int, tuple[str, bool]]:
        d = self.cleaned_data
        return {
            n: (d[f"answer_{n}"], bool(d[f"answer_{n}_confidential"]))
            for n in self.question_numbers
            if (d.get(f"answer_{n}") or "").strip()
        }


class ChangeReportForm(forms.Form):
    eligible_categories = forms.MultipleChoiceField(
        label="Party Categories eligible to vote (11.20.2)",
        choices=CATEGORY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    variation = forms.CharField(label="The proposed variation (11.20.3)", widget=forms.Textarea)
    effects = forms.CharField(label="Its effects (11.20.4)", widget=forms.Textarea)
    implementation_date = forms.DateField(
        label="Proposed implementation date (11.20.5)", widget=DATE
    )
    ghg_statement = forms.CharField(
        label="Greenhouse gas statement", widget=forms.Textarea, required=False
    )
    case_for = forms.CharField(
        label="Why it better facilitates the Objectives", widget=forms.Textarea, required=False
    )
    case_against = forms.CharField(widget=forms.Textarea, required=False)
    consultation_summary = forms.CharField(
        label="Summary of non-confidential responses (11.20.6(B))",
        widget=forms.Textarea,
        required=False,
    )
    responses_location = forms.URLField(
        label="Where to read the responses", required=False, assume_scheme="https"
    )


class SendToAuthorityForm(forms.Form):
    sent_on = forms.DateField(label="Provided to the Authority on", widget=DATE, required=False)


# -- the Secretariat's desk forms for named services -------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several papers in one upload (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def parse_dated_lines(text: str, *, what: str) -> list[tuple[str, dt.date]]:
    """'Text | 2027-05-20' per line -> [(text, date)]."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, day_text = line.rpartition("|")
        try:
            day = dt.date.fromisoformat(day_text.strip())
        except ValueError:
            day = None
        if not sep or not name.strip() or day is None:
            raise ValidationError(f"Line {number}: write each {what} as 'Text | YYYY-MM-DD'.")
        rows.append((name.strip(), day))
    return rows


class MeetingForm(forms.Form):
    """A Working Group meeting with its agenda and papers (11.16)."""

    held_on = forms.DateField(label="Held on", widget=DATE)
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(
        label="Minutes (or record them later)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    papers = MultipleFileField(label="Papers", required=False)
    papers_confidential = forms.BooleanField(
        label="The papers are confidential (Secretariat, Working Group and Authority only, 57.3)",
        required=False,
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))


class MemberForm(forms.Form):
    name = forms.CharField(max_length=200)
    organisation = forms.CharField(label="Organisation represented", max_length=200)
    party = forms.ModelChoiceField(
        label="Party, if the organisation is one",
        queryset=Party.objects.order_by("name"),
        required=False,
    )


class RemoveMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label="Member leaving", queryset=WorkingGroupMember.objects.none()
    )
    left_on = forms.DateField(label="Left on (default: today)", widget=DATE, required=False)

    def __init__(self, *args: Any, working_group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = working_group.members.filter(
            left_on__isnull=True
        ).order_by("name")


class DissolveForm(forms.Form):
    reason = forms.CharField(max_length=250)
    on = forms.DateField(label="Dissolved on (default: today)", widget=DATE, required=False)


class AlternativeForm(forms.Form):
    """An alternative variation from a Working Group member (11.18) or a respondent (11.20.6(C))."""

    working_group_member = forms.ModelChoiceField(
        label="Put forward by a Working Group member (11.18)",
        queryset=WorkingGroupMember.objects.none(),
        required=False,
    )
    consultation_response = forms.ModelChoiceField(
        label="…or by a consultation respondent (11.20.6(C))",
        queryset=ConsultationResponse.objects.none(),
        required=False,
    )
    by_proposer = forms.BooleanField(label="It is the Proposer's own alternative", required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    legal_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    why_original_is_better = forms.CharField(
        label="Why the original proposal better facilitates the Objectives (11.20.6(C))",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, proposal: ChangeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["working_group_member"]
        ).queryset = WorkingGroupMember.objects.filter(
            working_group__proposal=proposal, left_on__isnull=True
        ).order_by("name")
        cast(
            forms.ModelChoiceField, self.fields["consultation_response"]
        ).queryset = ConsultationResponse.objects.filter(consultation__proposal=proposal).order_by(
            "respondent_name"
        )


class AddAlternativeForm(forms.Form):
    alternative = forms.ModelChoiceField(
        label="Alternative to add to the Change Report (at most two, 11.23.3)",
        queryset=AlternativeVariation.objects.none(),
    )

    def __init__(self, *args: Any, report: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["alternative"]
        ).queryset = report.proposal.alternatives.exclude(reports=report).order_by("created_at")


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the non-confidential responses (11.20.6(B))",
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ImplementationPlanForm(forms.Form):
    implementation_date = forms.DateField(label="Implementation date", widget=DATE)
    actions = forms.CharField(
        label="Actions required, each with the date it is due: 'Action | YYYY-MM-DD' (14.6)",
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Update Schedule 22 | 2027-10-01"}),
    )
    set_on = forms.DateField(label="Panel meeting (default: today)", widget=DATE, required=False)

    def clean_actions(self) -> list[tuple[str, dt.date]]:
        return parse_dated_lines(self.cleaned_data.get("actions") or "", what="action")


class ImplementationDateForm(forms.Form):
    new_date = forms.DateField(label="New implementation date", widget=DATE)
    basis = forms.ChoiceField(
        label="Basis of the Authority's direction",
        choices=[("", "Choose"), *ImplementationDateChange.Basis.choices],
    )
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    directed_on = forms.DateField(label="Directed on (default: today)", widget=DATE, required=False)


class DocumentFieldsMixin(forms.Form):
    document = forms.FileField(label="The decision letter", required=False)
    document_title = forms.CharField(label="Document title", required=False, max_length=250)
    document_confidential = forms.BooleanField(label="Confidential (57.3)", required=False)


AUTHORITY_DECISION_CHOICES = [
    ("", "Choose"),
    ("accept", "Accept the proposal (13.9-13.12)"),
    ("reject", "Reject the proposal (13.12)"),
    ("send_back", "Revise and resubmit the Change Report: the vote is void (13.11A)"),
]


class AuthorityDecisionForm(DocumentFieldsMixin):
    decision = forms.ChoiceField(choices=AUTHORITY_DECISION_CHOICES)
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decided_on = forms.DateField(label="Decided on (default: today)", widget=DATE, required=False)

    field_order = ["decision", "reason", "decided_on"]


class AppealLodgeForm(forms.Form):
    appellant_name = forms.CharField(label="Appellant", max_length=200)
    appellant_party = forms.ModelChoiceField(
        label="Appellant Party, if a Party",
        queryset=Party.objects.order_by("name"),
        required=False,
    )
    reason = forms.CharField(
        label="Why, against the criteria of 13.20", widget=forms.Textarea(attrs={"rows": 4})
    )
    grounds = forms.CharField(
        label="Criteria of 13.20 relied on, one per line",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    in_writing = forms.BooleanField(label="Made in writing", required=False, initial=True)
    copied_to_secretariat_and_panel = forms.BooleanField(
        label="Copied to the Secretariat and the Panel", required=False, initial=True
    )
    lodged_on = forms.DateField(label="Lodged on (default: today)", widget=DATE, required=False)

    def grounds_list(self) -> list[str]:
        text = self.cleaned_data.get("grounds") or ""
        return [g.strip() for g in text.splitlines() if g.strip()]


class AppealDecideForm(forms.Form):
    appeal = forms.ModelChoiceField(label="Appeal", queryset=AppealRecord.objects.none())
    outcome = forms.ChoiceField(
        choices=[("", "Choose"), *[c for c in AppealRecord.Outcome.choices if c[0]]]
    )
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decided_on = forms.DateField(label="Decided on (default: today)", widget=DATE, required=False)

    def __init__(self, *args: Any, proposal: ChangeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["appeal"]).queryset = proposal.appeals.filter(
            outcome=""
        ).order_by("lodged_on", "pk")


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    authority_consent = forms.CharField(
        label="Evidence of the Authority's consent (a proposal raised under 10.2.5)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    on = forms.DateField(label="Withdrawn on (default: today)", widget=DATE, required=False)


class AdoptForm(forms.Form):
    party = forms.ModelChoiceField(
        label="The adopting Party (it becomes the Proposer, 11.31)",
        queryset=Party.objects.order_by("name"),
    )
    on = forms.DateField(
        label="Notice of adoption on (default: today)", widget=DATE, required=False
    )
