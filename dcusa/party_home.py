""" "For my Parties": a Party representative's home page across votes, consultations, proposals,
appeals windows and notices."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from panel.models import User

from .party_home_data import party_home


@login_required
def my_home(request: HttpRequest) -> HttpResponse:
    """/my/: per Party the user represents, what awaits it and what it was told."""
    user = request.user
    assert isinstance(user, User)
    home = party_home(user=user)
    return render(
        request,
        "dcusa/party_home.html",
        {"home": home, "now": timezone.now(), "today": timezone.localdate()},
    )
