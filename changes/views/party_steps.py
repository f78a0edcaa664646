"""A Party's own steps on a proposal: appeal (13.17-13.19), withdraw (11.29-11.30), adopt (11.31)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo() -> HttpResponse:
    raise Http404("This page is being built.")


def party_appeal(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def party_withdraw(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def party_adopt(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()
