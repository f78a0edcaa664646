"""The Standing Issues Group: Issue Forms, meetings, outcomes and minutes (Schedule 7).

Its pages are public; Issue Forms are raised by a Party's representatives; the Secretariat
schedules meetings and records outcomes and minutes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .. import access
from ..forms.sig import IssueFormRaiseForm, SigMeetingForm, SigMinutesForm, SigOutcomeForm
from ..models import IssueForm, Party, SigMeeting, SigOutcome, User
from ..selectors import issue_forms, sig_meeting_detail, sig_meetings
from ..services import (
    issue_form_raise,
    sig_meeting_schedule,
    sig_minutes_circulate,
    sig_outcome_record,
)
from .steps import Said, Step, cleaned, no_target, ok, warn


def sig_issue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "panel/sig_issue_list.html", {"issues": issue_forms()})


def sig_issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(issue_forms().prefetch_related("outcomes__meeting"), pk=pk)
    can_manage = access.allowed(request.user, access.SECRETARIAT)
    return render(
        request, "panel/sig_issue_detail.html", {"issue": issue, "can_manage": can_manage}
    )


def sig_meeting_list(request: HttpRequest) -> HttpResponse:
    can_manage = access.allowed(request.user, access.SECRETARIAT)
    return render(
        request,
        "panel/sig_meeting_list.html",
        {"meetings": sig_meetings(), "can_manage": can_manage},
    )


def sig_meeting_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = sig_meeting_detail(pk)
    except SigMeeting.DoesNotExist as exc:
        raise Http404 from exc
    can_manage = access.allowed(request.user, access.SECRETARIAT)
    return render(
        request,
        "panel/sig_meeting_detail.html",
        {"meeting": meeting, "can_manage": can_manage},
    )


def _represented(user: User) -> QuerySet[Party]:
    """The Parties `user` may raise an Issue Form for; refused when there are none."""
    if access.allowed(user, access.SECRETARIAT):
        parties = Party.objects.all()
    else:
        parties = Party.objects.filter(representatives__user=user).distinct()
    if not parties.exists():
        raise PermissionDenied("Issue Forms are raised by a Party's representatives.")
    return parties


def _logged(_: object, issue: IssueForm) -> list[Said]:
    if issue.status == IssueForm.Status.AWAITING_CHAIR:
        return warn(
            f"{issue.reference} logged. It arrived less than 10 Working Days before the next "
            "meeting: it will be taken at the Chair's discretion (Schedule 7, 8)."
        )
    return ok(f"{issue.reference} logged.")


ISSUE_RAISE = Step(
    form=IssueFormRaiseForm,
    load=_represented,
    form_kwargs=lambda parties: {"parties": parties},
    call=cleaned(issue_form_raise),
    title="Raise an issue (DCUSA Issue Form)",
    clause="Issue Forms are added to the next scheduled meeting; forms arriving less than 10 "
    "Working Days before it are taken at the Chair's discretion (Schedule 7, 8).",
    done=_logged,
    back=lambda _: reverse("panel_work:sig_issue_list"),
    then=lambda _, issue: reverse("panel_work:sig_issue_detail", args=[issue.pk]),
    submit="Raise",
    template="panel/sig_issue_form.html",
    who=None,
)


def _sig_meeting_url(meeting: SigMeeting) -> str:
    return reverse("panel_work:sig_meeting_detail", args=[meeting.pk])


SIG_MEETING = Step(
    form=SigMeetingForm,
    load=no_target,
    call=cleaned(sig_meeting_schedule),
    title="Schedule a Standing Issues Group meeting",
    clause="Meetings are scheduled monthly with the agenda circulated at least 10 days "
    "ahead; the Chair may convene an emergency meeting on at least 5 days' notice "
    "(Schedule 7, 6-7).",
    done="{r.reference} scheduled.",
    back=lambda _: reverse("panel_work:sig_meeting_list"),
    then=lambda _, meeting: _sig_meeting_url(meeting),
    submit="Schedule",
)


def sig_meeting_or_404(user: User, pk: int) -> SigMeeting:
    return get_object_or_404(SigMeeting, pk=pk)


SIG_MINUTES = Step(
    form=SigMinutesForm,
    load=sig_meeting_or_404,
    form_kwargs=lambda meeting: {"initial": {"minutes": meeting.minutes}},
    call=cleaned(sig_minutes_circulate, "meeting"),
    title="Minutes of {t.reference}",
    clause="Circulated no later than 10 Working Days after the meeting and published on the "
    "Website (Schedule 7, 7).",
    done="Minutes of {t.reference} circulated.",
    back=_sig_meeting_url,
    submit="Circulate",
)


def issue_or_404(user: User, pk: int) -> IssueForm:
    return get_object_or_404(IssueForm, pk=pk)


def _outcome_recorded(_: IssueForm, outcome: SigOutcome) -> list[Said]:
    if outcome.agreed:
        return ok("Recommendation agreed by majority consensus.")
    return warn(
        "Recorded as not agreed: recommendations need a majority of those attending "
        "(Schedule 7, 9)."
    )


SIG_OUTCOME = Step(
    form=SigOutcomeForm,
    load=issue_or_404,
    form_kwargs=lambda issue: {
        "meetings": SigMeeting.objects.filter(cancelled=False).order_by("-meeting_date"),
        "initial": {"meeting": issue.meeting_id},
    },
    call=cleaned(sig_outcome_record, "issue"),
    title="Outcome for {t.reference}: {t.title}",
    clause="Recommendations are agreed by majority consensus of those attending the meeting "
    "(Schedule 7, 9).",
    done=_outcome_recorded,
    back=lambda issue: reverse("panel_work:sig_issue_detail", args=[issue.pk]),
    submit="Record",
)
