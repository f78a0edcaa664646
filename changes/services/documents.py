"""Papers attached to a Change Proposal, and withdrawing one uploaded by mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from panel import access
from panel.errors import DomainError, NotAllowed
from panel.models import User
from panel.services.common import audited_create

from ..audit import ChangeAction
from ..models import ChangeDocument, ChangeProposal
from ..states import State
from .voids import record_void


@dataclass(frozen=True)
class Upload:
    """A paper handed in with a step: attached by the step's service, inside its transaction,
    so a refused step leaves no paper behind."""

    title: str
    file: Any
    confidential: bool = False


def documents_attach(
    *,
    proposal: ChangeProposal | None,
    by: User | None,
    documents: Iterable[ChangeDocument | Upload],
) -> list[ChangeDocument]:
    """Within a step's transaction (the step has checked who may take it): store the uploads."""
    stored = []
    for item in documents:
        if isinstance(item, Upload):
            if proposal is None:
                raise DomainError(
                    "Papers are attached to a Change Proposal; this record has none.",
                    field="papers",
                    rule="papers_need_a_proposal",
                )
            item = audited_create(
                ChangeDocument,
                by=by,
                action=ChangeAction.DOCUMENT_UPLOADED,
                proposal=proposal,
                title=item.title,
                file=item.file,
                confidential=item.confidential,
                uploaded_by=by if by is not None and by.pk else None,
            )
        stored.append(item)
    return stored


def proposal_attach_document(
    *, proposal: ChangeProposal, by: User, title: str, file: Any, confidential: bool = False
) -> ChangeDocument:
    """Attach a paper to a proposal (its proposer while a draft, or the Secretariat)."""
    if not access.allowed(by, access.SECRETARIAT) and not (
        proposal.status == State.DRAFT and proposal.raised_by_id == by.pk
    ):
        raise NotAllowed("Only the Secretariat, or the author of a draft, may attach documents.")
    with transaction.atomic():
        (doc,) = documents_attach(
            proposal=proposal, by=by, documents=[Upload(title, file, confidential)]
        )
    return doc


def document_withdraw(
    *, document: ChangeDocument, by: User, reason: str, on: dt.date | None = None
) -> ChangeDocument:
    """Withdraw a paper uploaded by mistake: it is kept, marked void with the reason, and no
    longer listed with the proposal."""
    access.require(by, access.SECRETARIAT, doing="withdraw a document uploaded by mistake")
    return record_void(
        record=document,
        by=by,
        reason=reason,
        on=on,
        action=ChangeAction.DOCUMENT_WITHDRAWN,
        missing_reason="Say why the document is withdrawn.",
        already=lambda doc: f"'{doc.title}' was withdrawn on {doc.voided_on:%d %B %Y}.",
    )
