"""The Secretariat's page for a ballot that cannot be declared: the entries at fault, the checks,
and the recorded decision that resolves it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def ballot_faults(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404("No faults.")
