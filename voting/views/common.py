"""What the voting pages share: the signed-in user, and whether the session passed its second
factor."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from panel.models import User


def me(request: HttpRequest) -> User:
    """The signed-in user (views that need one are behind login_required)."""
    return cast(User, request.user)


def viewer(request: HttpRequest) -> User | None:
    return cast(User, request.user) if request.user.is_authenticated else None


def verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())
