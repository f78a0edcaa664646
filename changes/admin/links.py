"""Where the Secretariat takes each step: the desk forms of changes/urls.py."""

from __future__ import annotations

from django.urls import reverse

from ..models import ChangeProposal
from ..pages import reference_slug
from ..views.steps import step_url


def desk(name: str, proposal: ChangeProposal | None, *ids: int) -> str | None:
    """The desk form `changes:<name>` for a numbered proposal (None for a draft or no proposal)."""
    if proposal is None or proposal.number is None:
        return None
    return reverse(f"changes:{name}", args=[reference_slug(proposal), *ids])


def desk_step(proposal: ChangeProposal, action: str) -> str | None:
    """Where a state machine step is taken on the desk: its own form or the confirmation."""
    if proposal.number is None:
        return None
    return step_url(reference_slug(proposal), action)
