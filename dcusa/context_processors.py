from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "nav_is_secretariat": bool(user and user.is_authenticated and user.is_secretariat),
        "nav_is_panel": bool(
            user
            and user.is_authenticated
            and (user.is_panel or user.is_secretariat or user.is_authority)
        ),
        "nav_is_party": bool(user and user.is_authenticated and user.party_links.exists()),
    }
