"""Pages: restricted meeting pages, the public register, public minutes, SIG pages."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.models import MeetingPaper, PanelMeeting, Resolution
from panel.services import (
    AttendanceEntry,
    attendance_record,
    issue_form_raise,
    minutes_approve,
    minutes_circulate,
    sig_meeting_schedule,
)
from tests.factories import UserFactory, login_verified, make_representative, party_in

from .factories import PanelMeetingFactory

pytestmark = [pytest.mark.django_db]
D = dt.date


def test_meeting_pages_are_for_the_panel_and_secretariat(client, panel):
    meeting = PanelMeetingFactory()
    assert client.get("/panel/meetings/").status_code == 302
    client.force_login(UserFactory(username="someone"))
    assert client.get(f"/panel/meetings/{meeting.pk}/").status_code == 403
    client.force_login(panel.m("dno1").person)
    page = client.get(f"/panel/meetings/{meeting.pk}/")
    assert page.status_code == 200
    assert "No quorum" in page.content.decode()
    assert client.get(f"/panel/meetings/{meeting.pk}/resolutions/new/").status_code == 403


def test_resolution_page_refuses_without_quorum_and_says_why(client, secretariat, panel):
    meeting = PanelMeetingFactory()
    attendance_record(
        by=secretariat,
        meeting=meeting,
        entries=[AttendanceEntry(panel.m(k)) for k in ["dno1", "dno2", "idno", "cva"]],
    )
    login_verified(client, secretariat)
    response = client.post(
        f"/panel/meetings/{meeting.pk}/resolutions/new/",
        {"kind": "GENERAL", "title": "Anything"},
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 409
    assert "No business may be transacted without a quorum (7.10)" in text
    assert "no Panel Member elected by the Supplier Parties is present (7.10)" in text
    assert not Resolution.objects.exists()


def test_secretariat_takes_a_resolution_through_the_form(client, secretariat, panel):
    meeting = PanelMeetingFactory()
    attendance_record(
        by=secretariat,
        meeting=meeting,
        entries=[AttendanceEntry(m) for m in panel.members.values()],
    )
    login_verified(client, secretariat)
    data = {"kind": "GENERAL", "title": "Approve the budget"}
    data.update({f"vote_{m.pk}": "FOR" for m in panel.members.values()})
    response = client.post(f"/panel/meetings/{meeting.pk}/resolutions/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/panel/meetings/{meeting.pk}/").content.decode()
    assert "Approve the budget" in page and "Passed" in page


def test_secretariat_schedules_a_meeting_through_the_form(client, secretariat):
    login_verified(client, secretariat)
    response = client.post(
        "/panel/meetings/new/",
        {
            "reference": "Panel 2099-01",
            "meeting_date": "2099-01-14",
            "starts_at": "10:00",
            "venue": "London",
            "agenda": "Minutes\n[C] Legal advice",
            "papers": "Budget | https://example.com/b.pdf\n[C] Advice",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = PanelMeeting.objects.get(reference="Panel 2099-01")
    assert meeting.papers.filter(confidential=True).count() == 1


def test_public_register_shows_names_category_employer_term_but_no_contact_details(client, panel):
    page = client.get("/panel/members/").content.decode()
    assert "Member dno1" in page and "Alternate sup2" in page
    assert "DNO1 Employer plc" in page
    assert "1 December 2027" in page
    assert "@example.com" not in page


def test_public_minutes_hide_confidential_minutes_and_papers(client, secretariat):
    a = PanelMeetingFactory(meeting_date=D(2026, 1, 14), status=PanelMeeting.Status.HELD)
    b = PanelMeetingFactory(meeting_date=D(2026, 2, 11), status=PanelMeeting.Status.HELD)
    MeetingPaper.objects.create(meeting=a, title="Open budget paper")
    MeetingPaper.objects.create(meeting=a, title="Secret legal advice", confidential=True)
    open_minutes = minutes_circulate(
        by=secretariat, meeting=a, text="Open minutes", circulated_on=D(2026, 1, 15)
    )
    secret = minutes_circulate(
        by=secretariat,
        meeting=b,
        text="Secret minutes",
        confidential=True,
        circulated_on=D(2026, 2, 12),
    )
    unapproved = minutes_circulate(
        by=secretariat,
        meeting=PanelMeetingFactory(meeting_date=D(2026, 3, 11)),
        text="Draft",
        circulated_on=D(2026, 3, 12),
    )
    c = PanelMeetingFactory(meeting_date=D(2026, 4, 8))
    minutes_approve(by=secretariat, minutes=open_minutes, at_meeting=b)
    minutes_approve(by=secretariat, minutes=secret, at_meeting=c)
    listing = client.get("/panel/minutes/").content.decode()
    assert a.reference in listing and b.reference not in listing
    detail = client.get(f"/panel/minutes/{open_minutes.pk}/").content.decode()
    assert "Open budget paper" in detail and "Secret legal advice" not in detail
    assert client.get(f"/panel/minutes/{secret.pk}/").status_code == 404
    assert client.get(f"/panel/minutes/{unapproved.pk}/").status_code == 404


def test_party_representative_raises_an_issue(client):
    party = party_in("SUPPLIER", name="Raising Energy Ltd")
    rep = make_representative(party)
    client.force_login(rep)
    response = client.post(
        "/panel/sig/raise/", {"party": party.pk, "title": "An issue", "description": "Details"}
    )
    assert response.status_code == 302
    listing = client.get("/panel/sig/").content.decode()
    assert "An issue" in listing


def test_a_user_representing_no_party_cannot_raise_an_issue(client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/panel/sig/raise/").status_code == 403


def test_public_register_query_count_does_not_grow_with_members(
    client, panel, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client.get("/panel/members/").status_code == 200


# --- odd input: refused by the form or answered 404, never a 500 ---


@pytest.mark.parametrize(
    "path",
    [
        "/panel/meetings/abc/",
        "/panel/meetings/99999999999999999999/",
        "/panel/meetings/99999999999999999999/attendance/",
        "/panel/meetings/99999999999999999999/minutes/approve/",
        "/panel/minutes/99999999999999999999/",
        "/panel/sig/issues/99999999999999999999/outcome/",
        "/panel/sig/meetings/99999999999999999999/",
        "/parties/no-such-party/",
    ],
)
def test_odd_or_huge_ids_in_urls_are_not_found(client, secretariat, path):
    login_verified(client, secretariat)
    assert client.get(path).status_code == 404


def test_odd_register_queries_show_the_register(client):
    party_in("SUPPLIER", name="Querying Energy")
    for query in ["?page=abc", "?page=99999999999999999999", "?category=NOPE", "?q=" + "x" * 500]:
        response = client.get("/parties/" + query)
        assert response.status_code == 200, query


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2999-01-01", "9999-12-31"])
def test_dates_far_in_the_past_or_future_are_refused_next_to_the_field(client, secretariat, day):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    party = party_in("SUPPLIER", name="Observing Energy")
    login_verified(client, secretariat)
    response = client.post(
        f"/panel/meetings/{meeting.pk}/observers/new/",
        {"name": "Obs", "party": party.pk, "notice_given_on": day},
    )
    assert response.status_code == 200
    assert "notice_given_on" in response.context["form"].errors
    assert not meeting.observers.exists()
    scheduled = client.post(
        "/panel/sig/meetings/new/",
        {"reference": "SIG odd", "meeting_date": day, "notice_given_on": "2026-12-01"},
    )
    assert "meeting_date" in scheduled.context["form"].errors


@pytest.mark.parametrize("odd", ["abc", "99999999999999999999", "-1", "1.5"])
def test_odd_ids_in_forms_are_refused_next_to_the_field(client, secretariat, panel, odd):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    login_verified(client, secretariat)
    observer = client.post(
        f"/panel/meetings/{meeting.pk}/observers/new/",
        {"name": "Obs", "party": odd, "notice_given_on": "2026-12-31"},
    )
    assert "party" in observer.context["form"].errors
    written = client.post(
        "/panel/resolutions/written/new/",
        {"kind": "GENERAL", "title": "x", "target_ids": odd, "signed_for": [odd]},
    )
    errors = written.context["form"].errors
    assert "target_ids" in errors and "signed_for" in errors
    assert not Resolution.objects.exists() and not meeting.observers.exists()


def test_a_huge_attendance_count_is_refused_next_to_the_field(client, secretariat):
    party = party_in("SUPPLIER", name="Raising Energy Ltd")
    issue = issue_form_raise(
        by=make_representative(party), title="Odd", description="d", party=party
    )
    sig = sig_meeting_schedule(
        by=secretariat,
        reference="SIG odd",
        meeting_date=D(2027, 1, 13),
        notice_given_on=D(2026, 12, 1),
    )
    login_verified(client, secretariat)
    response = client.post(
        f"/panel/sig/issues/{issue.pk}/outcome/",
        {"meeting": sig.pk, "recommendation": "x", "attending": 10**12, "in_favour": 10**12},
    )
    assert response.status_code == 200
    assert {"attending", "in_favour"} <= set(response.context["form"].errors)
