"""Resolutions: at a meeting with its quorum and recorded votes (7.10, 7.19, 7.23), in writing
(7.20), and the choice of the Panel Chair (7.1-7.4).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .. import access
from ..forms.resolutions import PanelChairForm, ResolutionForm, WrittenResolutionForm
from ..models import PanelMeeting, Resolution
from ..selectors import live_members, meeting_quorum, member_offices, written_resolutions
from ..services import (
    ensure_quorate,
    panel_chair_choose,
    resolution_take,
    written_resolution_take,
)
from .meetings import READ, meeting_step
from .steps import PANEL_BUSINESS, Said, Step, no_target, ok, warn


def _acting(meeting: PanelMeeting) -> dict[str, Any]:
    """One vote field per Panel Member office acting at the meeting (7.23)."""
    return {"holders": meeting_quorum(meeting).holders}


def _quorate(meeting: PanelMeeting) -> None:
    """The service's refusal of business without a quorum (7.10), before any input is read."""
    ensure_quorate(meeting_quorum(meeting))


def _outcome(meeting: PanelMeeting, resolution: Resolution) -> list[Said]:
    said = ok if resolution.passed else warn
    return said(f"{resolution.reference}: {resolution.outcome}")


RESOLUTION = meeting_step(
    form=ResolutionForm,
    form_kwargs=_acting,
    check=_quorate,
    call=lambda by, meeting, form: resolution_take(
        by=by, meeting=meeting, votes=form.votes(), **form.resolution_kwargs()
    ),
    title="Take a resolution at {t.reference}",
    clause="Passed when a simple majority of the Panel Members present vote for it (7.19); "
    "the Chair has no casting vote (7.4).",
    done="{r.reference}: {r.outcome}",
    submit="Record the resolution",
    template="panel/resolution_form.html",
    context=lambda meeting: {"meeting": meeting, "quorum": meeting_quorum(meeting)},
)

PANEL_CHAIR = meeting_step(
    form=PanelChairForm,
    form_kwargs=lambda meeting: {"members": live_members(meeting.meeting_date), **_acting(meeting)},
    check=_quorate,
    call=lambda by, meeting, form: panel_chair_choose(
        by=by,
        meeting=meeting,
        candidate=form.cleaned_data["candidate"],
        authority_consent=form.cleaned_data["authority_consent"],
        votes=form.votes(),
    ),
    title="Choose the Panel Chair at {t.reference}",
    clause=lambda meeting: (
        "The Panel Chair is the Panel Member appointed by a simple majority "
        "of the Panel Members, not only of those present (7.1); the Chair has no casting vote "
        "(7.4). " + meeting_quorum(meeting).explanation
    ),
    done=_outcome,
    submit="Record the vote",
)


@access.role_required(PANEL_BUSINESS, doing=READ)
def written_resolution_list(request: HttpRequest) -> HttpResponse:
    context = {
        "resolutions": written_resolutions(),
        "can_manage": access.allowed(request.user, access.SECRETARIAT),
    }
    return render(request, "panel/written_resolution_list.html", context)


def _written_list(_: object) -> str:
    return reverse("panel_work:written_resolution_list")


WRITTEN_RESOLUTION = Step(
    form=WrittenResolutionForm,
    load=no_target,
    form_kwargs=lambda _: {"offices": member_offices(timezone.localdate())},
    call=lambda by, _, form: written_resolution_take(
        by=by,
        decided_on=form.cleaned_data["decided_on"],
        signed_for=form.cleaned_data["signed_for"],
        refuse_unless_all_signed=True,
        **form.resolution_kwargs(),
    ),
    title="Record a written resolution",
    clause="A resolution in writing signed by or on behalf of all the Panel Members is as "
    "valid as one passed at a meeting; it may be signed in counterparts (7.20).",
    done="{r.reference}: {r.outcome}",
    back=_written_list,
    submit="Record",
)
