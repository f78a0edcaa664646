"""The Authority's own pages: what awaits it, and a form for each step it takes (10.21, 11.12, 11.21,
11.22.2, 13.9-13.14, 13.17-13.22, 14.9-14.11)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo() -> HttpResponse:
    raise Http404("This page is being built.")


def authority_queue(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def authority_decide(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def authority_appeal(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def authority_direct(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def authority_waive_wait(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def authority_implementation_date(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()
