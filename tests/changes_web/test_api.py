"""/api/v1/change-proposals/: public reads, raising and steps through the same services;
bad input is a 400 naming the field, never a 500."""

import pytest

from changes.models import ChangeProposal
from changes.states import State
from panel.models import Category
from tests.changes.factories import COMPLETE, PartyFactory, proposal, proposal_in
from tests.factories import login_verified

pytestmark = pytest.mark.django_db
API = "/api/v1/change-proposals/"


def raise_body(party, **extra):
    body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in COMPLETE.items()}
    body.update(proposer_kind="party", proposer_party=party.pk, **extra)
    return body


def test_list_has_public_fields_and_the_register_filters(client, rep, party):
    a = proposal_in(State.DEFINITION, raised_by=rep, party=party, part=1)
    proposal_in(State.REPORT_PHASE, raised_by=rep, party=party, part=2)
    proposal(raised_by=rep, party=party, title="draft")
    data = client.get(API).json()
    assert data["count"] == 2
    row = next(r for r in data["results"] if r["reference"] == a.reference)
    assert row["slug"] == f"DCP-{a.number}" and row["proposer"] == "Brightwater Energy"
    assert "proposer_contact_email" not in row
    assert [r["reference"] for r in client.get(API, {"part": 1}).json()["results"]] == [a.reference]
    bad = client.get(API, {"part": 3})
    assert bad.status_code == 400 and bad.json()["field"] == "part"
    assert client.get(API, {"status": "nonsense"}).json()["field"] == "status"


def test_detail_by_reference_or_id_and_drafts_only_for_their_author(client, rep, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    for lookup in (f"DCP-{p.number}", f"DCP{p.number}", f"DCP%20{p.number}", str(p.pk)):
        assert client.get(f"{API}{lookup}/").json()["reference"] == p.reference
    missing = client.get(f"{API}DCP-99999/")
    assert missing.status_code == 404 and "DCP-417" in missing.json()["detail"]
    draft = proposal(raised_by=rep, party=party)
    assert client.get(f"{API}{draft.pk}/").status_code == 404
    client.force_login(rep)
    assert client.get(f"{API}{draft.pk}/").json()["status"] == "draft"


def test_raising_needs_a_signed_in_proposer_and_names_bad_fields(client, rep, party):
    assert client.post(API, raise_body(party), content_type="application/json").status_code == 403
    client.force_login(rep)
    bad = client.post(
        API,
        raise_body(party, proposer_contact_email="nope", objectives=["Z9"]),
        content_type="application/json",
    )
    assert bad.status_code == 400 and {"proposer_contact_email", "objectives"} <= set(bad.json())
    other = PartyFactory(name="Octant", short_code="OCTE", category=Category.SUPPLIER)
    refused = client.post(API, raise_body(other), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["field"] == "proposer_party" and refused.json()["rule"] == "10.2.1"
    incomplete = client.post(
        API,
        {"proposer_kind": "party", "proposer_party": party.pk, "title": "Half", "submit": True},
        content_type="application/json",
    )
    assert incomplete.status_code == 400 and incomplete.json()["rule"] == "10.3-10.4"
    assert not ChangeProposal.objects.exclude(status=State.DRAFT).exists()
    ok = client.post(API, raise_body(party, submit=True), content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "submitted"


def test_transitions_go_through_the_state_machine(client, rep, party, secretariat):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    url = f"{API}DCP-{p.number}/transitions/"
    step = {"action": "refer_to_panel", "data": {"initial_assessment": "Fine."}}
    assert client.post(url, step, content_type="application/json").status_code == 403
    client.force_login(rep)
    refused = client.post(url, step, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["rule"] == "10.11"
    client.force_login(secretariat)  # session without the second factor
    assert "two-factor" in client.post(url, step, content_type="application/json").json()["detail"]
    login_verified(client, secretariat)
    assert {t["action"] for t in client.get(url).json()} >= {"refer_to_panel", "refuse_incomplete"}
    unknown = client.post(url, {"action": "fly"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "action"
    assert (
        client.post(
            url, {"action": "refer_to_panel", "data": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    missing = client.post(url, {"action": "refer_to_panel"}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["field"] == "initial_assessment"
    done = client.post(url, step, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "with_panel"
    wrong_state = client.post(url, {"action": "submit_to_vote"}, content_type="application/json")
    assert wrong_state.status_code == 409 and wrong_state.json()["rule"] == "11.22.2, 11.23"
    bad_date = client.post(
        url,
        {
            "action": "authority_timetable_direction",
            "data": {"implementation_date": "soon", "timetable": []},
        },
        content_type="application/json",
    )
    assert bad_date.status_code == 400
    events = client.get(f"{API}DCP-{p.number}/events/").json()
    assert [e["action"] for e in events] == ["refer_to_panel"]


def test_schema_documents_the_change_proposal_api(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/change-proposals/{id}/transitions/" in schema
