"""Pages of the Panel at work: meetings (Panel and Secretariat), the public register of members,
public minutes, and the Standing Issues Group. Thin: parse, call a service or selector, render.
Permissions are checked here for every object; the services check again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .errors import DomainError
from .governance import IssueForm, OfficeRole, PanelMeeting, PanelMinutes, SigMeeting
from .models import Party, User
from .panel_forms import (
    AgendaAdditionForm,
    AttendanceForm,
    IssueFormRaiseForm,
    MeetingScheduleForm,
    MinutesApproveForm,
    MinutesCirculateForm,
    MinutesDraftForm,
    MinutesObjectionForm,
    MinutesPublishForm,
    ObserverForm,
    PanelChairForm,
    RequisitionForm,
    ResolutionForm,
    SigMeetingForm,
    SigMinutesForm,
    SigOutcomeForm,
    WrittenResolutionForm,
)
from .panel_selectors import (
    can_manage,
    can_read_panel_business,
    current_panel_chair,
    issue_forms,
    later_meetings,
    live_appointments,
    live_members,
    meeting_detail,
    meeting_minutes,
    meeting_quorum,
    meetings_list,
    member_offices,
    next_meeting_warning,
    public_minutes,
    public_register,
    sig_meeting_detail,
    sig_meetings,
    written_resolutions,
)
from .panel_services import (
    AgendaEntry,
    AttendanceEntry,
    PaperEntry,
    agenda_item_add,
    attendance_record,
    issue_form_raise,
    meeting_schedule,
    minutes_approve,
    minutes_circulate,
    minutes_draft,
    minutes_objection_record,
    minutes_publish,
    observer_register,
    panel_chair_choose,
    resolution_take,
    sig_meeting_schedule,
    sig_minutes_circulate,
    sig_outcome_record,
    written_resolution_take,
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
            "chair": current_panel_chair(),
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
            "minutes": meeting_minutes(meeting),
            "chair": current_panel_chair(),
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
            _refuse(form, exc)
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
    return render(
        request,
        "panel_work/sig_issue_detail.html",
        {"issue": issue, "can_manage": can_manage(cast(User, request.user))},
    )


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


# --- forms for the Secretariat: each parses, calls one service, shows its refusal by the field ---


def _refuse(form: forms.Form, exc: DomainError) -> None:
    """Show a DomainError next to the field it concerns (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    heading: str,
    intro: str,
    back: str,
    submit: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "intro": intro,
        "back": back,
        "submit": submit,
        **extra,
    }
    return render(request, "panel_work/action_form.html", context, status=status)


def _meeting_url(meeting: PanelMeeting) -> str:
    return reverse("panel_work:meeting_detail", args=[meeting.pk])


def _minutes_or_404(meeting: PanelMeeting) -> PanelMinutes:
    minutes = meeting_minutes(meeting)
    if minutes is None:
        raise Http404("No minutes for this meeting yet.")
    return minutes


@secretariat_only
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    minutes = meeting_minutes(meeting)
    initial = {"text": minutes.text, "confidential": minutes.confidential} if minutes else {}
    form = MinutesDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            minutes_draft(by=_user(request), meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Draft minutes of {meeting.reference} saved.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Minutes of {meeting.reference}",
        intro="The Panel Secretary keeps minutes of every meeting (7.7.3). A draft is seen only "
        "by the Panel and the Secretariat until circulated.",
        back=_meeting_url(meeting),
        submit="Save the draft",
    )


