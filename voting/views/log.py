"""The downloadable vote log of a ballot: anyone may recompute the chain (and, after the
declaration, the standing votes and counts) with `python -m voting.verify`, no database needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def log_json(request: HttpRequest, reference: str) -> HttpResponse:
    raise Http404("Not yet published.")


def log_csv(request: HttpRequest, reference: str) -> HttpResponse:
    raise Http404("Not yet published.")
