"""Records marked void (entered by mistake) stay in the database but leave the public pages:
a withdrawn paper is neither listed nor served, a void meeting is not listed."""

import pytest

from changes import services
from changes.models import WorkingGroupMeeting
from changes.states import State
from tests.changes.factories import proposal_in
from tests.factories import login_verified

from .conftest import document
from .test_desk_forms import _group

pytestmark = pytest.mark.django_db


def test_a_withdrawn_paper_is_neither_listed_nor_served(client, rep, party, secretariat):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    kept = document(p, "Kept paper")
    wrong = document(p, "Wrong file")
    services.document_withdraw(document=wrong, by=secretariat, reason="Uploaded by mistake")
    for viewer in (client, login_verified(client, secretariat)):
        body = viewer.get(f"/changes/DCP-{p.number}/").content.decode()
        assert "Kept paper" in body and "Wrong file" not in body
        assert viewer.get(f"/changes/DCP-{p.number}/documents/{kept.pk}/").status_code == 200
        assert viewer.get(f"/changes/DCP-{p.number}/documents/{wrong.pk}/").status_code == 404


def test_a_void_meeting_and_its_papers_leave_the_proposal_page(client, rep, party, secretariat):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    group = _group(p, secretariat)
    held = WorkingGroupMeeting.objects.create(
        working_group=group, held_on="2027-03-10", agenda="Options for the boundary"
    )
    mistaken = WorkingGroupMeeting.objects.create(
        working_group=group, held_on="2027-03-11", agenda="Entered twice by mistake"
    )
    paper = document(p, "Boundary paper")
    held.papers.add(paper)
    withdrawn = document(p, "Superseded paper")
    held.papers.add(withdrawn)
    services.document_withdraw(document=withdrawn, by=secretariat, reason="Superseded")
    services.working_group_meeting_void(meeting=mistaken, by=secretariat, reason="Entered twice")
    body = client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert "Options for the boundary" in body and "Boundary paper" in body
    assert "Entered twice by mistake" not in body and "Superseded paper" not in body
