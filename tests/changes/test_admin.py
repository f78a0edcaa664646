"""The admin of the change process is a window: no add, edit or delete of a process record;
its actions call the services, so they write events and audit records."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from changes import selectors, services
from changes.audit import ChangeAction
from changes.models import (
    ChangeDocument,
    ChangeProposal,
    ConsultationResponse,
    ImplementationAction,
    ImplementationPlan,
    ProposalEvent,
    SignificantCodeReview,
    WorkingGroup,
    WorkingGroupMeeting,
)
from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, Role
from tests.factories import login_verified

from .factories import UserFactory, proposal_in

pytestmark = pytest.mark.django_db

D = dt.date


def _changes_models():
    return [m for m in admin.site._registry if m._meta.app_label == "changes"]


@pytest.fixture
def staff(db):
    return UserFactory(username="sec-staff", role=Role.SECRETARIAT, is_staff=True)


@pytest.fixture
def signed_in(client, staff):
    return login_verified(client, staff)


@pytest.fixture
def in_definition(rep, party, staff):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    services.working_group_create(
        proposal=p,
        by=staff,
        name="WG",
        terms_of_reference="Develop it.",
        members=[services.MemberSpec(name=f"M{i}", organisation=f"O{i}") for i in range(5)],
    )
    return p


def _url(model, view, *args):
    return reverse(f"admin:changes_{model._meta.model_name}_{view}", args=args)


def _post_action(client, model, action, pks, **extra):
    return client.post(
        _url(model, "changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], **extra},
    )


def test_every_process_record_is_read_only_in_the_admin(rf, staff):
    request = rf.get("/admin/")
    request.user = staff
    models = _changes_models()
    assert len(models) == 17
    for model in models:
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        if model is not SignificantCodeReview:  # started through scr_create, never edited
            assert not model_admin.has_add_permission(request), model
        assert "delete_selected" not in model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request), (model, inline)
            assert not inline.has_delete_permission(request), (model, inline)


def test_a_proposal_page_offers_no_save_or_delete_and_refuses_a_posted_edit(
    signed_in, in_definition
):
    page = signed_in.get(_url(ChangeProposal, "change", in_definition.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and "deletelink" not in html
    assert reverse("changes:withdraw", args=[f"DCP-{in_definition.number}"]) in html  # a desk link
    posted = signed_in.post(
        _url(ChangeProposal, "change", in_definition.pk), {"title": "Changed", "part": 1}
    )
    assert posted.status_code == 403
    assert signed_in.post(_url(ChangeProposal, "delete", in_definition.pk)).status_code == 403
    in_definition.refresh_from_db()
    assert in_definition.part == 2 and in_definition.title != "Changed"


def test_no_deadline_event_or_document_can_be_deleted_from_the_admin(signed_in, in_definition):
    deadline = in_definition.deadlines.create(
        state=State.DEFINITION,
        what="x",
        rule="t",
        opened_on=D(2027, 3, 1),
        due_on=D(2027, 4, 1),
        closed_on=D(2027, 3, 2),
    )
    services.proposal_transition(
        proposal=in_definition, action="withdraw", by=in_definition.raised_by, reason="x"
    )
    event = ProposalEvent.objects.filter(proposal=in_definition).last()
    for model, pk in ((type(deadline), deadline.pk), (ProposalEvent, event.pk)):
        assert signed_in.post(_url(model, "delete", pk)).status_code == 403
        assert signed_in.get(_url(model, "add")).status_code == 403
    assert type(deadline).objects.filter(pk=deadline.pk).exists()


def test_voiding_a_response_asks_for_the_reason_then_audits_and_stops_counting_it(
    signed_in, staff, in_definition, party, rep
):
    consultation = services.consultation_open(
        proposal=in_definition, by=staff, title="C1", questions=["Q?"], opens_on=D(2027, 3, 1)
    )
    with time_machine.travel(dt.datetime(2027, 3, 4, 10, 0), tick=False):  # recorded on receipt
        response = services.consultation_respond(
            consultation=consultation,
            by=staff,
            respondent_name=party.name,
            party=party,
            answers={1: "Yes"},
            submitted_on=D(2027, 3, 2),
        )
    asked = _post_action(signed_in, ConsultationResponse, "void_responses", [response.pk])
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    response.refresh_from_db()
    assert response.voided_on is None  # nothing happens before the reason is given

    done = _post_action(
        signed_in,
        ConsultationResponse,
        "void_responses",
        [response.pk],
        apply="1",
        reason="Entered against the wrong consultation.",
    )
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.voided_by == staff and response.void_reason.startswith("Entered against")
    audit = AuditRecord.objects.get(action=ChangeAction.CONSULTATION_RESPONSE_VOIDED)
    assert audit.target_id == str(response.pk) and audit.actor == staff
    assert not selectors.public_consultation_responses(consultation=consultation).exists()
    assert ConsultationResponse.objects.filter(pk=response.pk).exists()  # kept, never deleted
    # The Party may respond again once its mistaken response is void.
    with time_machine.travel(dt.datetime(2027, 3, 4, 10, 0), tick=False):
        services.consultation_respond(
            consultation=consultation,
            by=staff,
            respondent_name=party.name,
            party=party,
            answers={1: "Yes, again"},
            submitted_on=D(2027, 3, 3),
        )


def test_a_void_needs_a_reason_and_a_second_void_is_refused(staff, in_definition):
    group = in_definition.working_groups.get()
    meeting = services.working_group_add_meeting(
        working_group=group, by=staff, held_on=D(2027, 3, 1), agenda="1. ToR"
    )
    with pytest.raises(DomainError, match="Say why"):
        services.working_group_meeting_void(meeting=meeting, by=staff, reason="  ")
    services.working_group_meeting_void(meeting=meeting, by=staff, reason="Wrong group")
    with pytest.raises(Conflict, match="marked void"):
        services.working_group_meeting_void(meeting=meeting, by=staff, reason="Again")
    assert not selectors.working_group_meetings(working_group=group).exists()
    assert AuditRecord.objects.filter(action=ChangeAction.WORKING_GROUP_MEETING_VOIDED).count() == 1


def test_only_the_secretariat_marks_a_record_void(rep, in_definition, staff):
    group = in_definition.working_groups.get()
    meeting = services.working_group_add_meeting(
        working_group=group, by=staff, held_on=D(2027, 3, 1), agenda="1. ToR"
    )
    with pytest.raises(NotAllowed, match="Only the Secretariat"):
        services.working_group_meeting_void(meeting=meeting, by=rep, reason="Mine")
    assert WorkingGroupMeeting.objects.standing().filter(pk=meeting.pk).exists()


def test_withdrawing_a_document_from_the_admin_hides_it_and_audits(signed_in, staff, in_definition):
    doc = ChangeDocument.objects.create(
        proposal=in_definition, title="Draft legal text", file="x.pdf"
    )
    _post_action(
        signed_in, ChangeDocument, "withdraw_documents", [doc.pk], apply="1", reason="Wrong file"
    )
    doc.refresh_from_db()
    assert doc.is_void and doc.void_reason == "Wrong file"
    assert not selectors.documents_for(proposal=in_definition, user=staff).exists()
    assert AuditRecord.objects.filter(
        action=ChangeAction.DOCUMENT_WITHDRAWN, target_id=str(doc.pk)
    ).exists()


def test_marking_implemented_from_the_admin_is_a_step_with_its_event_and_audit(
    signed_in, rep, party
):
    p = proposal_in(State.IMPLEMENTING, raised_by=rep, party=party)
    plan = ImplementationPlan.objects.create(
        proposal=p, implementation_date=D(2027, 6, 1), set_on=D(2026, 3, 1)
    )
    action = ImplementationAction.objects.create(
        plan=plan, description="Publish", due_on=D(2026, 5, 1)
    )
    _post_action(signed_in, ChangeProposal, "mark_implemented", [p.pk])
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTING  # 14.7: not while an action is not done
    ImplementationAction.objects.filter(pk=action.pk).update(done_on=D(2026, 4, 1))
    response = _post_action(signed_in, ChangeProposal, "mark_implemented", [p.pk])
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTED
    event = ProposalEvent.objects.get(proposal=p, action="mark_implemented")
    assert event.from_state == State.IMPLEMENTING
    assert AuditRecord.objects.filter(
        action=ChangeAction.PROPOSAL_MARK_IMPLEMENTED, target_id=str(p.pk)
    ).exists()


def test_a_refused_admin_action_changes_nothing_and_says_why(signed_in, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    response = _post_action(signed_in, ChangeProposal, "mark_implemented", [p.pk])
    shown = [str(m) for m in signed_in.get(response["Location"]).context["messages"]]
    assert any("Implementation in progress" in m and "14.7" in m for m in shown)
    p.refresh_from_db()
    assert p.status == State.DEFINITION
    assert not ProposalEvent.objects.filter(proposal=p).exists()
    assert not AuditRecord.objects.filter(action=ChangeAction.PROPOSAL_MARK_IMPLEMENTED).exists()


def test_implementation_actions_are_marked_done_through_the_service(signed_in, staff, rep, party):
    p = proposal_in(State.IMPLEMENTING, raised_by=rep, party=party)
    plan = ImplementationPlan.objects.create(
        proposal=p, implementation_date=D(2027, 6, 1), set_on=D(2026, 3, 1)
    )
    action = ImplementationAction.objects.create(
        plan=plan, description="Publish", due_on=D(2026, 5, 1)
    )
    _post_action(signed_in, ImplementationAction, "mark_done", [action.pk])
    action.refresh_from_db()
    assert action.done_on is not None
    assert AuditRecord.objects.filter(action=ChangeAction.IMPLEMENTATION_ACTION_DONE).exists()


def test_a_desk_action_takes_the_one_selected_record_to_its_form(signed_in, in_definition):
    group = in_definition.working_groups.get()
    response = _post_action(signed_in, WorkingGroup, "dissolve", [group.pk])
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "changes:working_group_dissolve", args=[f"DCP-{in_definition.number}", group.pk]
    )


def test_a_significant_code_review_is_started_through_the_service(signed_in, staff):
    response = signed_in.post(
        _url(SignificantCodeReview, "add"),
        {"reference": "SCR-1", "title": "Access", "scope": "", "starts_on": "2027-01-04"},
    )
    assert response.status_code == 302
    review = SignificantCodeReview.objects.get(reference="SCR-1")
    assert review.created_by == staff
    assert AuditRecord.objects.filter(action=ChangeAction.SCR_CREATED).exists()


def test_the_admin_is_closed_to_anyone_but_the_secretariat(client, rep, in_definition):
    rep.is_staff = True
    rep.save()
    login_verified(client, rep)
    assert client.get(_url(ChangeProposal, "changelist")).status_code == 403
