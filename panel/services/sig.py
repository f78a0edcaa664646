"""The DCUSA Standing Issues Group: its Chair, meetings, Issue Forms, outcomes (Schedule 7)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from ..access import SECRETARIAT, allowed
from ..audit import PanelAction
from ..calendar import WorkingDayCalendar
from ..errors import Conflict, DomainError, NotAllowed
from ..models import IssueForm, Party, PartyRepresentative, SigChair, SigMeeting, SigOutcome, User
from ..panel_rules import (
    notice_is_enough,
    sig_chair_term_end,
    sig_majority_consensus,
    within_working_days,
)
from ..selectors import next_sig_meeting
from .common import (
    SIG_AGENDA_DAYS,
    SIG_EMERGENCY_NOTICE_DAYS,
    SIG_LATE_ISSUE_WORKING_DAYS,
    SIG_MINUTES_WORKING_DAYS,
    audited_create,
    audited_save,
    d,
    ensure_secretariat,
    today,
)


def sig_chair_appoint(
    *,
    by: User,
    name: str,
    appointed_on: dt.date,
    person: User | None = None,
    appointing_resolution: str = "",
) -> SigChair:
    """The Panel appoints an independent Chair for a 12-month term (Schedule 7, 4)."""
    ensure_secretariat(by, doing="record the Standing Issues Group Chair (Schedule 7, 4)")
    with transaction.atomic():
        SigChair.objects.select_for_update().filter(ended_on__isnull=True).update(
            ended_on=appointed_on
        )
        chair = audited_create(
            SigChair,
            by=by,
            action=PanelAction.SIG_CHAIR_APPOINTED,
            name=name,
            person=person,
            appointed_on=appointed_on,
            term_ends=sig_chair_term_end(appointed_on),
            appointing_resolution=appointing_resolution,
        )
    return chair


def sig_meeting_schedule(
    *,
    by: User,
    reference: str,
    meeting_date: dt.date,
    emergency: bool = False,
    notice_given_on: dt.date | None = None,
    agenda_circulated_on: dt.date | None = None,
) -> SigMeeting:
    """Monthly meetings, agenda 10 days ahead; emergency meetings on 5 days' notice (Sch 7, 6-7)."""
    ensure_secretariat(by, doing="schedule a Standing Issues Group meeting (Schedule 7, 6)")
    notice_given_on = notice_given_on or today()
    if emergency and (meeting_date - notice_given_on).days < SIG_EMERGENCY_NOTICE_DAYS:
        raise DomainError(
            "The Chair gives at least 5 days' notice of an emergency meeting (Schedule 7, 6): "
            f"notice was due by {d(meeting_date - dt.timedelta(days=SIG_EMERGENCY_NOTICE_DAYS))}.",
            field="meeting_date",
        )
    if (
        not emergency
        and agenda_circulated_on is not None
        and (meeting_date - agenda_circulated_on).days < SIG_AGENDA_DAYS
    ):
        raise DomainError(
            "The agenda is circulated at least 10 days before the meeting (Schedule 7, 7): "
            f"it was due by {d(meeting_date - dt.timedelta(days=SIG_AGENDA_DAYS))}.",
            field="agenda_circulated_on",
        )
    try:
        with transaction.atomic():
            meeting = audited_create(
                SigMeeting,
                by=by,
                action=PanelAction.SIG_MEETING_SCHEDULED,
                reference=reference,
                meeting_date=meeting_date,
                emergency=emergency,
                notice_given_on=notice_given_on,
                agenda_circulated_on=agenda_circulated_on,
            )
    except IntegrityError as exc:
        raise Conflict(f"A meeting {reference} already exists.", field="reference") from exc
    return meeting


def _may_raise_for(user: User, party: Party) -> bool:
    if allowed(user, SECRETARIAT):
        return True
    return PartyRepresentative.objects.filter(user=user, party=party).exists()


def issue_form_raise(
    *,
    by: User,
    title: str,
    description: str,
    party: Party | None = None,
    raised_by_other: str = "",
    raised_on: dt.date | None = None,
) -> IssueForm:
    """Log an Issue Form and add it to the next scheduled meeting (Schedule 7, 8).

    Forms arriving less than 10 Working Days before that meeting wait for the Chair's discretion.
    """
    if not by.is_authenticated:
        raise NotAllowed("Sign in to raise an issue.")
    if party is not None and not _may_raise_for(by, party):
        raise NotAllowed(f"You do not represent {party.name}.")
    if party is None and not (allowed(by, SECRETARIAT) and raised_by_other):
        raise DomainError("Say which Party raises the issue.", field="party")
    if not title.strip() or not description.strip():
        raise DomainError("A completed DCUSA Issue Form needs a title and a description.")
    raised_on = raised_on or today()
    with transaction.atomic():
        meeting = next_sig_meeting(raised_on)
        status = IssueForm.Status.LOGGED
        if meeting is not None:
            on_time = notice_is_enough(
                raised_on,
                meeting.meeting_date,
                SIG_LATE_ISSUE_WORKING_DAYS,
                WorkingDayCalendar.load().closures,
            )
            status = IssueForm.Status.ON_AGENDA if on_time else IssueForm.Status.AWAITING_CHAIR
        count = IssueForm.objects.select_for_update().filter(raised_on__year=raised_on.year)
        reference = f"ISS-{raised_on.year}-{count.count() + 1:03d}"
        issue = audited_create(
            IssueForm,
            by=by,
            action=PanelAction.SIG_ISSUE_RAISED,
            reference=reference,
            title=title.strip(),
            description=description.strip(),
            raised_by_party=party,
            raised_by_other=raised_by_other,
            raised_by_user=by,
            raised_on=raised_on,
            meeting=meeting,
            status=status,
        )
    return issue


