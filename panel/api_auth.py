"""Whom an API request acts for: nobody until a signed-in session has given its second factor."""

from __future__ import annotations

from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from .models import User

SECOND_FACTOR_MESSAGE = (
    "Enter the code from your authenticator app at /accounts/two-factor/ before using "
    "the API with this session."
)


def second_factor_missing(request: Request) -> bool:
    """A signed-in session that still owes its second factor (the middleware skips /api/)."""
    user = request.user
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return False
    if not getattr(user, "requires_second_factor", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def api_viewer(request: Request) -> User | None:
    """The user whose rights apply: None for anonymous and for unverified sessions."""
    user = request.user
    if not user or not user.is_authenticated or second_factor_missing(request):
        return None
    return user
