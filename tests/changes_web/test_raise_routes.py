"""Raising a proposal offers each proposer only its own routes (10.2, 11.9A); a refused submit
leaves no untitled drafts; a draft can be deleted by its author after confirming; the Proposer
keeps seeing its own confidential papers after submitting (57.3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import ChangeDocument, ChangeProposal, ProposerKind
from changes.states import State
from panel.audit import AuditRecord
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Category, Role
from tests.changes.factories import PartyFactory, UserFactory, proposal, representative
from tests.changes_web.test_raise import complete_post

pytestmark = pytest.mark.django_db


def _form(client):
    response = client.get("/changes/raise/")
    assert response.status_code == 200
    return response.context["form"]


def test_a_supplier_representative_is_offered_only_the_party_route(rep_client):
    form = _form(rep_client)
    assert [v for v, _ in form.fields["proposer_kind"].choices] == ["party"]
    # not an Authority Change Proposal: no Authority-Led, no 10.2.5 route, no 10.4.10 question
    assert "authority_led" not in form.fields
    assert "follows_authority_direction" not in form.fields
    assert "proposer_name" not in form.fields
    page = rep_client.get("/changes/raise/").content.decode()
    assert "Authority-Led" not in page


def test_a_dno_representative_may_raise_at_the_authoritys_direction_but_not_authority_led(
    client,
):
    client.force_login(representative(PartyFactory(category=Category.DNO)))
    form = _form(client)
    assert {v for v, _ in form.fields["proposer_kind"].choices} == {"party", "dno_idno_directed"}
    assert "follows_authority_direction" in form.fields
    assert "authority_led" not in form.fields


def test_the_consumer_body_raises_as_the_consumer_body(client):
    client.force_login(UserFactory(username="consumer", role=Role.CONSUMER_BODY))
    form = _form(client)
    assert [v for v, _ in form.fields["proposer_kind"].choices] == ["consumer_body"]
    assert "proposer_party" not in form.fields and "authority_led" not in form.fields


def test_the_authority_may_mark_its_own_proposal_authority_led(client, authority):
    client.force_login(authority)
    assert "authority_led" in _form(client).fields


def test_authority_led_typed_by_a_party_is_refused_by_the_service(rep, party):
    with pytest.raises(DomainError, match="11.9A") as refused:
        services.proposal_save_draft(
            by=rep, proposer_kind="party", proposer_party=party, title="t", authority_led=True
        )
    assert refused.value.field == "authority_led"
    assert not ChangeProposal.objects.exists()


def test_a_failed_submit_of_a_blank_form_leaves_no_untitled_draft(rep_client, party):
    for _ in range(2):
        response = rep_client.post(
            "/changes/raise/", {"proposer_kind": "party", "proposer_party": party.pk, "submit": "1"}
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "title" in errors and "proposer_contact_email" in errors
    assert not ChangeProposal.objects.exists()


def test_saving_a_draft_needs_a_title(rep_client, party):
    response = rep_client.post(
        "/changes/raise/", {"proposer_kind": "party", "proposer_party": party.pk, "save": "1"}
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors["title"][0]
    assert not ChangeProposal.objects.exists()


def test_a_failed_submit_keeps_the_draft_being_edited_and_creates_no_other(rep_client, rep, party):
    draft = proposal(raised_by=rep, party=party, title="Mine", ghg_statement="")
    response = rep_client.post(
        f"/changes/drafts/{draft.pk}/",
        complete_post(party, title="Mine", ghg_statement="", submit="1"),
    )
    assert response.status_code == 400
    assert "greenhouse gas" in response.context["form"].errors["ghg_statement"][0]
    assert f'action="/changes/drafts/{draft.pk}/"' in response.content.decode()
    # clearing the title is refused too: the draft keeps its title, and no new draft appears
    response = rep_client.post(
        f"/changes/drafts/{draft.pk}/", complete_post(party, title="", submit="1")
    )
    assert response.status_code == 400
    assert list(ChangeProposal.objects.values_list("title", "status")) == [("Mine", "draft")]


def test_the_author_deletes_a_draft_after_confirming(rep_client, rep, party):
    draft = proposal(raised_by=rep, party=party, title="Abandoned idea")
    ChangeDocument.objects.create(
        proposal=draft, title="Notes", file=SimpleUploadedFile("n.txt", b"x"), uploaded_by=rep
    )
    assert "Delete" in rep_client.get("/changes/drafts/").content.decode()
    page = rep_client.get(f"/changes/drafts/{draft.pk}/delete/")
    assert page.status_code == 200 and "no one is notified" in page.content.decode()
    # without the confirmation nothing happens
    refused = rep_client.post(f"/changes/drafts/{draft.pk}/delete/", {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert ChangeProposal.objects.filter(pk=draft.pk).exists()
    done = rep_client.post(f"/changes/drafts/{draft.pk}/delete/", {"confirm": "on"})
    assert done.status_code == 302 and done["Location"] == "/changes/drafts/"
    assert not ChangeProposal.objects.filter(pk=draft.pk).exists()
    assert not ChangeDocument.objects.exists()
    record = AuditRecord.objects.get(action="change_proposal.draft_deleted")
    assert record.actor == rep and record.data["title"] == "Abandoned idea"


def test_only_the_author_or_the_secretariat_deletes_a_draft(client, rep, party, secretariat):
    stranger = representative(PartyFactory(name="Octant Energy"))
    draft = proposal(raised_by=rep, party=party)
    with pytest.raises(NotAllowed, match="author"):
        services.proposal_draft_delete(proposal=draft, by=stranger)
    client.force_login(stranger)
    assert client.get(f"/changes/drafts/{draft.pk}/delete/").status_code in (403, 404)
    services.proposal_draft_delete(proposal=draft, by=secretariat)
    assert not ChangeProposal.objects.exists()


def test_a_submitted_proposal_is_never_deleted(rep, party):
    draft = proposal(raised_by=rep, party=party)
    submitted = services.proposal_submit(proposal=draft, by=rep)
    with pytest.raises(Conflict, match="11.29"):
        services.proposal_draft_delete(proposal=submitted, by=rep)
    assert ChangeProposal.objects.get(pk=draft.pk).status == State.SUBMITTED


def test_the_proposer_still_sees_its_own_confidential_attachment_after_submitting(
    rep_client, rep, party, client
):
    stranger = representative(PartyFactory(name="Octant Energy"))
    draft = proposal(raised_by=rep, party=party, proposer_kind=ProposerKind.PARTY)
    data = complete_post(party, submit="1")
    data.update(
        attachment=SimpleUploadedFile("costs.txt", b"numbers"),
        attachment_title="Our costs",
        attachment_confidential="on",
    )
    response = rep_client.post(f"/changes/drafts/{draft.pk}/", data)
    draft.refresh_from_db()
    assert draft.status == State.SUBMITTED, response.content.decode()[:500]
    doc = ChangeDocument.objects.get(proposal=draft)
    assert doc.confidential and doc.uploaded_by == rep
    page = rep_client.get(f"/changes/DCP-{draft.number}/").content.decode()
    assert "Our costs" in page
    # another Party's representative does not see it (57.3)
    client.force_login(stranger)
    assert "Our costs" not in client.get(f"/changes/DCP-{draft.number}/").content.decode()
