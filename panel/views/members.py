"""The public register of Panel Members and Alternates (7.7.2, Schedule 14)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..selectors import public_register


def member_register(request: HttpRequest) -> HttpResponse:
    """Names, category, employer and term end; no contact details (57.1)."""
    today = timezone.localdate()
    return render(
        request,
        "panel/member_list.html",
        {"appointments": public_register(today), "today": today},
    )
