"""What awaits the Authority: every matter on which it must or may act, with its deadline in
Working Days (10.2.5, 10.17-10.21, 11.9A, 11.12, 11.21, 11.22.2, 13.9-13.22, 14.9-14.11).

Pure query code: one query per kind of matter, whatever the number of proposals, then plain
rows for the page. The forms the rows link to are `changes.views.authority`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from panel.calendar import WorkingDayCalendar

from .models import AppealRecord, ChangeProposal, ChangeReport
from .states import ASSESSMENT_TIMETABLE_STATES, BEFORE_VOTE, State

REPORT_STATES = (State.REPORT_PHASE, State.REPORT_ISSUED, State.DATE_REASSESSMENT)
WAIT = dt.timedelta(days=7)  # 11.22.2: calendar days, not Working Days


@dataclass(frozen=True)
class Matter:
    """One row of "Awaiting the Authority"."""

    kind: str  # the heading it is listed under
    must: bool  # the Authority must act (else it may)
    reference: str
    slug: str
    title: str
    what: str  # what the Authority is asked to do, in plain words
    clause: str
    since: dt.date | None
    due_on: dt.date | None
    due_words: str  # the deadline as the agreement puts it
    waiting_days: int | None  # Working Days since `since`
    url: str
    action: str  # the link's words


def _slug(p: ChangeProposal) -> str:
    return f"DCP-{p.number}"


def _row(
    cal: WorkingDayCalendar,
    today: dt.date,
    p: ChangeProposal,
    *,
    kind: str,
    must: bool,
    what: str,
    clause: str,
    since: dt.date | None,
    due_on: dt.date | None,
    due_words: str,
    url: str,
    action: str,
) -> Matter:
    return Matter(
        kind=kind,
        must=must,
        reference=p.reference,
        slug=_slug(p),
        title=p.title,
        what=what,
        clause=clause,
        since=since,
        due_on=due_on,
        due_words=due_words,
        waiting_days=cal.working_days_between(since, today) if since else None,
        url=url,
        action=action,
    )


def _entered(state: State) -> QuerySet[ChangeProposal]:
    """Proposals in `state`, each with the day it entered it (`since`)."""
    return (
        ChangeProposal.objects.filter(status=state)
        .select_related("current_deadline")
        .annotate(since=Max("events__on", filter=Q(events__to_state=state)))
        .order_by("number")
    )


def part1_decisions(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Part 1 Matters whose vote is declared: accept, reject or send back (13.9-13.12)."""
    return [
        _row(
            cal,
            today,
            p,
            kind="Part 1 decisions",
            must=True,
            what="Decide whether to accept or reject, or send the Change Report back",
            clause="13.9-13.12",
            since=getattr(p, "since", None) or p.submitted_on,
            due_on=p.current_deadline.due_on if p.current_deadline else None,
            due_words="No time limit is set by the agreement (13.9)",
            url=reverse("changes:authority_decide", args=[_slug(p)]),
            action=f"Decide {p.reference}",
        )
        for p in _entered(State.AWAITING_AUTHORITY)
    ]