@secretariat_only
def minutes_circulate_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    minutes = _minutes_or_404(meeting)
    form = MinutesCirculateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            minutes_circulate(
                by=_user(request),
                meeting=meeting,
                text=minutes.text,
                confidential=minutes.confidential,
                circulated_on=form.cleaned_data["circulated_on"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Minutes of {meeting.reference} circulated.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Circulate the minutes of {meeting.reference}",
        intro="Copies go to everyone entitled to notice of the meeting, within five Working "
        "Days of it (7.21).",
        back=_meeting_url(meeting),
        submit="Circulate",
    )


@secretariat_only
def minutes_objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    minutes = _minutes_or_404(meeting)
    members = live_members(minutes.circulated_on or meeting.meeting_date)
    form = MinutesObjectionForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            objection = minutes_objection_record(
                by=_user(request),
                minutes=minutes,
                member=form.cleaned_data["member"],
                items=form.cleaned_data["items"],
                received_on=form.cleaned_data["received_on"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            where = (
                f"first item on the agenda of {objection.agenda_item.meeting.reference}"
                if objection.agenda_item
                else "first item on the agenda of the next meeting convened"
            )
            messages.success(request, f"Disagreement recorded: {where} (7.22).")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Disagreement with the minutes of {meeting.reference}",
        intro="A Panel Member notifies the items disagreed with within five Working Days of "
        "receipt; they go first on the agenda of the next meeting (7.22).",
        back=_meeting_url(meeting),
        submit="Record",
    )


@secretariat_only
def minutes_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    minutes = _minutes_or_404(meeting)
    form = MinutesApproveForm(request.POST or None, meetings=later_meetings(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            minutes = minutes_approve(
                by=_user(request),
                minutes=minutes,
                at_meeting=form.cleaned_data["at_meeting"],
                approved_on=form.cleaned_data["approved_on"],
                publish=form.cleaned_data["publish"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            if minutes.published_on:
                done = "published on the Website"
            elif minutes.confidential:
                done = "confidential, so not published (57.1)"
            else:
                done = "not yet published"
            messages.success(request, f"Minutes of {meeting.reference} approved; {done}.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Approve the minutes of {meeting.reference}",
        intro="Approved minutes are published on the Website unless confidential (5.3.10, 57.1).",
        back=_meeting_url(meeting),
        submit="Approve",
    )


@secretariat_only
def minutes_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    minutes = _minutes_or_404(meeting)
    form = MinutesPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            minutes_publish(
                by=_user(request),
                minutes=minutes,
                published_on=form.cleaned_data["published_on"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Minutes of {meeting.reference} published.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Publish the minutes of {meeting.reference}",
        intro="Only approved minutes that are not confidential go on the Website (5.3.10, 57.1).",
        back=_meeting_url(meeting),
        submit="Publish",
    )


@secretariat_only
def agenda_item_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    form = AgendaAdditionForm(request.POST or None, members=live_members(meeting.meeting_date))
    if request.method == "POST" and form.is_valid():
        try:
            item = agenda_item_add(by=_user(request), meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Added to the agenda as item {item.position}.")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Add a matter to the agenda of {meeting.reference}",
        intro="A Panel Member's additional matter is added if notified at least three Working "
        "Days before the meeting (7.12.2).",
        back=_meeting_url(meeting),
        submit="Add to the agenda",
    )


@secretariat_only
def observer_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    form = ObserverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observer = observer_register(by=_user(request), meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"{observer.name} will attend as an observer (7.18).")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Register an observer at {meeting.reference}",
        intro="A Party may send a representative as an observer on two Working Days' notice; "
        "they speak at the Chair's invitation and never vote (7.18).",
        back=_meeting_url(meeting),
        submit="Register",
    )


@secretariat_only
def panel_chair_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(PanelMeeting, pk=pk)
    quorum = meeting_quorum(meeting)
    form = PanelChairForm(
        request.POST or None, members=live_members(meeting.meeting_date), holders=quorum.holders
    )
    status = 200
    if request.method == "POST":
        if not quorum.quorate:
            form.add_error(
                None, "No business may be transacted without a quorum (7.10). " + quorum.explanation
            )
            status = 409
        elif form.is_valid():
            try:
                resolution = panel_chair_choose(
                    by=_user(request),
                    meeting=meeting,
                    candidate=form.cleaned_data["candidate"],
                    authority_consent=form.cleaned_data["authority_consent"],
                    votes=form.votes(),
                )
            except DomainError as exc:
                _refuse(form, exc)
            else:
                if resolution.passed:
                    messages.success(request, f"{resolution.reference}: {resolution.outcome}")
                else:
                    messages.warning(request, f"{resolution.reference}: {resolution.outcome}")
                return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading=f"Choose the Panel Chair at {meeting.reference}",
        intro="The Panel Chair is the Panel Member appointed by a simple majority of the Panel "
        "Members, not only of those present (7.1); the Chair has no casting vote (7.4). "
        + quorum.explanation,
        back=_meeting_url(meeting),
        submit="Record the vote",
        status=status,
    )


@secretariat_only
def meeting_requisition(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RequisitionForm(request.POST or None, members=live_members(today))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_schedule(
                by=_user(request),
                reference=data["reference"],
                meeting_date=data["meeting_date"],
                starts_at=data["starts_at"],
                venue=data["venue"],
                agenda=[AgendaEntry(t, confidential=c) for t, c in form.agenda_entries()],
                papers=[
                    PaperEntry(t, document_url=u, confidential=c)
                    for t, u, c in form.paper_entries()
                ],
                short_notice_basis=data["short_notice_basis"],
                notice_given_on=data["notice_given_on"],
                requisitioned_by=data["requisitioned_by"],
                requisition_received_on=data["requisition_received_on"],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"{meeting.reference} convened on requisition (7.12.1).")
            return redirect(_meeting_url(meeting))
    return _form_page(
        request,
        form,
        heading="Convene a requisitioned meeting",
        intro="Any Panel Member may requisition a meeting by written notice listing the matters "
        "for its agenda; the Panel Secretary convenes it within five Working Days (7.12.1), on "
        "at least five Working Days' notice (7.14).",
        back=reverse("panel_work:meeting_list"),
        submit="Convene",
    )


@panel_only
def written_resolution_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panel_work/written_resolution_list.html",
        {"resolutions": written_resolutions(), "can_manage": can_manage(_user(request))},
    )


@secretariat_only
def written_resolution_new(request: HttpRequest) -> HttpResponse:
    offices = member_offices(timezone.localdate())
    form = WrittenResolutionForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = written_resolution_take(
                by=_user(request),
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                payload=data["payload"],
                target_ids=data["target_ids"],
                target_party=data["target_party"],
                decided_on=data["decided_on"],
                signed_for=data["signed_for"],
                refuse_unless_all_signed=True,
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"{resolution.reference}: {resolution.outcome}")
            return redirect("panel_work:written_resolution_list")
    return _form_page(
        request,
        form,
        heading="Record a written resolution",
        intro="A resolution in writing signed by or on behalf of all the Panel Members is as "
        "valid as one passed at a meeting; it may be signed in counterparts (7.20).",
        back=reverse("panel_work:written_resolution_list"),
        submit="Record",
    )


# --- Standing Issues Group meetings and outcomes (Schedule 7) ---


def sig_meeting_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "panel_work/sig_meeting_list.html",
        {"meetings": sig_meetings(), "can_manage": can_manage(cast(User, request.user))},
    )


def sig_meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = sig_meeting_detail(pk)
    except SigMeeting.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "panel_work/sig_meeting_detail.html",
        {"meeting": meeting, "can_manage": can_manage(cast(User, request.user))},
    )


@secretariat_only
def sig_meeting_new(request: HttpRequest) -> HttpResponse:
    form = SigMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = sig_meeting_schedule(by=_user(request), **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"{meeting.reference} scheduled.")
            return redirect("panel_work:sig_meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        heading="Schedule a Standing Issues Group meeting",
        intro="Meetings are scheduled monthly with the agenda circulated at least 10 days "
        "ahead; the Chair may convene an emergency meeting on at least 5 days' notice "
        "(Schedule 7, 6-7).",
        back=reverse("panel_work:sig_meeting_list"),
        submit="Schedule",
    )


@secretariat_only
def sig_minutes_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(SigMeeting, pk=pk)
    form = SigMinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    back = reverse("panel_work:sig_meeting_detail", args=[meeting.pk])
    if request.method == "POST" and form.is_valid():
        try:
            sig_minutes_circulate(by=_user(request), meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, f"Minutes of {meeting.reference} circulated.")
            return redirect(back)
    return _form_page(
        request,
        form,
        heading=f"Minutes of {meeting.reference}",
        intro="Circulated no later than 10 Working Days after the meeting and published on the "
        "Website (Schedule 7, 7).",
        back=back,
        submit="Circulate",
    )


@secretariat_only
def sig_outcome_new(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(IssueForm, pk=pk)
    meetings = SigMeeting.objects.filter(cancelled=False).order_by("-meeting_date")
    form = SigOutcomeForm(
        request.POST or None, meetings=meetings, initial={"meeting": issue.meeting_id}
    )
    back = reverse("panel_work:sig_issue_detail", args=[issue.pk])
    if request.method == "POST" and form.is_valid():
        try:
            outcome = sig_outcome_record(by=_user(request), issue=issue, **form.cleaned_data)
        except DomainError as exc:
            _refuse(form, exc)
        else:
            if outcome.agreed:
                messages.success(request, "Recommendation agreed by majority consensus.")
            else:
                messages.warning(
                    request,
                    "Recorded as not agreed: recommendations need a majority of those "
                    "attending (Schedule 7, 9).",
                )
            return redirect(back)
    return _form_page(
        request,
        form,
        heading=f"Outcome for {issue.reference}: {issue.title}",
        intro="Recommendations are agreed by majority consensus of those attending the meeting "
        "(Schedule 7, 9).",
        back=back,
        submit="Record",
    )
