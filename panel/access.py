"""Who may do what: the one access check for services, views, the API and the admin.

`require(user, who, doing=...)` raises NotAllowed naming the rule; `role_required(...)` guards a
view with the same check (anonymous visitors are sent to sign in). `who` is a Role, several Roles,
or a Rule: a named predicate on the user (for checks that are not a plain role).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .errors import NotAllowed
from .models import Role, User


@dataclass(frozen=True)
class Rule:
    """A named check on a signed-in, active user; `name` is what the refusal cites."""

    name: str
    test: Callable[[User], bool]
    who: str  # "the Secretariat", in the refusal's words


def _roles(user: User, roles: frozenset[str]) -> bool:
    if user.is_superuser and Role.SECRETARIAT in roles:
        return True
    return user.role in roles


SECRETARIAT = Rule(
    "secretariat_only", lambda u: _roles(u, frozenset({Role.SECRETARIAT})), "the Secretariat"
)
AUTHORITY = Rule(
    "authority_only", lambda u: _roles(u, frozenset({Role.AUTHORITY})), "the Authority"
)
SECRETARIAT_OR_AUTHORITY = Rule(
    "secretariat_or_authority",
    lambda u: _roles(u, frozenset({Role.SECRETARIAT, Role.AUTHORITY})),
    "the Secretariat or the Authority",
)
PANEL = Rule(
    "panel_only",
    lambda u: _roles(u, frozenset({Role.PANEL_MEMBER, Role.PANEL_ALTERNATE})),
    "Panel Members and Alternates",
)
PANEL_BUSINESS = Rule(
    "panel_business",
    lambda u: _roles(
        u, frozenset({Role.PANEL_MEMBER, Role.PANEL_ALTERNATE, Role.SECRETARIAT, Role.AUTHORITY})
    ),
    "Panel Members and Alternates, the Secretariat and the Authority",
)

Who = Rule | str | Iterable[str]

_ROLE_NAMES = dict(Role.choices)


def _as_rule(who: Who) -> Rule:
    if isinstance(who, Rule):
        return who
    roles = frozenset([who] if isinstance(who, str) else who)
    names = " or ".join(f"the {_ROLE_NAMES.get(r, r)}" for r in sorted(roles))
    return Rule(
        "role_" + "_or_".join(sorted(r.lower() for r in roles)), lambda u: _roles(u, roles), names
    )


def allowed(user: Any, who: Who) -> bool:
    """True when `user` is signed in, active and passes `who`."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _as_rule(who).test(user)


def require(user: Any, who: Who, *, doing: str, rule: str | None = None) -> None:
    """Refuse (NotAllowed, HTTP 403) unless `user` is signed in, active and passes `who`.

    `doing` completes "Only the Secretariat may ..."; `rule` overrides the cited rule (a clause).
    """
    check = _as_rule(who)
    if not allowed(user, check):
        raise NotAllowed(f"Only {check.who} may {doing}.", rule=rule or check.name)


V = TypeVar("V", bound=Callable[..., HttpResponse])


def role_required(who: Who, *, doing: str) -> Callable[[V], V]:
    """View decorator: anonymous visitors go to sign in; others are refused with the reason."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                require(request.user, who, doing=doing)
            except NotAllowed as refusal:
                raise PermissionDenied(refusal.message) from refusal
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