def appeals_pending(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Appeals lodged against a Part 2 acceptance or rejection, not yet decided (13.17-13.22)."""
    appeals = (
        AppealRecord.objects.filter(outcome="", proposal__status=State.UNDER_APPEAL)
        .select_related("proposal")
        .order_by("lodged_on", "pk")
    )
    return [
        _row(
            cal,
            today,
            a.proposal,
            kind="Appeals",
            must=True,
            what=f"Decide the appeal by {a.appellant_name} against its {a.against or 'decision'}",
            clause="13.20-13.22",
            since=a.lodged_on,
            due_on=None,
            due_words="No time limit is set by the agreement (13.20)",
            url=reverse("changes:authority_appeal", args=[_slug(a.proposal), a.pk]),
            action=f"Decide the appeal by {a.appellant_name}",
        )
        for a in appeals
    ]


def referrals(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Refused proposals whose Proposer asked the Authority to direct acceptance (10.17-10.21):
    within 10 Working Days of the request."""
    rows = []
    for p in _entered(State.REFERRED_TO_AUTHORITY):
        since = getattr(p, "since", None) or p.submitted_on
        due = p.current_deadline.due_on if p.current_deadline else None
        if due is None and since is not None:
            due = cal.add_working_days(since, 10)
        rows.append(
            _row(
                cal,
                today,
                p,
                kind="Refusals referred to the Authority",
                must=True,
                what="Direct the Panel to accept the proposal, or decline to",
                clause="10.21",
                since=since,
                due_on=due,
                due_words="Within 10 Working Days of the Proposer's request (10.21)",
                url=reverse("changes:authority_direct", args=[_slug(p), "direct-acceptance"]),
                action=f"Direct on {p.reference}",
            )
        )
    return rows


def authority_change_proposals(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Proposals the Authority raised (10.2.5) before the Panel has a timetable from it
    (11.9A)."""
    proposals = ChangeProposal.objects.filter(
        proposer_kind="authority",
        status__in=[State.SUBMITTED, State.WITH_PANEL, *ASSESSMENT_TIMETABLE_STATES],
        timetable_fixed_by_authority=False,
    ).order_by("number")
    return [
        _row(
            cal,
            today,
            p,
            kind="Authority Change Proposals",
            must=True,
            what="Set the timetable and, if it wishes, the implementation date",
            clause="10.2.5, 11.9A",
            since=p.submitted_on,
            due_on=None,
            due_words="Before the Panel sets its own timetable (11.9A, 11.10)",
            url=reverse("changes:detail", args=[_slug(p)]),
            action=f"Open {p.reference}",
        )
        for p in proposals
    ]


def timetable_variations(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Panel variations of a timetable the Authority may veto (11.12)."""
    proposals = (
        ChangeProposal.objects.filter(status__in=ASSESSMENT_TIMETABLE_STATES)
        .exclude(previous_timetable=[])
        .annotate(since=Max("events__on", filter=Q(events__action="vary_timetable")))
        .order_by("number")
    )
    return [
        _row(
            cal,
            today,
            p,
            kind="Timetable variations",
            must=False,
            what="The Panel varied the timetable: the Authority may veto the variation",
            clause="11.12",
            since=getattr(p, "since", None),
            due_on=None,
            due_words="While the Assessment Process runs (11.12)",
            url=reverse("changes:authority_direct", args=[_slug(p), "veto-timetable"]),
            action=f"Veto or keep the variation on {p.reference}",
        )
        for p in proposals
    ]


def reports_waiting(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Change Reports provided to the Authority whose 7-day wait before the vote has not yet
    run out; the Authority may exempt them (11.22.2)."""
    reports = (
        ChangeReport.objects.filter(
            sent_to_authority_on__isnull=False,
            sent_to_authority_on__gt=today - WAIT,
            authority_exempted_wait=False,
            proposal__status__in=REPORT_STATES,
        )
        .select_related("proposal")
        .order_by("sent_to_authority_on", "pk")
    )
    rows = []
    for r in reports:
        sent = r.sent_to_authority_on
        assert sent is not None
        rows.append(
            _row(
                cal,
                today,
                r.proposal,
                kind="Change Reports before the vote",
                must=False,
                what=f"Version {r.version} of the Change Report: the Authority may exempt it "
                "from the 7-day wait before the vote",
                clause="11.22.2",
                since=sent,
                due_on=sent + WAIT,
                due_words="The wait ends 7 days after it was provided (11.22.2)",
                url=reverse("changes:authority_waive_wait", args=[_slug(r.proposal), r.version]),
                action=f"Exempt version {r.version} of {r.proposal.reference}",
            )
        )
    return rows


def implementation_dates(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Accepted variations awaiting implementation: the Authority may direct a new date on
    the Panel's request, Party representations or its own proposal (14.9-14.11)."""
    proposals = (
        ChangeProposal.objects.filter(status__in=[State.APPROVED, State.IMPLEMENTING])
        .select_related("implementation_plan")
        .order_by("number")
    )
    rows = []
    for p in proposals:
        plan = getattr(p, "implementation_plan", None)
        due = plan.implementation_date if plan is not None else p.proposed_implementation_date
        rows.append(
            _row(
                cal,
                today,
                p,
                kind="Implementation dates",
                must=False,
                what="Direct a new implementation date, if asked",
                clause="14.9-14.11",
                since=p.decided_on,
                due_on=due,
                due_words="The implementation date as it stands",
                url=reverse("changes:authority_implementation_date", args=[_slug(p)]),
                action=f"Direct a new date for {p.reference}",
            )
        )
    return rows


def part_opinions(cal: WorkingDayCalendar, today: dt.date) -> list[Matter]:
    """Proposals before the vote on which the Authority has given no Part 1 / Part 2 opinion
    (11.21)."""
    proposals = ChangeProposal.objects.filter(
        status__in=sorted(BEFORE_VOTE), authority_part_opinion__isnull=True
    ).order_by("number")
    return [
        _row(
            cal,
            today,
            p,
            kind="Part 1 or Part 2 opinions",
            must=False,
            what=f"The Panel treats it as a Part {p.part} Matter"
            if p.part
            else "The Panel has not yet said whether it is a Part 1 or Part 2 Matter",
            clause="11.21",
            since=p.submitted_on,
            due_on=None,
            due_words="Before the Change Report is submitted to the vote (11.21)",
            url=reverse("changes:authority_direct", args=[_slug(p), "part-opinion"]),
            action=f"Give an opinion on {p.reference}",
        )
        for p in proposals
    ]


KINDS = (
    part1_decisions,
    appeals_pending,
    referrals,
    authority_change_proposals,
    timetable_variations,
    reports_waiting,
    implementation_dates,
    part_opinions,
)


def awaiting_authority(today: dt.date) -> list[Matter]:
    """Every matter awaiting the Authority, grouped by kind (must-act kinds first), each kind
    in the order the matters arose."""
    cal = WorkingDayCalendar.load()
    return [row for kind in KINDS for row in kind(cal, today)]