def _is_sig_chair(user: User) -> bool:
    return SigChair.objects.filter(ended_on__isnull=True, person=user).exists()


def issue_form_chair_decide(*, by: User, issue: IssueForm, accept: bool) -> IssueForm:
    """The Chair takes a late Issue Form at this meeting, or it waits for the next (Sch 7, 8)."""
    if not (allowed(by, SECRETARIAT) or _is_sig_chair(by)):
        raise NotAllowed("Late Issue Forms are accepted at the discretion of the Chair.")
    with transaction.atomic():
        issue = IssueForm.objects.select_for_update().get(pk=issue.pk)
        if issue.status != IssueForm.Status.AWAITING_CHAIR:
            raise Conflict(f"{issue.reference} is not awaiting the Chair's decision.")
        if accept:
            issue.status = IssueForm.Status.ON_AGENDA
        else:
            following = next_sig_meeting(issue.meeting.meeting_date) if issue.meeting else None
            issue.meeting = following
            issue.status = (
                IssueForm.Status.ON_AGENDA if following else IssueForm.Status.DECLINED_LATE
            )
        audited_save(
            issue,
            ["status", "meeting"],
            by=by,
            action=PanelAction.SIG_ISSUE_CHAIR_DECISION,
            data={"accept": accept},
        )
    return issue


def sig_outcome_record(
    *,
    by: User,
    issue: IssueForm,
    meeting: SigMeeting,
    recommendation: str,
    attending: int,
    in_favour: int,
) -> SigOutcome:
    """Recommendations by majority consensus of those attending (Schedule 7, 9)."""
    ensure_secretariat(by, doing="record a Standing Issues Group outcome (Schedule 7, 9)")
    if in_favour > attending:
        raise DomainError("More in favour than attending.", field="in_favour")
    if issue.status == IssueForm.Status.AWAITING_CHAIR:
        raise DomainError(
            f"{issue.reference} arrived late and the Chair has not accepted it (Schedule 7, 8)."
        )
    with transaction.atomic():
        outcome = audited_create(
            SigOutcome,
            by=by,
            action=PanelAction.SIG_OUTCOME_RECORDED,
            meeting=meeting,
            issue=issue,
            recommendation=recommendation,
            attending=attending,
            in_favour=in_favour,
            agreed=sig_majority_consensus(attending, in_favour),
        )
    return outcome


def sig_minutes_circulate(
    *, by: User, meeting: SigMeeting, minutes: str, circulated_on: dt.date | None = None
) -> SigMeeting:
    """Minutes no later than 10 Working Days after the meeting (Schedule 7, 7)."""
    ensure_secretariat(by, doing="circulate Standing Issues Group minutes (Schedule 7, 7)")
    circulated_on = circulated_on or today()
    due = within_working_days(
        meeting.meeting_date, SIG_MINUTES_WORKING_DAYS, WorkingDayCalendar.load().closures
    )
    with transaction.atomic():
        meeting.minutes = minutes
        meeting.minutes_circulated_on = circulated_on
        audited_save(
            meeting,
            ["minutes", "minutes_circulated_on"],
            by=by,
            action=PanelAction.SIG_MINUTES_CIRCULATED,
            data={"due": due.isoformat(), "late": circulated_on > due},
        )
    return meeting


def issue_form_mark_converted(*, by: User, issue: IssueForm, change_reference: str) -> IssueForm:
    """Record the Change Proposal raised from the issue (called by the changes app)."""
    with transaction.atomic():
        issue = IssueForm.objects.select_for_update().get(pk=issue.pk)
        if issue.converted_to_reference:
            raise Conflict(
                f"{issue.reference} was already raised as {issue.converted_to_reference}."
            )
        issue.converted_to_reference = change_reference
        issue.status = IssueForm.Status.CONVERTED
        audited_save(
            issue,
            ["converted_to_reference", "status"],
            by=by,
            action=PanelAction.SIG_ISSUE_CONVERTED,
        )
    return issue
