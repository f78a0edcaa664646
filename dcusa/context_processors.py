"""What every page's navigation needs to know about the signed-in user."""

from django.http import HttpRequest

from panel import access

from .dashboard import READERS


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "nav_is_secretariat": access.allowed(user, access.SECRETARIAT),
        "nav_is_panel": access.allowed(user, READERS),
        "nav_is_party": bool(user and user.is_authenticated and user.party_links.exists()),
    }
