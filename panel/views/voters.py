"""A Party nominates and removes its authorised voters (12.4); the Secretariat confirms them and
issues the one-time code with which a voter enrols a second factor."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo() -> HttpResponse:
    raise Http404("This page is being built.")


def party_voters(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()


def voter_enrolment_code(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return _todo()
