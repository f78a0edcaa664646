"""The Secretariat desk: server-side permission, steps through the one state machine."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from changes import services
from changes.models import ChangeReport, Consultation, ProposalEvent, WorkingGroup
from changes.states import State
from tests.changes.factories import proposal_in
from tests.factories import login_verified

pytestmark = pytest.mark.django_db


def test_only_the_secretariat_reaches_the_desk(client, rep, secretariat, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    assert client.get("/changes/desk/")["Location"].startswith("/accounts/login/")
    client.force_login(rep)
    assert client.get("/changes/desk/").status_code == 403
    assert (
        client.post(
            f"/changes/desk/DCP-{p.number}/refer_to_panel/", {"initial_assessment": "x"}
        ).status_code
        == 403
    )
    assert client.get(f"/changes/DCP-{p.number}/working-group/new/").status_code == 403
    client.force_login(secretariat)  # no second factor yet
    assert client.get("/changes/desk/")["Location"].startswith("/accounts/two-factor/")
    p.refresh_from_db()
    assert p.status == State.SUBMITTED


def test_desk_lists_the_next_action_with_its_deadline(sec_client, rep, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party, due_on=dt.date(2027, 4, 1))
    body = sec_client.get("/changes/desk/").content.decode()
    assert p.reference in body and "1 Apr 2027" in body
    assert f"/changes/desk/DCP-{p.number}/refer_to_panel/" in body
    assert f"/changes/desk/DCP-{p.number}/refuse_incomplete/" in body


def test_a_step_through_the_desk_and_its_refusals_in_the_agreements_words(sec_client, rep, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    url = f"/changes/desk/DCP-{p.number}/refer_to_panel/"
    response = sec_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert (
        "initial written assessment (10.11)"
        in response.context["form"].errors["initial_assessment"][0]
    )
    response = sec_client.post(
        url,
        {
            "initial_assessment": "Complete and in scope.",
            "suggested_timetable": "Working Group | 2027-05-20",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL and p.initial_assessment == "Complete and in scope."
    assert ProposalEvent.objects.filter(proposal=p, action="refer_to_panel").count() == 1
    # an illegal step: the vote before any Change Report
    response = sec_client.post(f"/changes/desk/DCP-{p.number}/submit_to_vote/", {})
    assert response.status_code == 409
    message = response.context["form"].non_field_errors()[0]
    assert "Referred to the Panel" in message and "(11.22.2, 11.23)" in message
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL


def test_panel_acceptance_recorded_on_the_desk_needs_part_and_a_six_month_timetable(
    sec_client, rep, party
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party, due_on=dt.date(2027, 4, 1))
    url = f"/changes/desk/DCP-{p.number}/panel_accept/"
    response = sec_client.post(url, {"timetable": "Working Group | 2027-05-20"})
    assert response.status_code == 400
    assert "Part 1 or Part 2" in response.context["form"].errors["part"][0]
    response = sec_client.post(url, {"part": "2", "timetable": "Working Group"})
    assert "Stage name | YYYY-MM-DD" in response.context["form"].errors["timetable"][0]
    response = sec_client.post(
        url, {"part": "2", "definition_procedure": "on", "timetable": "Report | 2099-01-01"}
    )
    assert "six months" in response.context["form"].errors["timetable"][0]
    soon = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    response = sec_client.post(
        url, {"part": "2", "definition_procedure": "on", "timetable": f"Working Group | {soon}"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.DEFINITION and p.part == 2


def test_working_group_needs_five_members_besides_the_nominee(sec_client, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    url = f"/changes/DCP-{p.number}/working-group/new/"
    four = "\n".join(f"Member {i} | Org {i}" for i in range(4))
    response = sec_client.post(
        url,
        {
            "name": "WG",
            "terms_of_reference": "ToR",
            "members": four,
            "nominee": "Nominee | Brightwater",
        },
    )
    assert response.status_code == 400
    assert "at least five members" in response.context["form"].errors["members"][0]
    five = four + "\nMember 4 | Org 4"
    response = sec_client.post(
        url,
        {
            "name": "WG",
            "terms_of_reference": "ToR",
            "members": five,
            "nominee": "Nominee | Brightwater",
        },
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get(proposal=p)
    assert (
        group.members.count() == 6 and group.members.filter(is_proposer_nominee=True).count() == 1
    )


def test_consultation_opens_takes_responses_late_only_with_reason_and_closes(
    sec_client, rep, party, secretariat
):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    response = sec_client.post(
        f"/changes/DCP-{p.number}/consultations/new/",
        {
            "title": "First",
            "questions": "Agree?\nWhy?",
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-19",
        },
    )
    assert response.status_code == 302
    c = Consultation.objects.get(proposal=p)
    assert list(c.questions.values_list("text", flat=True)) == ["Agree?", "Why?"]
    url = f"/changes/DCP-{p.number}/consultations/{c.pk}/responses/new/"
    received = time_machine.travel(dt.datetime(2027, 3, 25, 10, 0), tick=False)
    received.start()  # the late response is recorded on the day it arrives
    login_verified(sec_client, secretariat)
    response = sec_client.post(
        url, {"respondent_name": "Octant", "submitted_on": "2027-03-25", "answer_1": "Yes"}
    )
    assert response.status_code == 400
    assert "late response" in response.context["form"].errors["late_reason"][0]
    response = sec_client.post(
        url,
        {
            "respondent_name": "Octant",
            "submitted_on": "2027-03-25",
            "answer_1": "Yes",
            "late_reason": "Agreed by the WG Chair",
        },
    )
    assert response.status_code == 302
    assert c.responses.get().late
    received.stop()
    login_verified(sec_client, secretariat)
    assert (
        sec_client.post(f"/changes/DCP-{p.number}/consultations/{c.pk}/close/").status_code == 302
    )
    c.refresh_from_db()
    assert c.closed_on is not None


def test_change_report_is_versioned_sent_and_the_vote_waits_seven_days(sec_client, rep, party):
    p = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party)
    url = f"/changes/DCP-{p.number}/reports/new/"
    data = {
        "variation": "Amend Schedule 22",
        "effects": "Consistent charges",
        "implementation_date": "2027-11-04",
    }
    response = sec_client.post(url, data)
    assert "(11.20.2)" in response.context["form"].errors["eligible_categories"][0]
    assert (
        sec_client.post(url, {**data, "eligible_categories": ["DNO", "SUPPLIER"]}).status_code
        == 302
    )
    assert sec_client.post(url, {**data, "eligible_categories": ["DNO"]}).status_code == 302
    assert list(ChangeReport.objects.filter(proposal=p).values_list("version", flat=True)) == [2, 1]
    start = timezone.localtime().replace(hour=12)
    with time_machine.travel(start, tick=False):
        assert sec_client.post(f"/changes/DCP-{p.number}/reports/2/send/", {}).status_code == 302
        sec_client.post(f"/changes/desk/DCP-{p.number}/issue_change_report/", {})
        p.refresh_from_db()
        assert p.status == State.REPORT_ISSUED
        response = sec_client.post(f"/changes/desk/DCP-{p.number}/submit_to_vote/", {})
        assert response.status_code == 400
        earliest = start.date() + dt.timedelta(days=7)
        assert f"not before {earliest:%d %B %Y}" in response.context["form"].non_field_errors()[0]
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        response = sec_client.post(f"/changes/desk/DCP-{p.number}/submit_to_vote/", {})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.AWAITING_VOTE


def test_unknown_step_is_a_404(sec_client, rep, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    assert sec_client.get(f"/changes/desk/DCP-{p.number}/fly_to_the_moon/").status_code == 404
    services  # noqa: B018 - imported for readers: the desk calls these services
