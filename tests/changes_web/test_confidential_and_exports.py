"""Confidential material never reaches a public page, export, feed or API (57.3, Schedule 14);
the exports parse as CSV, Atom and RFC 5545 iCalendar."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
import time_machine

from changes import services
from changes.models import RegisterCopy
from changes.states import State
from tests.changes.factories import proposal_in
from tests.factories import login_verified

from .conftest import TODAY, document

pytestmark = pytest.mark.django_db

MARKERS = ("MARKER-CONF-DOC", "MARKER-CONF-RESPONSE", "MARKER-CONF-ANSWER", "jo@example.test")


@pytest.fixture
def secret_proposal(rep, party, secretariat):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    secret = document(p, "MARKER-CONF-DOC", confidential=True)
    public = document(p, "Public paper")
    services.proposal_transition(
        proposal=p,
        action="refer_to_panel",
        by=secretariat,
        today=TODAY,
        initial_assessment="Complete.",
        documents=[secret, public],
    )
    services.proposal_transition(
        proposal=p,
        action="panel_accept",
        by=secretariat,
        today=TODAY,
        part=2,
        definition_procedure=True,
        urgent=False,
        timetable=[
            {"stage": "Working Group", "planned": "2027-05-20"},
            {"stage": "Change Report", "planned": "2027-07-01"},
        ],
    )
    c = services.consultation_open(
        proposal=p,
        by=secretariat,
        title="First consultation",
        questions=["Q one?", "Q two?"],
        opens_on=TODAY,
        closes_on=dt.date(2027, 3, 19),
    )
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, 0), tick=False):  # recorded on receipt
        services.consultation_respond(
            consultation=c,
            by=secretariat,
            respondent_name="Secret respondent",
            answers={1: "MARKER-CONF-RESPONSE"},
            confidential=True,
            submitted_on=dt.date(2027, 3, 2),
        )
        services.consultation_respond(
            consultation=c,
            by=secretariat,
            respondent_name="Open respondent",
            answers={1: ("MARKER-CONF-ANSWER", True), 2: "Visible answer"},
            submitted_on=dt.date(2027, 3, 2),
        )
    p.refresh_from_db()
    return p


def _public_outputs(client, p):
    slug = f"DCP-{p.number}"
    api = "/api/v1/change-proposals/"
    urls = [
        "/changes/",
        f"/changes/{slug}/",
        "/changes/register.csv",
        "/changes/feed.atom",
        "/changes/deadlines.ics",
        api,
        f"{api}{slug}/",
        f"{api}{slug}/documents/",
        f"{api}{slug}/events/",
        f"{api}{p.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


def test_confidential_material_appears_in_no_public_output(client, secret_proposal):
    seen = 0
    for url, body in _public_outputs(client, secret_proposal):
        for marker in MARKERS:
            assert marker not in body, (marker, url)
        seen += 1
    assert seen == 10
    detail = client.get(f"/changes/DCP-{secret_proposal.number}/").content.decode()
    assert "Public paper" in detail and "Visible answer" in detail and "Open respondent" in detail


def test_a_party_representative_does_not_see_confidential_material(rep_client, secret_proposal):
    for url, body in _public_outputs(rep_client, secret_proposal):
        assert "MARKER-CONF" not in body, url


def test_confidential_document_cannot_be_downloaded_by_its_url(
    client, secret_proposal, secretariat
):
    secret = secret_proposal.documents.get(confidential=True)
    url = f"/changes/DCP-{secret_proposal.number}/documents/{secret.pk}/"
    assert client.get(url).status_code == 404
    login_verified(client, secretariat)
    assert client.get(url).status_code == 200


def test_secretariat_and_authority_see_the_confidential_material(
    client, secret_proposal, secretariat, authority
):
    for user in (secretariat, authority):
        login_verified(client, user) if user.is_secretariat else client.force_login(user)
        body = client.get(f"/changes/DCP-{secret_proposal.number}/").content.decode()
        assert "MARKER-CONF-DOC" in body and "MARKER-CONF-RESPONSE" in body
        docs = client.get(f"/api/v1/change-proposals/{secret_proposal.pk}/documents/").json()
        assert "MARKER-CONF-DOC" in {d["title"] for d in docs}


def test_register_csv_parses_with_one_row_per_proposal(client, secret_proposal, rep, party):
    other = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party, title="Second, with comma")
    response = client.get("/changes/register.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Reference", "Title", "Proposer"]
    by_ref = {r[0]: r for r in rows[1:]}
    assert set(by_ref) == {secret_proposal.reference, other.reference}
    assert by_ref[other.reference][1] == "Second, with comma"
    assert by_ref[secret_proposal.reference][8] == "Timetable: Working Group"
    assert by_ref[secret_proposal.reference][9] == "2027-05-20"


def test_atom_feed_lists_each_status_change(client, secret_proposal):
    response = client.get("/changes/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    ref = secret_proposal.reference
    assert f"{ref}: Referred to the Panel" in titles
    assert f"{ref}: Definition Procedure (Working Group)" in titles
    for entry in root.findall("a:entry", ns):
        assert (
            entry.find("a:link", ns)
            .get("href")
            .startswith(f"http://testserver/changes/DCP-{secret_proposal.number}/#event-")
        )


def test_ical_has_one_vevent_per_open_deadline_with_crlf_and_folding(
    client, secret_proposal, rep, party
):
    other = proposal_in(
        State.SUBMITTED,
        raised_by=rep,
        party=party,
        due_on=dt.date(2027, 4, 9),
        title="A; B, C " + "long " * 30,
    )
    response = client.get("/changes/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert "VERSION:2.0" in unfolded and any(x.startswith("PRODID:") for x in unfolded)
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20270520" in unfolded
    assert "DTSTART;VALUE=DATE:20270409" in unfolded
    assert sum(x.startswith("UID:") for x in unfolded) == 2
    assert sum(x.startswith("DTSTAMP:") and x.endswith("Z") for x in unfolded) == 2
    assert any("A\\; B\\, C" in x for x in unfolded if x.startswith("DESCRIPTION:"))
    assert any(x.startswith(f"SUMMARY:{other.reference}: Arranged deadline") for x in unfolded)


def test_register_copies_are_listed_and_downloadable(client):
    RegisterCopy.objects.create(
        month=dt.date(2027, 2, 1),
        made_on=dt.date(2027, 2, 1),
        csv="Reference\r\nDCP 401\r\n",
        html="<p>DCP 401</p>",
    )
    body = client.get("/changes/register/copies/").content.decode()
    assert "February 2027" in body
    response = client.get("/changes/register/copies/2027-02.csv")
    assert response.status_code == 200 and b"DCP 401" in response.content
    assert client.get("/changes/register/copies/2027-02.html").status_code == 200
    assert client.get("/changes/register/copies/2027-03.csv").status_code == 404
