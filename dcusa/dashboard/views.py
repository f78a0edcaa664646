"""The Panel dashboard page and the CSV tables behind its charts. Thin: check, read, render.

Only the dashboard's readers (`board.READERS`, checked on the server for the page and for every
CSV); anonymous visitors are sent to sign in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from panel import access
from panel.calendar import WorkingDayCalendar

from . import board, charts, proposals, stages, votes

only_readers = access.role_required(board.READERS, doing="see the Panel dashboard")


# -- the charts, from the same data as the CSV tables -------------------------------------------


def states_chart(states: Sequence[proposals.StateCount]) -> str:
    total = sum(s.count for s in states)
    summary = "; ".join(f"{s.label}: {s.count}" for s in states) or "none"
    return charts.bar_chart(
        [charts.Bar(s.label, s.count) for s in states],
        chart_id="chart-states",
        title="Change Proposals by state",
        desc=f"{total} proposals on the Change Register. {summary}.",
        unit="proposals",
    )


def stages_chart(rows: Sequence[stages.StageTimes]) -> str:
    return charts.stacked_bar_chart(
        [
            charts.StackedRow(
                label=r.reference,
                segments=[
                    charts.Segment(
                        s.phase, f"{s.label} (from {s.entered_on:%d %b %Y})", s.working_days
                    )
                    for s in r.spans
                ],
                marker=r.plan_marker,
                note=r.plan_label,
            )
            for r in rows
        ],
        legend=[(key, label) for key, label, _ in stages.PHASES],
        chart_id="chart-stages",
        title="Working Days in each stage, against the timetable",
        desc=(
            "One bar per proposal, from submission to today, split by stage of the process; a "
            "black tick marks where the Assessment Process timetable ends. "
            + "; ".join(
                f"{r.reference}: {r.total_working_days} Working Days, {r.plan_label}" for r in rows
            )
        ),
        marker_label="timetable ends",
    )


def turnout_chart(vote: votes.OpenVote) -> str:
    return charts.share_bars(
        [charts.Share(c.label, c.groups_voted, c.eligible_groups) for c in vote.categories],
        chart_id=f"chart-turnout-{vote.pk}",
        title=f"Turnout on {vote.reference}: Groups voted out of Groups eligible",
        desc="; ".join(
            f"{c.label}: {c.groups_voted} of {c.eligible_groups} Groups" for c in vote.categories
        )
        or "No Group on the roll.",
    )


@only_readers
def dashboard(request: HttpRequest) -> HttpResponse:
    data = board.dashboard(timezone.localdate())
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": data,
            "states_svg": states_chart(data.states),
            "stages_svg": stages_chart(data.stage_chart),
            "votes": [(v, turnout_chart(v)) for v in data.votes],
            "phases": stages.PHASES,
            "visible_phases": {k for r in data.stage_chart for k, _, _ in r.by_phase},
            "due_within": proposals.DUE_WITHIN_WORKING_DAYS,
        },
    )


# -- CSV tables ---------------------------------------------------------------------------------


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@only_readers
def proposals_by_state_csv(request: HttpRequest) -> HttpResponse:
    return _csv(
        "proposals-by-state.csv",
        ["State", "State code", "Proposals"],
        [(s.label, s.state, s.count) for s in proposals.proposals_by_state()],
    )


@only_readers
def deadlines_csv(request: HttpRequest) -> HttpResponse:
    rows = proposals.deadlines_due(timezone.localdate(), WorkingDayCalendar.load())
    return _csv(
        "deadlines.csv",
        ["Reference", "Title", "What is due", "Rule", "Due on", "Overdue", "Working Days"],
        [
            (
                r.reference,
                r.title,
                r.what,
                r.rule,
                r.due_on.isoformat(),
                "yes" if r.overdue else "no",
                r.working_days,
            )
            for r in rows
        ],
    )


@only_readers
def stage_times_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = stages.stage_times(today, WorkingDayCalendar.load())
    return _csv(
        "stage-times.csv",
        [
            "Reference",
            "Title",
            "Stage",
            "State",
            "Entered on",
            "Left on",
            "Working Days",
            "Timetable Working Days",
            "Assessment Working Days",
        ],
        [
            (
                r.reference,
                r.title,
                stages.PHASE_LABELS[s.phase],
                s.label,
                s.entered_on.isoformat(),
                s.left_on.isoformat() if s.left_on else "",
                s.working_days,
                "" if r.planned_working_days is None else r.planned_working_days,
                r.assessment_working_days,
            )
            for r in rows
            for s in r.spans
        ],
    )


@only_readers
def turnout_csv(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    open_votes = votes.open_votes(today, WorkingDayCalendar.load())
    return _csv(
        "turnout.csv",
        ["Reference", "Vote", "Closes at", "Party Category", "Groups voted", "Groups eligible"],
        [
            (
                v.reference,
                v.kind_label,
                timezone.localtime(v.closes_at).isoformat(),
                c.label,
                c.groups_voted,
                c.eligible_groups,
            )
            for v in open_votes
            for c in v.categories
        ],
    )
