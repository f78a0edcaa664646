"""What every change-process page needs: the signed-in user, the posted data, the proposal a
URL names."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest
from django.urls import reverse

from panel.models import User

from .. import pages
from ..models import ChangeProposal


def me(request: HttpRequest) -> User:
    """The signed-in user (the view's access check has run)."""
    return cast(User, request.user)


def posted(request: HttpRequest) -> Any:
    """The POST data when posting, even empty (a confirmation with no fields is still bound)."""
    return request.POST if request.method == "POST" else None


def uploaded(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def proposal_url(proposal: ChangeProposal) -> str:
    return reverse("changes:detail", args=[pages.reference_slug(proposal)])


def proposal_or_404(reference: str) -> ChangeProposal:
    proposal = pages.public_proposal(reference)
    if proposal is None:
        raise Http404(f"No Change Proposal {reference}.")
    return proposal
