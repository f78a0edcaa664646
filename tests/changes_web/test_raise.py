"""Raising a Change Proposal online (10.2-10.6): drafts as typed, errors next to the field."""

import pytest

from changes.models import ChangeDocument, ChangeProposal
from changes.states import State
from panel.models import Category
from tests.changes.factories import COMPLETE, PartyFactory

pytestmark = pytest.mark.django_db


def complete_post(party, **extra):
    data = {k: v for k, v in COMPLETE.items() if not isinstance(v, list)}
    data.update(
        proposer_kind="party",
        proposer_party=party.pk,
        proposed_implementation_date="2027-11-04",
        ghg_material="true",
        objectives=COMPLETE["objectives"],
        impacted_categories=COMPLETE["impacted_categories"],
    )
    data.update(extra)
    return data


def test_only_those_who_may_raise_reach_the_form(client, public, rep):
    assert client.get("/changes/raise/").status_code == 302  # to sign in
    client.force_login(public)
    assert client.get("/changes/raise/").status_code == 403
    client.force_login(rep)
    assert client.get("/changes/raise/").status_code == 200


def test_submitting_an_incomplete_proposal_shows_each_missing_item_next_to_its_field(
    rep_client, party
):
    response = rep_client.post(
        "/changes/raise/",
        {"proposer_kind": "party", "proposer_party": party.pk, "title": "Half done", "submit": "1"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "10.4.2" in form.errors["proposer_contact_email"][0]
    assert "greenhouse gas" in form.errors["ghg_statement"][0]
    assert "(10.4.9)" in form.errors["proposed_implementation_date"][0]
    assert "title" not in form.errors
    # saved as typed: a draft, and the form now posts to it
    draft = ChangeProposal.objects.get(title="Half done")
    assert draft.status == State.DRAFT and draft.number is None
    assert f'action="/changes/drafts/{draft.pk}/"' in response.content.decode()


def test_bad_input_is_refused_by_field_and_nothing_is_saved(rep_client, party):
    other = PartyFactory(name="Not mine", short_code="NOTM", category=Category.SUPPLIER)
    response = rep_client.post(
        "/changes/raise/",
        {
            "proposer_kind": "party",
            "proposer_party": other.pk,
            "title": "X",
            "proposer_contact_email": "not-an-email",
            "proposed_implementation_date": "soon",
            "save": "1",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"proposer_party", "proposer_contact_email", "proposed_implementation_date"} <= set(
        errors
    )
    assert not ChangeProposal.objects.exists()


def test_a_draft_is_saved_listed_resumed_and_submitted(rep_client, party, rep):
    response = rep_client.post(
        "/changes/raise/",
        {"proposer_kind": "party", "proposer_party": party.pk, "title": "My idea", "save": "1"},
    )
    draft = ChangeProposal.objects.get(title="My idea")
    assert response.status_code == 302 and response["Location"] == f"/changes/drafts/{draft.pk}/"
    assert "My idea" in rep_client.get("/changes/drafts/").content.decode()
    assert 'value="My idea"' in rep_client.get(f"/changes/drafts/{draft.pk}/").content.decode()
    # resume and submit, with a confidential attachment
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = complete_post(party, title="My idea, finished", submit="1")
    data.update(
        attachment=SimpleUploadedFile("costs.txt", b"numbers"),
        attachment_title="Costs",
        attachment_confidential="on",
    )
    response = rep_client.post(f"/changes/drafts/{draft.pk}/", data)
    draft.refresh_from_db()
    assert draft.status == State.SUBMITTED and draft.number
    assert response.status_code == 302 and response["Location"] == f"/changes/DCP-{draft.number}/"
    assert ChangeDocument.objects.get(proposal=draft).confidential
    assert "My idea" not in rep_client.get("/changes/drafts/").content.decode()


def test_someone_elses_draft_is_not_found(client, party, rep):
    from tests.changes.factories import proposal, representative

    draft = proposal(raised_by=rep, party=party)
    other = representative(party, username="colleague")
    client.force_login(other)
    assert client.get(f"/changes/drafts/{draft.pk}/").status_code == 404
