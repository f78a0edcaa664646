"""Panel meetings: the list, a meeting's page, convening, attendance, agenda additions and
observers (7.9-7.19). Pages for the Panel, the Secretariat and the Authority; forms for the
Secretariat.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from .. import access
from ..forms.meetings import (
    AgendaAdditionForm,
    AttendanceForm,
    MeetingScheduleForm,
    ObserverForm,
    RequisitionForm,
)
from ..models import PanelMeeting, User
from ..selectors import (
    current_panel_chair,
    live_appointments,
    live_members,
    meeting_detail,
    meeting_minutes,
    meeting_quorum,
    meetings_list,
    next_meeting_warning,
)
from ..services import agenda_item_add, attendance_record, meeting_schedule, observer_register
from .steps import PANEL_BUSINESS, Said, cleaned, no_target, ok, steps_on, warn

READ = "read the Panel's business (57.3)"


def meeting_or_404(user: User, pk: int) -> PanelMeeting:
    return get_object_or_404(PanelMeeting, pk=pk)


def meeting_url(meeting: PanelMeeting) -> str:
    return reverse("panel_work:meeting_detail", args=[meeting.pk])


def about(meeting: PanelMeeting) -> dict[str, Any]:
    return {"meeting": meeting}


def _list_url(_: object) -> str:
    return reverse("panel_work:meeting_list")


@access.role_required(PANEL_BUSINESS, doing=READ)
def meeting_list(request: HttpRequest) -> HttpResponse:
    context = {
        "meetings": meetings_list(),
        "warning": next_meeting_warning(timezone.localdate()),
        "can_manage": access.allowed(request.user, access.SECRETARIAT),
        "chair": current_panel_chair(),
    }
    return render(request, "panel/meeting_list.html", context)


@access.role_required(PANEL_BUSINESS, doing=READ)
def meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = meeting_detail(pk)
    except PanelMeeting.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "meeting": meeting,
        "quorum": meeting_quorum(meeting),
        "can_manage": access.allowed(request.user, access.SECRETARIAT),
        "minutes": meeting_minutes(meeting),
        "chair": current_panel_chair(),
    }
    return render(request, "panel/meeting_detail.html", context)


listed_step = steps_on(no_target, _list_url)


SCHEDULE = listed_step(
    form=MeetingScheduleForm,
    call=lambda by, _, form: meeting_schedule(by=by, **form.schedule_kwargs()),
    title="Convene a Panel meeting",
    clause="Notice with the agenda and papers goes to Panel Members, Alternates, the 5.7 "
    "appointees and the Parties at least five Working Days before the meeting (7.14-7.15).",
    done="{r.reference} convened; notice is being sent.",
    then=lambda _, meeting: meeting_url(meeting),
    submit="Convene",
    template="panel/meeting_form.html",
)

REQUISITION = listed_step(
    form=RequisitionForm,
    form_kwargs=lambda _: {"members": live_members(timezone.localdate())},
    call=lambda by, _, form: meeting_schedule(by=by, **form.schedule_kwargs()),
    title="Convene a requisitioned meeting",
    clause="Any Panel Member may requisition a meeting by written notice listing the matters "
    "for its agenda; the Panel Secretary convenes it within five Working Days (7.12.1), on "
    "at least five Working Days' notice (7.14).",
    done="{r.reference} convened on requisition (7.12.1).",
    then=lambda _, meeting: meeting_url(meeting),
    submit="Convene",
)


def _attendance_form(meeting: PanelMeeting) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for row in meeting.attendance.all():
        initial[f"present_{row.appointment_id}"] = row.present
        if row.acting_for_id:
            initial[f"acting_for_{row.appointment_id}"] = str(row.acting_for_id)
    return {"appointments": list(live_appointments(meeting.meeting_date)), "initial": initial}


def _attended(meeting: PanelMeeting, vacancies: list[Any]) -> list[Said]:
    said = ok("Attendance recorded.")
    for v in vacancies:
        said += warn(
            f"Office vacated: {v.vacated.display_name}, {v.vacated.office_label}. {v.note}"
        )
    return said


meeting_step = steps_on(meeting_or_404, meeting_url)


ATTENDANCE = meeting_step(
    form=AttendanceForm,
    form_kwargs=_attendance_form,
    call=lambda by, meeting, form: attendance_record(
        by=by, meeting=meeting, entries=form.entries()
    ),
    title="Attendance at {t.reference}",
    clause="An Alternate present acts for an absent Panel Member of its category and counts "
    "towards the quorum (6.12-6.13).",
    done=_attended,
    submit="Record",
    template="panel/attendance_form.html",
    context=about,
)

AGENDA_ITEM = meeting_step(
    form=AgendaAdditionForm,
    form_kwargs=lambda meeting: {"members": live_members(meeting.meeting_date)},
    call=cleaned(agenda_item_add, "meeting"),
    title="Add a matter to the agenda of {t.reference}",
    clause="A Panel Member's additional matter is added if notified at least three Working "
    "Days before the meeting (7.12.2).",
    done="Added to the agenda as item {r.position}.",
    submit="Add to the agenda",
)

OBSERVER = meeting_step(
    form=ObserverForm,
    call=cleaned(observer_register, "meeting"),
    title="Register an observer at {t.reference}",
    clause="A Party may send a representative as an observer on two Working Days' notice; "
    "they speak at the Chair's invitation and never vote (7.18).",
    done="{r.name} will attend as an observer (7.18).",
    submit="Register",
)
