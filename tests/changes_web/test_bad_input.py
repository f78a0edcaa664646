"""Odd input is refused or found wanting, never a 500: superscript and non-ASCII digits,
numbers too large for the database, months that do not exist."""

import pytest

from changes.models import ChangeProposal
from changes.states import State
from tests.changes.factories import proposal_in
from tests.factories import login_verified

pytestmark = pytest.mark.django_db
API = "/api/v1/change-proposals/"
ODD = ["¹", "²³", "٣", "DCP ¹", "DCP-٣", "99999999999", "DCP 99999999999"]


@pytest.mark.parametrize("q", ODD)
def test_the_register_its_csv_and_the_api_list_take_any_search(client, rep, party, q):
    proposal_in(State.DEFINITION, raised_by=rep, party=party)
    assert client.get("/changes/", {"q": q}).status_code == 200
    assert client.get("/changes/register.csv", {"q": q}).status_code == 200
    response = client.get(API, {"q": q})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_only_ascii_digits_find_a_proposal_by_number(client, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    ChangeProposal.objects.filter(pk=p.pk).update(number=3)
    found = client.get(API, {"q": "3"}).json()
    assert [r["number"] for r in found["results"]] == [3]
    assert client.get(API, {"q": "٣"}).json()["count"] == 0


@pytest.mark.parametrize("lookup", ODD)
def test_an_odd_proposal_lookup_is_a_404(client, rep, party, lookup):
    proposal_in(State.DEFINITION, raised_by=rep, party=party)
    missing = client.get(f"{API}{lookup}/")
    assert missing.status_code == 404
    assert missing.json() == {
        "detail": f"No Change Proposal '{lookup}'. Use its reference (DCP-417) or its id.",
        "field": "id",
        "rule": None,
    }
    assert client.get(f"{API}{lookup}/events/").status_code == 404
    assert client.get(f"/changes/{lookup}/").status_code == 404


def test_a_register_copy_of_a_month_that_does_not_exist_is_a_404(client):
    assert client.get("/changes/register/copies/2027-13.csv").status_code == 404
    assert client.get("/changes/register/copies/2027-00.html").status_code == 404
    assert client.get("/changes/register/copies/٢٠٢٧-٠١.csv").status_code == 404


def test_a_step_naming_an_odd_party_is_refused_naming_the_field(client, rep, party, secretariat):
    p = proposal_in(State.WITHDRAWN, raised_by=rep, party=party)
    login_verified(client, secretariat)
    response = client.post(
        f"{API}DCP-{p.number}/transitions/",
        {"action": "adopt", "data": {"party": "¹"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "No Party '¹'.", "field": "data.party", "rule": None}
    p.refresh_from_db()
    assert p.status == State.WITHDRAWN


def test_step_data_naming_a_reserved_key_is_refused_in_the_error_shape(
    client, rep, party, secretariat
):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    login_verified(client, secretariat)
    response = client.post(
        f"{API}DCP-{p.number}/transitions/",
        {"action": "refer_to_panel", "data": {"initial_assessment": "Fine.", "by": "me"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body == {"detail": "'by' is not step data.", "field": "data", "rule": None}
    p.refresh_from_db()
    assert p.status == State.SUBMITTED
