"""Second factor: the Secretariat and Parties' authorised voters must verify a TOTP token."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

TWO_FACTOR_URL = "/accounts/two-factor/"
# Paths a user who still owes a second factor may reach.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/media/")


class SecondFactorRequiredMiddleware:
    """Sends a signed-in user who needs a second factor to set it up or enter it.

    The API is excluded here because token clients are checked by their own permission
    classes; sessions on the API are refused there when unverified.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
            # last: it costs a query, and verified users never need it
            and getattr(user, "requires_second_factor", False)
        ):
            return redirect_to_login(request.get_full_path(), login_url=TWO_FACTOR_URL)
        return self.get_response(request)
