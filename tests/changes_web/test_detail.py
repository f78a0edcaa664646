"""A Change Proposal's page: canonical URL, helpful 404, its sections."""

import datetime as dt

import pytest
import time_machine

from changes import services
from changes.states import State
from tests.changes.factories import proposal, proposal_in

from .conftest import TODAY, document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("spelling", ["DCP {n}", "DCP{n}", "dcp-{n}", "DCP%20{n}", "dcp_{n}"])
def test_reference_spellings_redirect_to_the_canonical_url(client, rep, party, spelling):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    response = client.get("/changes/" + spelling.format(n=p.number) + "/")
    assert response.status_code == 301
    assert response["Location"] == f"/changes/DCP-{p.number}/"
    assert client.get(response["Location"]).status_code == 200


def test_unknown_reference_is_a_helpful_404(client):
    response = client.get("/changes/DCP-9999/")
    assert response.status_code == 404
    assert "There is no Change Proposal DCP 9999" in response.content.decode()
    response = client.get("/changes/banana/")
    assert response.status_code == 404
    assert "DCP-417 or DCP417" in response.content.decode()


def test_a_draft_has_no_public_page(client, rep, party):
    p = proposal(raised_by=rep, party=party)
    p.number = 77  # not possible in practice: a draft has no number (CheckConstraint allows it)
    p.save()
    assert client.get("/changes/DCP-77/").status_code == 404


def test_page_shows_working_group_consultation_report_deadlines_and_vote(
    client, rep, party, secretariat
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    members = [services.MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(5)]
    services.working_group_create(
        by=secretariat,
        proposal=p,
        name="DCP WG",
        terms_of_reference="Assess the EV boundary",
        members=members,
        created_on=TODAY,
    )
    services.proposal_transition(
        proposal=p,
        action="panel_accept",
        by=secretariat,
        today=TODAY,
        part=2,
        definition_procedure=True,
        urgent=False,
        timetable=[{"stage": "Working Group", "planned": "2027-05-20"}],
    )
    c = services.consultation_open(
        proposal=p,
        by=secretariat,
        title="First consultation",
        questions=["Do you agree?"],
        opens_on=TODAY,
        closes_on=TODAY.replace(day=19),
    )
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0), tick=False):  # recorded on receipt
        services.consultation_respond(
            consultation=c,
            by=secretariat,
            respondent_name="Octant Energy",
            answers={1: "We agree."},
            submitted_on=TODAY.replace(day=2),
        )
    document(p, "Initial paper")
    body = client.get(f"/changes/DCP-{p.number}/").content.decode()
    for text in [
        "DCP WG",
        "Assess the EV boundary",
        "Member 4 (Org 4)",
        "First consultation",
        "Do you agree?",
        "We agree.",
        "Initial paper",
        "Timetable: Working Group",
        "20 May 2027",
        "Definition Procedure (Working Group)",
    ]:
        assert text in body, text
    assert "/vote/" not in body
    p.refresh_from_db()
    p.status = State.VOTING  # arranged: the voting app opens the vote
    p.save()
    assert (
        f"/changes/DCP-{p.number}/vote/" in client.get(f"/changes/DCP-{p.number}/").content.decode()
    )
