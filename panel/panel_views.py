"""Pages of the Panel at work: meetings (Panel and Secretariat), the public register of members,
public minutes, and the Standing Issues Group. Thin: parse, call a service or selector, render.
Permissions are checked here for every object; the services check again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .errors import DomainError
from .governance import IssueForm, OfficeRole, PanelMeeting, PanelMinutes
from .models import Party, User
from .panel_forms import AttendanceForm, IssueFormRaiseForm, MeetingScheduleForm, ResolutionForm
from .panel_selectors import (
    can_manage,
    can_read_panel_business,
    issue_forms,
    live_appointments,
    meeting_detail,
    meeting_quorum,
    meetings_list,
    next_meeting_warning,
    public_minutes,
    public_register,
)
from .panel_services import (
    AgendaEntry,
    AttendanceEntry,
    PaperEntry,
    attendance_record,
    issue_form_raise,
    meeting_schedule,
    resolution_take,
)

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    """The signed-in user (the view's decorator has already refused anonymous requests)."""
    return cast(User, request.user)


def _restricted(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied("This page is for the Panel and the Secretariat.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


panel_only = _restricted(can_read_panel_business)
secretariat_only = _restricted(can_manage)


# --- meetings (Panel and Secretariat) ---


@panel_only
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panel_work/meeting_list.html",
        {
            "meetings": meetings_list(),
            "warning": next_meeting_warning(timezone.localdate()),
            "can_manage": can_manage(_user(request)),
        },
    )


@panel_only
def meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = meeting_detail(pk)
    except PanelMeeting.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "panel_work/meeting_detail.html",
        {
            "meeting": meeting,
            "quorum": meeting_quorum(meeting),
            "can_manage": can_manage(_user(request)),
            "minutes": PanelMinutes.objects.filter(meeting=meeting).first(),
        },
    )


@secretariat_only
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_schedule(
                by=_user(request),
                reference=form.cleaned_data["reference"],
                meeting_date=form.cleaned_data["meeting_date"],
                starts_at=form.cleaned_data["starts_at"],
                venue=form.cleaned_data["venue"],
                agenda=[AgendaEntry(t, confidential=c) for t, c in form.agenda_entries()],
                papers=[
                    PaperEntry(t, document_url=u, confidential=c)
                    for t, u, c in form.paper_entries()
                ],
                short_notice_basis=form.cleaned_data["short_notice_basis"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{meeting.reference} convened; notice is being sent.")
            return redirect("panel_work:meeting_detail", pk=meeting.pk)
    return render(request, "panel_work/meeting_form.html", {"form": form})


@secretariat_only
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    appointments = list(live_appointments(meeting.meeting_date))
    by_pk = {a.pk: a for a in appointments}
    initial: dict[str, Any] = {}
    for row in meeting.attendance.all():
        initial[f"present_{row.appointment_id}"] = row.present
        if row.acting_for_id:
            initial[f"acting_for_{row.appointment_id}"] = str(row.acting_for_id)
    form = AttendanceForm(request.POST or None, appointments=appointments, initial=initial)
    if request.method == "POST" and form.is_valid():
        entries = []
        for a in appointments:
            is_present = form.cleaned_data[f"present_{a.pk}"]
            acting = form.cleaned_data.get(f"acting_for_{a.pk}") if is_present else ""
            if a.role == OfficeRole.MEMBER or is_present:
                entries.append(
                    AttendanceEntry(
                        appointment=a,
                        present=is_present,
                        acting_for=by_pk.get(int(acting)) if acting else None,
                    )
                )
        try:
            vacancies = attendance_record(by=_user(request), meeting=meeting, entries=entries)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Attendance recorded.")
            for v in vacancies:
                messages.warning(
                    request,
                    f"Office vacated: {v.vacated.display_name}, {v.vacated.office_label}. {v.note}",
                )
            return redirect("panel_work:meeting_detail", pk=meeting.pk)
    return render(request, "panel_work/attendance_form.html", {"form": form, "meeting": meeting})


@secretariat_only
def resolution_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    quorum = meeting_quorum(meeting)
    form = ResolutionForm(request.POST or None, holders=quorum.holders)
    if request.method == "POST":
        if not quorum.quorate:
            messages.error(
                request,
                "No business may be transacted without a quorum (7.10). " + quorum.explanation,
            )
        elif form.is_valid():
            try:
                resolution = resolution_take(
                    by=_user(request),
                    meeting=meeting,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    payload=form.cleaned_data["payload"],
                    target_ids=form.cleaned_data["target_ids"],
                    target_party=form.cleaned_data["target_party"],
                    votes=form.votes(),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"{resolution.reference}: {resolution.outcome}")
                return redirect("panel_work:meeting_detail", pk=meeting.pk)
    status = 409 if request.method == "POST" and not quorum.quorate else 200
    return render(
        request,
        "panel_work/resolution_form.html",
        {"form": form, "meeting": meeting, "quorum": quorum},
        status=status,
    )


# --- public pages (Schedule 14) ---


def member_register(request: HttpRequest) -> HttpResponse:
    """The register of Panel Members and Alternates: names, category, employer, term end."""
    today = timezone.localdate()
    return render(
        request,
        "panel_work/member_list.html",
        {"appointments": public_register(today), "today": today},
    )


def minutes_list(request: HttpRequest) -> HttpResponse:
    return render(request, "panel_work/minutes_list.html", {"minutes": public_minutes()})


def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(public_minutes(), pk=pk)
    meeting = minutes.meeting
    return render(
        request,
        "panel_work/minutes_detail.html",
        {
            "minutes": minutes,
            "meeting": meeting,
            "papers": meeting.papers.filter(confidential=False),
            "agenda": meeting.agenda.filter(confidential=False),
            "resolutions": meeting.resolutions.prefetch_related(
                "votes__member__person", "votes__cast_by__person"
            ),
        },
    )


# --- Standing Issues Group (Schedule 7) ---


def sig_issue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "panel_work/sig_issue_list.html", {"issues": issue_forms()})


def sig_issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(issue_forms().prefetch_related("outcomes__meeting"), pk=pk)
    return render(request, "panel_work/sig_issue_detail.html", {"issue": issue})


def sig_issue_raise(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    parties = (
        Party.objects.all()
        if user.is_secretariat
        else Party.objects.filter(Q(representatives__user=user)).distinct()
    )
    if not parties.exists():
        raise PermissionDenied("Issue Forms are raised by a Party's representatives.")
    form = IssueFormRaiseForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            issue = issue_form_raise(
                by=user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                party=form.cleaned_data["party"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if issue.status == IssueForm.Status.AWAITING_CHAIR:
                messages.warning(
                    request,
                    f"{issue.reference} logged. It arrived less than 10 Working Days before the "
                    "next meeting: it will be taken at the Chair's discretion (Schedule 7, 8).",
                )
            else:
                messages.success(request, f"{issue.reference} logged.")
            return redirect("panel_work:sig_issue_detail", pk=issue.pk)
    return render(request, "panel_work/sig_issue_form.html", {"form": form})
