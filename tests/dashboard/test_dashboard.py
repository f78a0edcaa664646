"""The Panel dashboard ("The Panel at work"): its numbers, who may see it, what it never shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from changes.models import ChangeProposal, Deadline, ProposalEvent, ProposerKind
from changes.states import State
from dcusa import dashboard
from panel.calendar import WorkingDayCalendar, working_days_between
from panel.models import PanelMeeting, Role
from tests.factories import UserFactory, login_verified
from voting.models import Ballot, BallotStatus, Declaration, Election, ElectionStatus

from .factories import cast, open_ballot, proposal, raiser, secretariat

pytestmark = [pytest.mark.django_db]

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "/panel/dashboard/"
CSV_URLS = (
    "/panel/dashboard/proposals-by-state.csv",
    "/panel/dashboard/deadlines.csv",
    "/panel/dashboard/stage-times.csv",
    "/panel/dashboard/turnout.csv",
)


def client_as(role: str) -> Client:
    client = Client()
    if role == Role.SECRETARIAT:
        login_verified(client, secretariat())
    else:
        client.force_login(UserFactory(username=f"u-{role.lower()}", role=role))
    return client


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# -- who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.PANEL_MEMBER, Role.PANEL_ALTERNATE, Role.SECRETARIAT, Role.AUTHORITY]
)
def test_panel_members_alternates_secretariat_and_authority_see_the_dashboard(role):
    client = client_as(role)
    assert client.get(URL).status_code == 200
    for url in CSV_URLS:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", [Role.PUBLIC, Role.PARTY_REPRESENTATIVE, Role.CONSUMER_BODY, Role.OTHER_BODY]
)
def test_everyone_else_is_refused_the_dashboard_and_its_data(role):
    client = client_as(role)
    assert client.get(URL).status_code == 403
    for url in CSV_URLS:
        assert client.get(url).status_code == 403, url


def test_a_refusal_says_who_may_see_the_dashboard():
    response = client_as(Role.CONSUMER_BODY).get(URL)
    assert response.status_code == 403
    assert (
        "Only Panel Members and Alternates, the Secretariat and the Authority may see the Panel "
        "dashboard." in response.content.decode()
    )


def test_anonymous_visitors_are_sent_to_sign_in():
    for url in (URL, *CSV_URLS):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_secretariat_without_its_second_factor_is_sent_to_enter_it():
    client = Client()
    client.force_login(secretariat())
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


# -- proposals by state ----------------------------------------------------------------------------


def test_proposals_by_state_counts_the_register_and_leaves_out_drafts():
    for _ in range(3):
        proposal(State.DEFINITION)
    proposal(State.VOTING)
    proposal(State.DRAFT)
    counts = {s.state: s.count for s in dashboard.proposals_by_state()}
    assert counts == {State.DEFINITION: 3, State.VOTING: 1}

    client = client_as(Role.PANEL_MEMBER)
    html = client.get(URL).content.decode()
    chart = next(s for s in svgs(html) if s.get("id") == "chart-states")
    bars = {
        g.find(f"{SVG_NS}title").text: g
        for g in chart.iter(f"{SVG_NS}g")
        if g.get("class") == "bar"
    }
    assert list(bars) == [
        "Definition Procedure (Working Group): 3 proposals",
        "Voting open: 1 proposals",
    ]
    rows = csv_rows(client.get(CSV_URLS[0]))
    assert [(r["State"], int(r["Proposals"])) for r in rows] == [
        ("Definition Procedure (Working Group)", 3),
        ("Voting open", 1),
    ]
    # The CSV is the chart's data: the same labels and counts, in the same order.
    assert [f"{r['State']}: {r['Proposals']} proposals" for r in rows] == list(bars)


def test_every_chart_is_well_formed_svg_with_a_title_and_a_description():
    proposal(
        State.DEFINITION,
        title="Fish & chips <script>",
        history=[(dt.date(2027, 1, 4), State.DEFINITION)],
    )
    ballot, voters = open_ballot("DCP 901", suppliers=2)
    cast(ballot, voters[0], "accept")
    html = client_as(Role.AUTHORITY).get(URL).content.decode()
    charts = svgs(html)  # ET.fromstring raises on anything not well-formed
    assert {c.get("id") for c in charts} == {
        "chart-states",
        "chart-stages",
        f"chart-turnout-{ballot.pk}",
    }
    for chart in charts:
        assert chart.get("role") == "img"
        title, desc = chart.find(f"{SVG_NS}title"), chart.find(f"{SVG_NS}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "<script>" not in html


# -- deadlines ---------------------------------------------------------------------------------------


def test_a_deadline_before_a_bank_holiday_weekend_is_one_working_day_overdue():
    # Due Friday 28 May 2027; Monday 31 May is the Spring bank holiday; today is Tuesday 1 June.
    late = proposal(State.WITH_PANEL, title="Late one", due_on=dt.date(2027, 5, 28))
    soon = proposal(State.WITH_PANEL, title="Soon one", due_on=dt.date(2027, 6, 11))
    proposal(State.WITH_PANEL, title="Later one", due_on=dt.date(2027, 6, 16))
    drafted = proposal(State.WITH_PANEL, title="Drafted", due_on=dt.date(2027, 5, 1))
    ChangeProposal.objects.filter(pk=drafted.pk).update(status=State.DRAFT)
    with time_machine.travel(dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        rows = dashboard.deadlines_due(timezone.localdate(), WorkingDayCalendar.load())
        html = client_as(Role.PANEL_MEMBER).get(URL).content.decode()
        deadlines = csv_rows(client_as(Role.AUTHORITY).get(CSV_URLS[1]))
    # Tuesday 1 June + 10 Working Days = Tuesday 15 June: the 16 June deadline is not listed.
    assert [(r.reference, r.overdue, r.working_days) for r in rows] == [
        (late.reference, True, 1),
        (soon.reference, False, 8),
    ]
    assert "1 Working Day overdue" in html
    assert "8 Working Days left" in html
    assert "Later one" not in html
    assert [(d["Reference"], d["Overdue"], d["Working Days"]) for d in deadlines] == [
        (late.reference, "yes", "1"),
        (soon.reference, "no", "8"),
    ]


def test_closed_deadlines_are_not_listed():
    p = proposal(State.DEFINITION, due_on=dt.date(2027, 5, 28))
    Deadline.objects.filter(proposal=p).update(closed_on=dt.date(2027, 5, 20), met=True)
    with time_machine.travel(dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert dashboard.deadlines_due(timezone.localdate(), WorkingDayCalendar.load()) == []


# -- stage times ---------------------------------------------------------------------------------------

TIMETABLE = [
    {"stage": "Working Group", "planned": "2027-02-08", "actual": None},
    {"stage": "Change Report", "planned": "2027-02-15", "actual": None},
]


def test_stage_times_count_working_days_per_stage_against_the_timetable():
    # Submitted Mon 4 Jan; with the Panel Mon 11 Jan; accepted Mon 1 Feb; today Mon 1 Mar 2027.
    p = proposal(
        State.DEFINITION,
        history=[
            (dt.date(2027, 1, 4), State.SUBMITTED),
            (dt.date(2027, 1, 11), State.WITH_PANEL),
            (dt.date(2027, 2, 1), State.DEFINITION),
            (dt.date(2027, 2, 10), State.DEFINITION),  # a timetable variation: same stage
        ],
        timetable=TIMETABLE,
        accepted_on=dt.date(2027, 2, 1),
    )
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        (row,) = dashboard.stage_times(timezone.localdate(), WorkingDayCalendar.load())
        client = client_as(Role.PANEL_ALTERNATE)
        html = client.get(URL).content.decode()
        csv_data = csv_rows(client.get(CSV_URLS[2]))
    assert row.reference == p.reference
    assert [(s.state, s.working_days) for s in row.spans] == [
        (State.SUBMITTED, 5),
        (State.WITH_PANEL, 15),
        (State.DEFINITION, 20),
    ]
    assert row.total_working_days == 40
    assert row.planned_working_days == 10  # 1 Feb to 15 Feb 2027
    assert row.assessment_working_days == 20
    assert row.plan_label == "10 over plan"
    assert row.plan_marker == 30
    assert "10 over plan" in html
    assert [(r["State"], r["Working Days"], r["Timetable Working Days"]) for r in csv_data] == [
        ("Submitted: Secretariat check", "5", "10"),
        ("Referred to the Panel", "15", "10"),
        ("Definition Procedure (Working Group)", "20", "10"),
    ]
    chart = next(s for s in svgs(html) if s.get("id") == "chart-stages")
    row_title = next(g for g in chart.iter(f"{SVG_NS}g") if g.get("class") == "row")
    assert row_title.find(f"{SVG_NS}title").text == f"{p.reference}: 40 Working Days"
    # The bar's segments carry the same numbers as the CSV rows.
    segments = [r.find(f"{SVG_NS}title").text for r in row_title.iter(f"{SVG_NS}rect")]
    assert [s.split(": ")[-1] for s in segments] == [
        f"{r['Working Days']} Working Days" for r in csv_data
    ]


def test_stage_times_agree_with_the_calendar_across_holidays():
    history = [(dt.date(2026, 12, 21), State.SUBMITTED), (dt.date(2027, 1, 6), State.WITH_PANEL)]
    proposal(State.WITH_PANEL, history=history, due_on=dt.date(2027, 2, 1))
    today = dt.date(2027, 4, 6)  # after Easter 2027 (Good Friday 26 March, Easter Monday 29)
    (row,) = dashboard.stage_times(today, WorkingDayCalendar.load())
    assert row.spans[0].working_days == working_days_between(history[0][0], history[1][0])
    assert row.spans[1].working_days == working_days_between(history[1][0], today)
    assert row.planned_working_days is None
    assert row.plan_label == "no timetable"


# -- open votes and turnout ------------------------------------------------------------------------


def test_turnout_counts_groups_voted_out_of_groups_eligible_per_category():
    ballot, voters = open_ballot("DCP 902", suppliers=5, dnos=2)
    cast(ballot, voters[0], "accept")
    cast(ballot, voters[1], "reject")
    cast(ballot, voters[1], "accept")  # a change of vote: still one Group
    (vote,) = dashboard.open_votes(timezone.localdate(), WorkingDayCalendar.load())
    assert [(c.category, c.groups_voted, c.eligible_groups) for c in vote.categories] == [
        ("DNO", 0, 2),
        ("SUPPLIER", 2, 5),
    ]
    client = client_as(Role.PANEL_MEMBER)
    html = client.get(URL).content.decode()
    assert "2 of 7 Groups have voted" in html
    chart = next(s for s in svgs(html) if s.get("id") == f"chart-turnout-{ballot.pk}")
    shares = [g.find(f"{SVG_NS}title").text for g in chart.iter(f"{SVG_NS}g")]
    assert shares == ["DNO Parties: 0 of 2", "Supplier Parties: 2 of 5"]
    rows = csv_rows(client.get(CSV_URLS[3]))
    assert [(r["Party Category"], r["Groups voted"], r["Groups eligible"]) for r in rows] == [
        ("DNO Parties", "0", "2"),
        ("Supplier Parties", "2", "5"),
    ]
    assert 'href="/changes/DCP-902/vote/"' in html


def test_turnout_never_reveals_how_a_group_voted():
    label = "Alternative A: the ZEBRA-TARIFF scheme"
    ballot, voters = open_ballot(
        "DCP 903", suppliers=3, options=("proposal", "A"), option_texts={"A": label}
    )
    cast(ballot, voters[0], "A")
    cast(ballot, voters[1], "reject")
    question = ballot.questions.get(kind="variation")
    client = client_as(Role.SECRETARIAT)
    page = client.get(URL).content.decode()
    data = client.get(CSV_URLS[3]).content.decode()
    for text in (page, data):
        assert question.choice_label("A") not in text
        assert "ZEBRA" not in text
        assert "Reject all" not in text
        assert "2 / 3" in text or "2,3" in text
    assert ",Supplier Parties,2,3" in data


def test_a_declared_vote_links_to_its_vote_page_and_leaves_the_open_votes():
    ballot, voters = open_ballot("DCP 904", suppliers=1)
    cast(ballot, voters[0], "accept")
    Ballot.objects.filter(pk=ballot.pk).update(status=BallotStatus.DECLARED)
    Declaration.objects.create(
        ballot=ballot,
        declared_at=timezone.now(),
        variation_outcome="accepted",
        date_outcome="accepted",
        combined_outcome="accepted",
        cases={},
        results={},
        workings={},
    )
    html = client_as(Role.AUTHORITY).get(URL).content.decode()
    assert 'href="/changes/DCP-904/vote/"' in html
    assert "Variation and implementation date accepted" in html
    assert "No vote is open." in html


# -- upcoming ------------------------------------------------------------------------------------------


def test_upcoming_lists_meetings_not_yet_held_with_their_papers():
    meeting = PanelMeeting.objects.create(
        reference="Panel 2027-07",
        meeting_date=dt.date(2027, 7, 14),
        venue="Conference call",
        status=PanelMeeting.Status.NOTICE_GIVEN,
        notice_given_on=dt.date(2027, 7, 1),
    )
    meeting.papers.create(title="DCP 905 Change Report")
    meeting.agenda.create(position=1, title="DCP 905")
    PanelMeeting.objects.create(
        reference="Panel 2027-06",
        meeting_date=dt.date(2027, 6, 9),
        venue="London",
        status=PanelMeeting.Status.HELD,
    )
    PanelMeeting.objects.create(
        reference="Panel 2027-08",
        meeting_date=dt.date(2027, 8, 11),
        venue="London",
        status=PanelMeeting.Status.CANCELLED,
    )
    with time_machine.travel(dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        items = dashboard.upcoming(timezone.localdate())
        html = client_as(Role.PANEL_MEMBER).get(URL).content.decode()
    assert [(u.kind, u.title, u.on) for u in items] == [
        ("Panel meeting", "Panel 2027-07", dt.date(2027, 7, 14))
    ]
    assert "1 agenda item, 1 paper" in items[0].detail
    assert f'href="/panel/meetings/{meeting.pk}/"' in html


def test_the_dashboard_shows_panel_elections_from_the_elections_selector():
    election = Election.objects.create(
        year=2027,
        category="SUPPLIER",
        role="MEMBER",
        seat_numbers=[1],
        vacancy_date=dt.date(2027, 10, 1),
        nominations_close=dt.date(2027, 8, 6),
        candidates_notice_by=dt.date(2027, 8, 20),
        planned_voting_closes=dt.date(2027, 9, 3),
        status=ElectionStatus.NOMINATIONS,
    )
    with time_machine.travel(dt.datetime(2027, 8, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        board = dashboard.dashboard(timezone.localdate())
        html = client_as(Role.PANEL_MEMBER).get(URL).content.decode()
    [shown] = board.elections
    assert shown.title == str(election)
    assert (shown.opens_at, shown.closes_at) == (dt.date(2027, 8, 20), dt.date(2027, 9, 3))
    assert f'href="/elections/{election.pk}/"' in html
    assert f">{str(election)}</a>" in html
    assert "Nominations open (6.2.1)" in html
    assert "Fri 20 Aug 2027 to Fri 3 Sep 2027" in html
    assert "No Panel election under way." not in html


def test_without_elections_the_dashboard_says_so():
    html = client_as(Role.AUTHORITY).get(URL).content.decode()
    assert "No Panel election under way." in html


# -- bounded queries -------------------------------------------------------------------------------------


def test_the_dashboard_costs_the_same_queries_for_200_proposals(django_assert_max_num_queries):
    user = raiser()
    start = dt.date(2027, 1, 4)
    proposals = ChangeProposal.objects.bulk_create(
        ChangeProposal(
            raised_by=user,
            proposer_kind=ProposerKind.CONSUMER_BODY,
            proposer_name="Consumer Body",
            title=f"Proposal {i}",
            number=1000 + i,
            status=[State.DEFINITION, State.REPORT_ISSUED, State.VOTING, State.IMPLEMENTED][i % 4],
            timetable=TIMETABLE,
            accepted_on=dt.date(2027, 2, 1),
        )
        for i in range(200)
    )
    ProposalEvent.objects.bulk_create(
        ProposalEvent(proposal=p, on=start + dt.timedelta(days=7 * k), action="test", to_state=s)
        for p in proposals
        for k, s in enumerate([State.SUBMITTED, State.WITH_PANEL, State.DEFINITION])
    )
    Deadline.objects.bulk_create(
        Deadline(
            proposal=p,
            state=p.status,
            what="Timetable: Change Report",
            rule="11.10-11.13",
            opened_on=start,
            due_on=dt.date(2027, 2, 26) + dt.timedelta(days=i % 20),
        )
        for i, p in enumerate(proposals)
    )
    for reference in ("DCP 990", "DCP 991"):
        ballot, voters = open_ballot(reference, suppliers=3, dnos=1)
        cast(ballot, voters[0], "accept")
    PanelMeeting.objects.create(
        reference="Panel 2027-03",
        meeting_date=dt.date(2027, 3, 17),
        venue="London",
        notice_given_on=dt.date(2027, 3, 1),
    )
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=True):
        client = client_as(Role.SECRETARIAT)
        with django_assert_max_num_queries(20):
            response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        for url in CSV_URLS:
            with django_assert_max_num_queries(10):
                assert client.get(url).status_code == 200
    assert "Showing the 20 furthest behind of 150" in html
    assert html.count('class="row"') == 20
