"""A Standing Issues Group issue raised as a Change Proposal (Schedule 7, 8; 10.2-10.4)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from panel.audit import audit_record
from panel.errors import Conflict, DomainError
from panel.models import IssueForm, Party, User
from panel.selectors import issue_form_as_proposal_fields
from panel.services import issue_form_mark_converted

from ..audit import ChangeAction
from ..models import ChangeProposal, ProposerKind
from .proposals import proposal_save_draft


def proposal_from_issue_form(*, issue: IssueForm, by: User, **extra_fields: Any) -> ChangeProposal:
    """Start a draft Change Proposal from an Issue Form; an issue becomes one proposal only.

    The title and description are carried across, and the Party that raised the issue is the
    Proposer unless `extra_fields` say otherwise (another Party may take the issue forward).
    Who may raise it is checked as for any draft (10.2): a representative of the Proposer or
    the Secretariat. An issue raised by someone who is not a Party needs `proposer_kind`.
    """
    with transaction.atomic():
        issue = IssueForm.objects.select_for_update().get(pk=issue.pk)
        if issue.converted_to_reference or issue.status == IssueForm.Status.CONVERTED:
            raise Conflict(
                f"{issue.reference} was already raised as Change Proposal "
                f"{issue.converted_to_reference}: an issue is raised as a Change Proposal once.",
                field="issue",
            )
        carried = issue_form_as_proposal_fields(issue)
        fields: dict[str, Any] = {"title": carried["title"], "description": carried["description"]}
        if carried["raised_by"] is not None:
            fields["proposer_kind"] = ProposerKind.PARTY
            fields["proposer_party"] = Party.objects.get(pk=carried["raised_by"])
        else:
            if not extra_fields.get("proposer_kind"):
                raise DomainError(
                    f"{issue.reference} was raised by {carried['raised_by_other']}, not a Party: "
                    "say who raises the Change Proposal (10.2).",
                    field="proposer_kind",
                )
            fields["proposer_name"] = carried["raised_by_other"]
        fields.update(extra_fields)
        proposal = proposal_save_draft(by=by, **fields)
        issue_form_mark_converted(by=by, issue=issue, change_reference=proposal.reference)
        audit_record(
            actor=by,
            action=ChangeAction.PROPOSAL_FROM_ISSUE,
            target=proposal,
            data={"issue": carried["issue_reference"]},
        )
    return proposal
