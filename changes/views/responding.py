"""Consultations answered online by their respondents (11.14.1, 57.3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo() -> HttpResponse:
    raise Http404("This page is being built.")


def my_consultations(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def my_consultation(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()
