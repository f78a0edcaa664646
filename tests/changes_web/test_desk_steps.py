"""The desk's data-recording steps are declarations served by one view: every URL keeps its
path and name, access is checked through panel.access, a refusal sits next to its field."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import resolve, reverse

from changes.models import WorkingGroupMeeting
from changes.states import State
from changes.views import steps
from tests.changes.factories import PartyFactory, proposal_in

from .test_desk_forms import _group

pytestmark = pytest.mark.django_db

# Every data-recording desk form, by URL name, with the path it has always had.
PATHS = {
    "working_group_new": "/changes/DCP-7/working-group/new/",
    "consultation_new": "/changes/DCP-7/consultations/new/",
    "response_new": "/changes/DCP-7/consultations/3/responses/new/",
    "consultation_summarise": "/changes/DCP-7/consultations/3/summary/",
    "consultation_invite": "/changes/DCP-7/consultations/3/invite/",
    "consultation_allow_late": "/changes/DCP-7/consultations/3/late/",
    "report_new": "/changes/DCP-7/reports/new/",
    "report_send": "/changes/DCP-7/reports/3/send/",
    "report_add_alternative": "/changes/DCP-7/reports/3/alternatives/add/",
    "alternative_new": "/changes/DCP-7/alternatives/new/",
    "alternative_withdraw": "/changes/DCP-7/alternatives/5/withdraw/",
    "working_group_meeting_new": "/changes/DCP-7/working-group/3/meetings/new/",
    "working_group_minutes": "/changes/DCP-7/working-group/3/meetings/4/minutes/",
    "working_group_member_new": "/changes/DCP-7/working-group/3/members/new/",
    "working_group_member_remove": "/changes/DCP-7/working-group/3/members/remove/",
    "working_group_nominee": "/changes/DCP-7/working-group/3/nominee/",
    "working_group_dissolve": "/changes/DCP-7/working-group/3/dissolve/",
    "implementation_plan": "/changes/DCP-7/implementation/plan/",
    "implementation_done": "/changes/DCP-7/implementation/implemented/",
    "implementation_date": "/changes/DCP-7/implementation/date/",
    "authority_decision": "/changes/DCP-7/authority-decision/",
    "appeal_new": "/changes/DCP-7/appeals/new/",
    "appeal_decide": "/changes/DCP-7/appeals/decide/",
    "withdraw": "/changes/DCP-7/withdraw/",
    "adopt": "/changes/DCP-7/adopt/",
}


def test_every_desk_form_is_a_declared_step_served_by_the_one_view():
    assert set(steps.STEPS) == set(PATHS)
    for name, url in PATHS.items():
        match = resolve(url)
        assert match.url_name == name and match.func is steps.desk_step
        assert match.kwargs["step"] == name and match.kwargs["reference"] == "DCP-7"
        ids = {k: v for k, v in match.kwargs.items() if k not in {"step", "reference"}}
        assert reverse(f"changes:{name}", kwargs={"reference": "DCP-7", **ids}) == url


def test_steps_that_need_data_are_linked_to_their_own_form():
    assert steps.STEP_FORMS == {
        "implementation_plan_set": ("changes:implementation_plan", ""),
        "implementation_date_directed": ("changes:implementation_date", ""),
        "mark_implemented": ("changes:implementation_done", ""),
        "authority_accept": ("changes:authority_decision", "?decision=accept"),
        "authority_reject": ("changes:authority_decision", "?decision=reject"),
        "authority_send_back": ("changes:authority_decision", "?decision=send_back"),
        "appeal_lodged": ("changes:appeal_new", ""),
        "appeal_screened_out": ("changes:appeal_decide", "?outcome=screened_out"),
        "appeal_dismissed": ("changes:appeal_decide", "?outcome=dismissed"),
        "appeal_quashed": ("changes:appeal_decide", "?outcome=quashed"),
        "appeal_sent_back": ("changes:appeal_decide", "?outcome=sent_back"),
        "withdraw": ("changes:withdraw", ""),
        "adopt": ("changes:adopt", ""),
    }
    assert steps.step_url("DCP-7", "adopt") == "/changes/DCP-7/adopt/"
    assert steps.step_url("DCP-7", "refer_to_panel") == "/changes/desk/DCP-7/refer_to_panel/"


def test_a_step_refuses_others_in_the_access_rules_words(rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    request = RequestFactory().get(f"/changes/DCP-{p.number}/withdraw/")
    request.user = rep
    with pytest.raises(PermissionDenied, match="Only the Secretariat may use the Secretariat desk"):
        steps.desk_step(request, step="withdraw", reference=f"DCP-{p.number}")


def test_a_step_sends_anonymous_visitors_to_sign_in(client, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    response = client.post(f"/changes/DCP-{p.number}/withdraw/", {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    p.refresh_from_db()
    assert p.status == State.DEFINITION


def test_a_step_words_its_title_and_message_from_the_record_it_names(
    sec_client, rep, party, secretariat
):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    group = _group(p, secretariat)
    meeting = WorkingGroupMeeting.objects.create(
        working_group=group, held_on="2027-03-10", agenda="1. Options"
    )
    url = f"/changes/DCP-{p.number}/working-group/{group.pk}/meetings/{meeting.pk}/minutes/"
    page = sec_client.get(url)
    assert page.status_code == 200
    assert "Minutes of the meeting of WG on 10 March 2027" in page.content.decode()
    assert page.context["clause"] == "11.16"
    done = sec_client.post(url, {"minutes": "Agreed option B."}, follow=True)
    assert done.redirect_chain[-1][0] == f"/changes/DCP-{p.number}/"
    assert "The minutes have been recorded." in done.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed option B."


def test_a_refusal_without_a_field_of_the_form_goes_to_the_steps_default_field(
    sec_client, rep, party
):
    """The adoption of a proposal that is not withdrawn is refused; shown next to 'party'."""
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    other = PartyFactory(name="Octant Energy")
    response = sec_client.post(f"/changes/DCP-{p.number}/adopt/", {"party": other.pk})
    assert response.status_code == 409
    form = response.context["form"]
    assert form.errors["party"] and not form.non_field_errors()
    p.refresh_from_db()
    assert p.status == State.DEFINITION and p.proposer_party == party


def test_a_missing_record_in_a_steps_url_is_a_404(sec_client, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    assert sec_client.get(f"/changes/DCP-{p.number}/consultations/999/summary/").status_code == 404
    assert sec_client.get(f"/changes/DCP-{p.number}/reports/9/send/").status_code == 404
    assert sec_client.get("/changes/DCP-99999/withdraw/").status_code == 404
