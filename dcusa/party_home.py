""" "For my Parties": a Party representative's home page across votes, consultations, proposals,
appeals windows and notices."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo() -> HttpResponse:
    raise Http404("This page is being built.")


def my_home(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()
