"""Minutes of Panel meetings: kept, circulated, objected to, approved and published
(7.7.3, 7.21-7.22, 5.3.10), and the public pages of published minutes (57.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ..forms.minutes import (
    MinutesApproveForm,
    MinutesCirculateForm,
    MinutesDraftForm,
    MinutesObjectionForm,
    MinutesPublishForm,
)
from ..models import MinutesObjection, PanelMeeting, PanelMinutes, User
from ..selectors import later_meetings, live_members, meeting_minutes, public_minutes
from ..services import (
    minutes_approve,
    minutes_circulate,
    minutes_draft,
    minutes_objection_record,
    minutes_publish,
)
from .meetings import meeting_or_404, meeting_step, meeting_url
from .steps import Said, cleaned, ok, steps_on


def minutes_list(request: HttpRequest) -> HttpResponse:
    return render(request, "panel/minutes_list.html", {"minutes": public_minutes()})


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(public_minutes(), pk=pk)
    meeting = minutes.meeting
    resolutions = meeting.resolutions.prefetch_related(
        "votes__member__person", "votes__cast_by__person"
    )
    context = {
        "minutes": minutes,
        "meeting": meeting,
        "papers": meeting.papers.filter(confidential=False),
        "agenda": meeting.agenda.filter(confidential=False),
        "resolutions": resolutions,
    }
    return render(request, "panel/minutes_detail.html", context)


@dataclass(frozen=True)
class Kept:
    """A meeting and the minutes kept of it."""

    meeting: PanelMeeting
    minutes: PanelMinutes


def kept_or_404(user: User, pk: int) -> Kept:
    meeting = meeting_or_404(user, pk)
    minutes = meeting_minutes(meeting)
    if minutes is None:
        raise Http404("No minutes for this meeting yet.")
    return Kept(meeting, minutes)


def _back(kept: Kept) -> str:
    return meeting_url(kept.meeting)


def _draft_initial(meeting: PanelMeeting) -> dict[str, object]:
    minutes = meeting_minutes(meeting)
    if minutes is None:
        return {}
    return {"initial": {"text": minutes.text, "confidential": minutes.confidential}}


DRAFT = meeting_step(
    form=MinutesDraftForm,
    form_kwargs=_draft_initial,
    call=cleaned(minutes_draft, "meeting"),
    title="Minutes of {t.reference}",
    clause="The Panel Secretary keeps minutes of every meeting (7.7.3). A draft is seen only "
    "by the Panel and the Secretariat until circulated.",
    done="Draft minutes of {t.reference} saved.",
    submit="Save the draft",
)

kept_step = steps_on(kept_or_404, _back)


CIRCULATE = kept_step(
    form=MinutesCirculateForm,
    call=lambda by, kept, form: minutes_circulate(
        by=by,
        meeting=kept.meeting,
        text=kept.minutes.text,
        confidential=kept.minutes.confidential,
        circulated_on=form.cleaned_data["circulated_on"],
    ),
    title="Circulate the minutes of {t.meeting.reference}",
    clause="Copies go to everyone entitled to notice of the meeting, within five Working "
    "Days of it (7.21).",
    done="Minutes of {t.meeting.reference} circulated.",
    submit="Circulate",
)


def _objected(kept: Kept, objection: MinutesObjection) -> list[Said]:
    where = (
        f"first item on the agenda of {objection.agenda_item.meeting.reference}"
        if objection.agenda_item
        else "first item on the agenda of the next meeting convened"
    )
    return ok(f"Disagreement recorded: {where} (7.22).")


OBJECTION = kept_step(
    form=MinutesObjectionForm,
    form_kwargs=lambda kept: {
        "members": live_members(kept.minutes.circulated_on or kept.meeting.meeting_date)
    },
    call=lambda by, kept, form: minutes_objection_record(
        by=by, minutes=kept.minutes, **form.cleaned_data
    ),
    title="Disagreement with the minutes of {t.meeting.reference}",
    clause="A Panel Member notifies the items disagreed with within five Working Days of "
    "receipt; they go first on the agenda of the next meeting (7.22).",
    done=_objected,
    submit="Record",
)


def _approved(kept: Kept, minutes: PanelMinutes) -> list[Said]:
    if minutes.published_on:
        done = "published on the Website"
    elif minutes.confidential:
        done = "confidential, so not published (57.1)"
    else:
        done = "not yet published"
    return ok(f"Minutes of {kept.meeting.reference} approved; {done}.")


APPROVE = kept_step(
    form=MinutesApproveForm,
    form_kwargs=lambda kept: {"meetings": later_meetings(kept.meeting)},
    call=lambda by, kept, form: minutes_approve(by=by, minutes=kept.minutes, **form.cleaned_data),
    title="Approve the minutes of {t.meeting.reference}",
    clause="Approved minutes are published on the Website unless confidential (5.3.10, 57.1).",
    done=_approved,
    submit="Approve",
)

PUBLISH = kept_step(
    form=MinutesPublishForm,
    call=lambda by, kept, form: minutes_publish(by=by, minutes=kept.minutes, **form.cleaned_data),
    title="Publish the minutes of {t.meeting.reference}",
    clause="Only approved minutes that are not confidential go on the Website (5.3.10, 57.1).",
    done="Minutes of {t.meeting.reference} published.",
    submit="Publish",
)
