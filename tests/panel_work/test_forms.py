"""The Secretariat's forms for the Panel at work: each works end to end, refusals show the rule
next to the field, and only the Secretariat may use them (Clause 7, Schedule 7)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.urls import reverse

from panel.errors import DomainError
from panel.models import (
    AgendaItem,
    IssueForm,
    MeetingAttendance,
    PanelChair,
    PanelMeeting,
    PanelMinutes,
    PanelVacancy,
    Resolution,
    SigMeeting,
    SigOutcome,
)
from panel.services import (
    AttendanceEntry,
    attendance_record,
    issue_form_raise,
    minutes_circulate,
    sig_meeting_schedule,
    written_resolution_take,
)
from tests.factories import login_verified, make_representative, party_in

from .factories import PanelMeetingFactory

pytestmark = [pytest.mark.django_db]
D = dt.date


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False)


def text(response) -> str:
    return html.unescape(response.content.decode())


def error_for(response, field: str) -> str:
    """The error shown next to `field` (the form template puts it beside the input)."""
    found = re.search(rf'id="error-{field}">(.*?)</span>', text(response), re.S)
    assert found, f"no error next to {field}: {text(response)[:3000]}"
    return found.group(1)


def url(name: str, *args) -> str:
    return reverse(f"panel_work:{name}", args=args)


@pytest.fixture
def sec_client(client, secretariat):
    return login_verified(client, secretariat)


# --- attendance before the meeting (7.19, 6.8.2) ---


def test_attendance_is_refused_before_the_meeting_day_and_the_meeting_stays_convened(
    secretariat, panel
):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 13))
    everyone_but_one = [AttendanceEntry(m) for k, m in panel.members.items() if k != "cva"]
    with at(D(2027, 1, 12)), pytest.raises(DomainError) as refused:
        attendance_record(by=secretariat, meeting=meeting, entries=everyone_but_one)
    assert "attendance is recorded once the meeting is held, not before" in str(refused.value)
    assert "Wednesday 13 January 2027" in str(refused.value)
    meeting.refresh_from_db()
    assert meeting.status == PanelMeeting.Status.NOTICE_GIVEN
    assert not MeetingAttendance.objects.exists() and not PanelVacancy.objects.exists()
    with at(D(2027, 1, 13)):
        attendance_record(by=secretariat, meeting=meeting, entries=everyone_but_one)
    meeting.refresh_from_db()
    assert meeting.status == PanelMeeting.Status.HELD


def test_attendance_form_before_the_meeting_says_why_and_records_nothing(
    client, secretariat, panel
):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 13))
    data = {f"present_{m.pk}": "on" for m in panel.members.values()}
    with at(D(2027, 1, 8)):
        sec_client = login_verified(client, secretariat)  # the session lives in travelled time
        response = sec_client.post(url("attendance", meeting.pk), data)
    assert response.status_code == 200
    assert "attendance is recorded once the meeting is held, not before (7.19" in text(response)
    meeting.refresh_from_db()
    assert meeting.status == PanelMeeting.Status.NOTICE_GIVEN
    assert not meeting.attendance.exists()


# --- minutes (7.7.3, 7.21-7.22, 5.3.10, 57.1) ---


def test_minutes_drafted_circulated_objected_approved_and_published_through_the_forms(
    client, secretariat, panel
):
    held = PanelMeetingFactory(meeting_date=D(2027, 1, 13), status=PanelMeeting.Status.HELD)
    nxt = PanelMeetingFactory(meeting_date=D(2027, 2, 10))
    AgendaItem.objects.create(meeting=nxt, position=1, title="Budget")
    with at(D(2027, 1, 14)):
        sec_client = login_verified(client, secretariat)
        r = sec_client.post(url("minutes_edit", held.pk), {"text": "The Panel met."})
        assert r.status_code == 302, text(r)[:2000]
        page = text(sec_client.get(url("meeting_detail", held.pk)))
        assert "Draft, not yet circulated" in page
        assert url("minutes_circulate", held.pk) in page
        r = sec_client.post(url("minutes_circulate", held.pk), {"circulated_on": "2027-01-15"})
        assert r.status_code == 302, text(r)[:2000]
    minutes = PanelMinutes.objects.get(meeting=held)
    assert minutes.circulated_on == D(2027, 1, 15) and minutes.published_on is None
    # Five Working Days from Friday 15 January end on Friday 22 January (7.22).
    r = sec_client.post(
        url("minutes_objection_new", held.pk),
        {"member": panel.m("sup1").pk, "items": "Item 3", "received_on": "2027-01-22"},
    )
    assert r.status_code == 302, text(r)[:2000]
    first = nxt.agenda.order_by("position").first()
    assert first.minutes_objection and "Member sup1" in first.title
    late = sec_client.post(
        url("minutes_objection_new", held.pk),
        {"member": panel.m("sup2").pk, "items": "Item 4", "received_on": "2027-01-25"},
    )
    assert "the last day was Friday 22 January 2027" in error_for(late, "received_on")
    assert minutes.objections.count() == 1
    r = sec_client.post(url("minutes_approve", held.pk), {"at_meeting": nxt.pk})  # publish off
    assert r.status_code == 302, text(r)[:2000]
    minutes.refresh_from_db()
    assert minutes.approved_at == nxt and minutes.published_on is None
    assert minutes.pk not in [m.pk for m in client.get(url("minutes_list")).context["minutes"]]
    r = sec_client.post(url("minutes_publish", held.pk), {"published_on": "2027-02-11"})
    assert r.status_code == 302, text(r)[:2000]
    minutes.refresh_from_db()
    assert minutes.published_on == D(2027, 2, 11)
    client.logout()
    assert "The Panel met." in text(client.get(url("minutes_detail", minutes.pk)))


def test_minutes_refusals_show_the_rule(client, secretariat):
    held = PanelMeetingFactory(meeting_date=D(2027, 1, 13), status=PanelMeeting.Status.HELD)
    later = PanelMeetingFactory(meeting_date=D(2027, 2, 10))
    with at(D(2027, 1, 12)):
        sec_client = login_verified(client, secretariat)
        early = sec_client.post(url("minutes_edit", held.pk), {"text": "Too soon"})
    assert "Minutes are kept of a meeting held (7.7.3)" in error_for(early, "text")
    with at(D(2027, 1, 14)):
        login_verified(client, secretariat)
        sec_client.post(url("minutes_edit", held.pk), {"text": "Secret", "confidential": "on"})
    not_circulated = sec_client.post(url("minutes_approve", held.pk), {"at_meeting": later.pk})
    assert "have not been circulated" in error_for(not_circulated, "at_meeting")
    minutes = minutes_circulate(
        by=secretariat,
        meeting=held,
        text="Secret",
        confidential=True,
        circulated_on=D(2027, 1, 14),
    )
    with at(D(2027, 1, 20)):
        login_verified(client, secretariat)
        edit = sec_client.post(url("minutes_edit", held.pk), {"text": "Rewritten"})
    assert "goes first on the next agenda (7.22)" in error_for(edit, "text")
    sec_client.post(url("minutes_approve", held.pk), {"at_meeting": later.pk, "publish": "on"})
    minutes.refresh_from_db()
    assert minutes.approved_on == D(2027, 2, 10) and minutes.published_on is None
    publish = sec_client.post(url("minutes_publish", held.pk), {"published_on": "2027-02-11"})
    assert "stay off the Website (57.1)" in error_for(publish, "published_on")
    minutes.refresh_from_db()
    assert minutes.published_on is None and minutes.text == "Secret"


# --- agenda additions and observers (7.12.2, 7.18) ---


def test_agenda_addition_form_needs_three_working_days(sec_client, panel):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    ok = sec_client.post(
        url("agenda_item_new", meeting.pk),
        {"requested_by": panel.m("dno1").pk, "title": "Extra", "requested_on": "2026-12-30"},
    )
    assert ok.status_code == 302, text(ok)[:2000]
    late = sec_client.post(
        url("agenda_item_new", meeting.pk),
        {"requested_by": panel.m("dno1").pk, "title": "Too late", "requested_on": "2026-12-31"},
    )
    assert "the last day was Wednesday 30 December 2026" in error_for(late, "requested_on")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Extra"]


def test_only_a_panel_member_adds_an_agenda_item(sec_client, panel):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    response = sec_client.post(
        url("agenda_item_new", meeting.pk),
        {
            "requested_by": panel.a("dno1").pk,
            "title": "By an Alternate",
            "requested_on": "2026-12-1",
        },
    )
    assert "requested_by" in response.context["form"].errors
    assert not meeting.agenda.exists()


def test_observer_form_needs_two_working_days_notice(sec_client):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    party = party_in("SUPPLIER", name="Observing Energy")
    ok = sec_client.post(
        url("observer_new", meeting.pk),
        {"name": "Obs", "party": party.pk, "notice_given_on": "2026-12-31"},
    )
    assert ok.status_code == 302, text(ok)[:2000]
    late = sec_client.post(
        url("observer_new", meeting.pk),
        {"name": "Late", "party": party.pk, "notice_given_on": "2027-01-04"},
    )
    assert "two Working Days' notice" in error_for(late, "notice_given_on")
    assert list(meeting.observers.values_list("name", flat=True)) == ["Obs"]
    assert "Obs (Observing Energy)" in text(sec_client.get(url("meeting_detail", meeting.pk)))


# --- written resolutions (7.20) ---


def test_written_resolution_form_needs_every_panel_members_signature(sec_client, panel):
    members = list(panel.members.values())
    short = sec_client.post(
        url("written_resolution_new"),
        {
            "kind": "GENERAL",
            "title": "Budget by e-mail",
            "decided_on": "2026-11-20",
            "signed_for": [m.pk for m in members[:-1]],
        },
    )
    assert short.status_code == 200
    message = error_for(short, "signed_for")
    assert "signed by or on behalf of all the Panel Members (7.20)" in message
    assert "Member cva" in message
    assert not Resolution.objects.exists()
    ok = sec_client.post(
        url("written_resolution_new"),
        {
            "kind": "GENERAL",
            "title": "Budget by e-mail",
            "decided_on": "2026-11-20",
            "signed_for": [m.pk for m in members],
        },
    )
    assert ok.status_code == 302, text(ok)[:2000]
    resolution = Resolution.objects.get()
    assert resolution.written and resolution.passed and resolution.votes.count() == 6
    assert "Budget by e-mail" in text(sec_client.get(url("written_resolution_list")))


def test_the_service_still_records_an_unsigned_written_resolution_as_not_passed(secretariat, panel):
    resolution = written_resolution_take(
        by=secretariat, kind="GENERAL", title="x", signed_for=[panel.m("dno1").pk]
    )
    assert not resolution.passed


# --- requisitioned meetings (7.12.1) ---


def requisition(client, panel, notice_given_on: str):
    return client.post(
        url("meeting_requisition"),
        {
            "requisitioned_by": panel.m("dno1").pk,
            "requisition_received_on": "2026-12-23",
            "notice_given_on": notice_given_on,
            "reference": "Panel req",
            "meeting_date": "2027-01-20",
            "starts_at": "10:00",
            "venue": "Call",
            "agenda": "Matter requisitioned",
        },
    )


def test_requisitioned_meeting_form_convenes_within_five_working_days(client, secretariat, panel):
    with at(D(2027, 1, 4)):
        sec_client = login_verified(client, secretariat)
        # Received Wednesday 23 December: the fifth Working Day after is Monday 4 January.
        late = requisition(sec_client, panel, "2027-01-08")
        assert "notice was due by Monday 4 January 2027" in error_for(late, "notice_given_on")
        assert not PanelMeeting.objects.exists()
        ok = requisition(sec_client, panel, "2027-01-04")
    assert ok.status_code == 302, text(ok)[:2000]
    meeting = PanelMeeting.objects.get(reference="Panel req")
    assert meeting.requisitioned_by == panel.m("dno1")
    assert meeting.requisition_received_on == D(2026, 12, 23)
    assert "Requisitioned by" in text(sec_client.get(url("meeting_detail", meeting.pk)))


# --- the Panel Chair (7.1-7.4) ---


def held_with(secretariat, panel, keys):
    meeting = PanelMeetingFactory(meeting_date=D(2026, 3, 18))
    attendance_record(
        by=secretariat, meeting=meeting, entries=[AttendanceEntry(panel.m(k)) for k in keys]
    )
    return meeting


def chair_vote(client, meeting, panel, candidate, votes, **extra):
    data = {"candidate": panel.m(candidate).pk, **extra}
    data.update({f"vote_{panel.m(k).pk}": v for k, v in votes.items()})
    return client.post(url("panel_chair_new", meeting.pk), data)


def test_panel_chair_appointed_by_a_majority_of_the_panel_members(sec_client, secretariat, panel):
    meeting = held_with(secretariat, panel, list(panel.members))
    votes = dict(zip(panel.members, ["FOR", "FOR", "FOR", "FOR", "AGAINST", "ABSTAIN"]))
    response = chair_vote(sec_client, meeting, panel, "idno", votes)
    assert response.status_code == 302, text(response)[:2000]
    chair = PanelChair.objects.get(ended_on__isnull=True)
    assert chair.appointment == panel.m("idno") and chair.resolution.kind == "PANEL_CHAIR"
    assert chair.resolution.votes.count() == 6  # 7.23
    listing = text(sec_client.get(url("meeting_list")))
    assert "Panel Chair (7.1): Member idno" in listing


def test_panel_chair_needs_a_majority_of_all_members_not_only_those_present(
    sec_client, secretariat, panel
):
    present = ["dno1", "dno2", "idno", "sup1", "sup2"]  # cva absent: 5 of 6 present
    meeting = held_with(secretariat, panel, present)
    votes = dict(zip(present, ["FOR", "FOR", "FOR", "AGAINST", "AGAINST"]))
    response = chair_vote(sec_client, meeting, panel, "dno1", votes)
    assert response.status_code == 302
    assert not PanelChair.objects.exists()
    resolution = Resolution.objects.get(kind="PANEL_CHAIR")
    assert not resolution.passed
    assert "a simple majority of all the Panel Members, 4 (7.1)" in resolution.outcome
    assert "Not appointed: 3 of the 6" in text(sec_client.get(url("meeting_detail", meeting.pk)))


def test_panel_chair_tie_fails_no_casting_vote(sec_client, secretariat, panel):
    meeting = held_with(secretariat, panel, list(panel.members))
    votes = dict(zip(panel.members, ["FOR", "FOR", "FOR", "AGAINST", "AGAINST", "AGAINST"]))
    chair_vote(sec_client, meeting, panel, "dno1", votes)
    assert not PanelChair.objects.exists()
    assert "no one has a casting vote (7.4)" in Resolution.objects.get().outcome


def test_removed_chair_needs_the_authoritys_consent_to_return(sec_client, secretariat, panel):
    meeting = held_with(secretariat, panel, list(panel.members))
    everyone_for = {k: "FOR" for k in panel.members}
    chair_vote(sec_client, meeting, panel, "dno1", everyone_for)
    PanelChair.objects.update(
        ended_on=D(2026, 3, 18), end_reason=PanelChair.EndReason.REMOVED_BY_PANEL
    )
    refused = chair_vote(sec_client, meeting, panel, "dno1", everyone_for)
    assert "without the Authority's prior consent (7.2)" in error_for(refused, "authority_consent")
    assert Resolution.objects.count() == 1
    ok = chair_vote(sec_client, meeting, panel, "dno1", everyone_for, authority_consent="on")
    assert ok.status_code == 302
    assert PanelChair.objects.get(ended_on__isnull=True).authority_consent


def test_panel_chair_form_refused_without_a_quorum(sec_client, secretariat, panel):
    meeting = held_with(secretariat, panel, ["dno1", "dno2", "idno", "cva"])
    response = chair_vote(sec_client, meeting, panel, "dno1", {})
    assert response.status_code == 409
    assert "No business may be transacted without a quorum (7.10)" in text(response)
    assert "no Panel Member elected by the Supplier Parties is present (7.10)" in text(response)
    assert not Resolution.objects.exists()


# --- Standing Issues Group (Schedule 7) ---


def test_sig_meeting_forms_schedule_and_refuse_short_emergency_notice(client, sec_client):
    ok = sec_client.post(
        url("sig_meeting_new"),
        {
            "reference": "SIG 2027-01",
            "meeting_date": "2027-01-13",
            "notice_given_on": "2026-12-01",
            "agenda_circulated_on": "2027-01-01",
        },
    )
    assert ok.status_code == 302, text(ok)[:2000]
    late_agenda = sec_client.post(
        url("sig_meeting_new"),
        {
            "reference": "SIG 2027-02",
            "meeting_date": "2027-02-10",
            "notice_given_on": "2027-01-04",
            "agenda_circulated_on": "2027-02-05",
        },
    )
    assert "at least 10 days before the meeting (Schedule 7, 7)" in error_for(
        late_agenda, "agenda_circulated_on"
    )
    emergency = sec_client.post(
        url("sig_meeting_new"),
        {
            "reference": "SIG E1",
            "meeting_date": "2027-01-13",
            "emergency": "on",
            "notice_given_on": "2027-01-09",
        },
    )
    assert "at least 5 days' notice of an emergency meeting" in error_for(emergency, "meeting_date")
    emergency_ok = sec_client.post(
        url("sig_meeting_new"),
        {
            "reference": "SIG E1",
            "meeting_date": "2027-01-13",
            "emergency": "on",
            "notice_given_on": "2027-01-08",
        },
    )
    assert emergency_ok.status_code == 302
    duplicate = sec_client.post(
        url("sig_meeting_new"),
        {"reference": "SIG E1", "meeting_date": "2027-01-20", "notice_given_on": "2027-01-08"},
    )
    assert "already exists" in error_for(duplicate, "reference")
    assert sorted(SigMeeting.objects.values_list("reference", flat=True)) == [
        "SIG 2027-01",
        "SIG E1",
    ]
    assert "emergency" in text(client.get(url("sig_meeting_list")))


@pytest.fixture
def sig(secretariat):
    party = party_in("SUPPLIER", name="Raising Energy Ltd")
    rep = make_representative(party)
    meeting = sig_meeting_schedule(
        by=secretariat,
        reference="SIG 2027-01",
        meeting_date=D(2027, 1, 13),
        notice_given_on=D(2026, 12, 1),
    )
    on_time = issue_form_raise(
        by=rep, title="On time", description="d", party=party, raised_on=D(2026, 12, 1)
    )
    late = issue_form_raise(
        by=rep, title="Late", description="d", party=party, raised_on=D(2027, 1, 11)
    )
    return meeting, on_time, late


def test_sig_outcome_form_records_majority_consensus_of_those_attending(client, sec_client, sig):
    meeting, issue, _ = sig
    agreed = sec_client.post(
        url("sig_outcome_new", issue.pk),
        {"meeting": meeting.pk, "recommendation": "Raise a CP", "attending": 9, "in_favour": 5},
    )
    assert agreed.status_code == 302, text(agreed)[:2000]
    sec_client.post(
        url("sig_outcome_new", issue.pk),
        {"meeting": meeting.pk, "recommendation": "Guidance", "attending": 10, "in_favour": 5},
    )
    assert list(SigOutcome.objects.order_by("pk").values_list("agreed", flat=True)) == [
        True,
        False,
    ]
    too_many = sec_client.post(
        url("sig_outcome_new", issue.pk),
        {"meeting": meeting.pk, "recommendation": "x", "attending": 3, "in_favour": 4},
    )
    assert "More in favour than attending" in error_for(too_many, "in_favour")
    assert SigOutcome.objects.count() == 2
    page = text(client.get(url("sig_meeting_detail", meeting.pk)))
    assert "Raise a CP (agreed, 5 of 9 attending)" in page


def test_sig_outcome_for_a_late_issue_waits_for_the_chair(sec_client, sig):
    meeting, _, late = sig
    assert late.status == IssueForm.Status.AWAITING_CHAIR
    response = sec_client.post(
        url("sig_outcome_new", late.pk),
        {"meeting": meeting.pk, "recommendation": "x", "attending": 5, "in_favour": 5},
    )
    assert "the Chair has not accepted it (Schedule 7, 8)" in text(response)
    assert not SigOutcome.objects.exists()


def test_sig_minutes_form_circulates_the_minutes(client, sec_client, sig):
    meeting, _, _ = sig
    r = sec_client.post(
        url("sig_minutes_new", meeting.pk), {"minutes": "We met.", "circulated_on": "2027-01-20"}
    )
    assert r.status_code == 302, text(r)[:2000]
    assert "We met." in text(client.get(url("sig_meeting_detail", meeting.pk)))


# --- links and permissions ---


def test_meeting_and_sig_pages_link_the_forms_for_the_secretariat(sec_client, panel, sig):
    meeting = PanelMeetingFactory(meeting_date=D(2026, 3, 18))
    page = text(sec_client.get(url("meeting_detail", meeting.pk)))
    for name in ["agenda_item_new", "observer_new", "panel_chair_new", "minutes_edit"]:
        assert url(name, meeting.pk) in page, name
    assert url("written_resolution_list") in page
    listing = text(sec_client.get(url("meeting_list")))
    assert url("meeting_requisition") in listing and url("sig_meeting_list") in listing
    sig_meeting, issue, _ = sig
    sig_page = text(sec_client.get(url("sig_meeting_detail", sig_meeting.pk)))
    assert url("sig_outcome_new", issue.pk) in sig_page
    assert url("sig_minutes_new", sig_meeting.pk) in sig_page
    assert url("sig_outcome_new", issue.pk) in text(
        sec_client.get(url("sig_issue_detail", issue.pk))
    )
    assert url("sig_meeting_new") in text(sec_client.get(url("sig_meeting_list")))


def test_panel_members_see_the_pages_but_not_the_secretariat_links(client, panel, sig):
    meeting = PanelMeetingFactory(meeting_date=D(2026, 3, 18))
    client.force_login(panel.m("dno1").person)
    page = text(client.get(url("meeting_detail", meeting.pk)))
    assert url("agenda_item_new", meeting.pk) not in page
    sig_meeting, issue, _ = sig
    assert url("sig_outcome_new", issue.pk) not in text(
        client.get(url("sig_meeting_detail", sig_meeting.pk))
    )


SECRETARIAT_FORMS = [
    ("meeting_new", None),
    ("attendance", "meeting"),
    ("resolution_new", "meeting"),
    ("minutes_edit", "meeting"),
    ("minutes_circulate", "meeting"),
    ("minutes_objection_new", "meeting"),
    ("minutes_approve", "meeting"),
    ("minutes_publish", "meeting"),
    ("agenda_item_new", "meeting"),
    ("observer_new", "meeting"),
    ("panel_chair_new", "meeting"),
    ("meeting_requisition", None),
    ("written_resolution_new", None),
    ("sig_meeting_new", None),
    ("sig_minutes_new", "sig_meeting"),
    ("sig_outcome_new", "issue"),
]


@pytest.mark.parametrize("name,arg", SECRETARIAT_FORMS)
def test_only_the_secretariat_may_use_the_forms(client, secretariat, panel, sig, name, arg):
    meeting = PanelMeetingFactory(meeting_date=D(2026, 3, 18), status=PanelMeeting.Status.HELD)
    minutes_circulate(by=secretariat, meeting=meeting, text="M", circulated_on=D(2026, 3, 19))
    sig_meeting, issue, _ = sig
    objects = {"meeting": meeting, "sig_meeting": sig_meeting, "issue": issue}
    target = url(name, objects[arg].pk) if arg else url(name)
    assert client.get(target).status_code == 302  # anonymous: sign in first
    client.force_login(panel.m("dno1").person)  # a Panel Member is not the Secretariat
    assert client.get(target).status_code == 403
    assert client.post(target, {"text": "x", "title": "x"}).status_code == 403
    client.force_login(make_representative(party_in("DNO")))
    assert client.get(target).status_code == 403
    login_verified(client, secretariat)
    assert client.get(target).status_code == 200
    assert not Resolution.objects.exists() and not AgendaItem.objects.exists()


def test_date_fields_defaulting_to_today_show_it_as_an_iso_date(client, secretariat):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    with at(D(2026, 12, 2)):
        sec_client = login_verified(client, secretariat)
        page = text(sec_client.get(url("observer_new", meeting.pk)))
    field = re.search(r'<input type="date" name="notice_given_on"[^>]*>', page)
    assert field, page[:3000]
    assert 'value="2026-12-02"' in field.group(0)
