"""The Secretariat's desk forms for the records and steps that need data: each one calls its
service, and a refusal is shown next to the field with the rule it breaks."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import (
    AlternativeVariation,
    AppealRecord,
    AuthorityDecision,
    ChangeDocument,
    ChangeProposal,
    ImplementationDateChange,
    ProposalEvent,
    WorkingGroupMeeting,
)
from changes.states import State
from panel.errors import DomainError
from tests.changes.factories import PartyFactory, proposal_in

pytestmark = pytest.mark.django_db


def _group(p, secretariat):
    """A Working Group of five members plus the Proposer's nominee (11.15)."""
    members = [services.MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(5)]
    members.append(
        services.MemberSpec(name="Nominee", organisation="Brightwater", is_proposer_nominee=True)
    )
    return services.working_group_create(
        by=secretariat, proposal=p, name="WG", terms_of_reference="ToR", members=members
    )


def _move(p, state):
    """Test arrangement only: put the proposal in a later state."""
    ChangeProposal.objects.filter(pk=p.pk).update(status=state)
    p.refresh_from_db()
    return p


@pytest.fixture
def in_definition(rep, party, secretariat):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    return p, _group(p, secretariat)


def test_a_meeting_with_confidential_papers_and_its_minutes(sec_client, in_definition):
    p, group = in_definition
    url = f"/changes/DCP-{p.number}/working-group/{group.pk}/meetings/new/"
    assert sec_client.get(url).status_code == 200
    response = sec_client.post(url, {"held_on": "2027-03-10"})
    assert response.status_code == 400 and response.context["form"].errors["agenda"]
    response = sec_client.post(
        url,
        {
            "held_on": "2027-03-10",
            "agenda": "1. Options for the boundary",
            "papers": [
                SimpleUploadedFile("options.txt", b"options"),
                SimpleUploadedFile("costs.txt", b"costs"),
            ],
            "papers_confidential": "on",
        },
    )
    assert response.status_code == 302
    meeting = WorkingGroupMeeting.objects.get(working_group=group)
    papers = list(meeting.papers.all())
    assert len(papers) == 2 and all(d.confidential and d.proposal_id == p.pk for d in papers)
    url = f"/changes/DCP-{p.number}/working-group/{group.pk}/meetings/{meeting.pk}/minutes/"
    assert sec_client.post(url, {"minutes": ""}).status_code == 400
    assert sec_client.post(url, {"minutes": "Option B preferred."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Option B preferred."


def test_a_meeting_of_a_dissolved_group_is_not_offered(sec_client, in_definition, secretariat):
    p, group = in_definition
    services.working_group_dissolve(working_group=group, by=secretariat, reason="done")
    url = f"/changes/DCP-{p.number}/working-group/{group.pk}/meetings/new/"
    response = sec_client.post(url, {"held_on": "2027-03-10", "agenda": "x"})
    assert response.status_code == 404
    assert not WorkingGroupMeeting.objects.exists() and not ChangeDocument.objects.exists()


def test_a_working_group_keeps_five_members_besides_the_nominee(sec_client, in_definition):
    p, group = in_definition
    base = f"/changes/DCP-{p.number}/working-group/{group.pk}"
    leaving = group.members.get(name="Member 0")
    response = sec_client.post(f"{base}/members/remove/", {"member": leaving.pk})
    assert response.status_code == 400
    error = response.context["form"].errors["member"][0]
    assert "at least five members" in error and "(11.15)" in error
    leaving.refresh_from_db()
    assert leaving.left_on is None
    response = sec_client.post(
        f"{base}/members/new/", {"name": "Member 5", "organisation": "Org 5"}
    )
    assert response.status_code == 302
    assert group.members.filter(name="Member 5", left_on__isnull=True).exists()
    response = sec_client.post(
        f"{base}/members/remove/", {"member": leaving.pk, "left_on": group.created_on.isoformat()}
    )
    assert response.status_code == 302  # a day already past: not after today (rule 2)
    leaving.refresh_from_db()
    assert leaving.left_on == group.created_on


def test_the_proposers_nominee_is_replaced_and_the_group_dissolved(sec_client, in_definition):
    p, group = in_definition
    base = f"/changes/DCP-{p.number}/working-group/{group.pk}"
    response = sec_client.post(
        f"{base}/nominee/", {"name": "New Nominee", "organisation": "Brightwater"}
    )
    assert response.status_code == 302
    live = group.members.filter(is_proposer_nominee=True, left_on__isnull=True)
    assert [m.name for m in live] == ["New Nominee"]
    assert group.members.get(name="Nominee").left_on is not None
    assert sec_client.post(f"{base}/dissolve/", {}).status_code == 400  # a reason is required
    assert sec_client.post(f"{base}/dissolve/", {"reason": "Report drafted"}).status_code == 302
    group.refresh_from_db()
    assert group.dissolved_on is not None and group.dissolved_reason == "Report drafted"
    # a dissolved group is no longer changed
    assert sec_client.get(f"{base}/members/new/").status_code == 404


def test_alternatives_come_from_a_member_or_respondent_and_at_most_two_go_on_the_report(
    sec_client, in_definition, secretariat
):
    p, group = in_definition
    p = _move(p, State.REPORT_PHASE)
    report = services.change_report_create(
        proposal=p,
        by=secretariat,
        eligible_categories=["DNO"],
        variation="v",
        effects="e",
        implementation_date=dt.date(2027, 11, 4),
    )
    url = f"/changes/DCP-{p.number}/alternatives/new/"
    response = sec_client.post(url, {"description": "From nobody"})
    assert response.status_code == 400
    error = response.context["form"].errors["working_group_member"][0]
    assert "(11.18)" in error and "name exactly one" in error
    # the Proposer's nominee first: only the Proposer's own alternative is the Proposer's (11.23)
    members = list(group.members.order_by("-is_proposer_nominee", "name"))
    refused = sec_client.post(
        url,
        {"description": "Not theirs", "working_group_member": members[1].pk, "by_proposer": "on"},
    )
    assert refused.status_code == 400 and "by_proposer" in refused.context["form"].errors
    for i, member in enumerate(members[:3]):
        data = {"description": f"Alternative {i}", "working_group_member": member.pk}
        if member.is_proposer_nominee:
            data["by_proposer"] = "on"
        assert sec_client.post(url, data).status_code == 302
    alternatives = list(AlternativeVariation.objects.filter(proposal=p).order_by("pk"))
    assert len(alternatives) == 3 and alternatives[0].by_proposer
    add = f"/changes/DCP-{p.number}/reports/{report.version}/alternatives/add/"
    assert sec_client.post(add, {"alternative": alternatives[0].pk}).status_code == 302
    assert sec_client.post(add, {"alternative": alternatives[1].pk}).status_code == 302
    response = sec_client.post(add, {"alternative": alternatives[2].pk})
    assert response.status_code == 400
    error = response.context["form"].errors["alternative"][0]
    assert "At most two alternative variations" in error and "(11.23.3)" in error
    assert sorted(report.alternatives.values_list("letter", flat=True)) == ["A", "B"]
    alternatives[2].refresh_from_db()
    assert alternatives[2].letter == ""


def test_an_alternative_from_a_consultation_respondent(sec_client, in_definition, secretariat):
    p, _ = in_definition
    c = services.consultation_open(proposal=p, by=secretariat, title="First", questions=["Agree?"])
    r = services.consultation_respond(
        consultation=c, by=secretariat, respondent_name="Octant", answers={1: "No"}
    )
    response = sec_client.post(
        f"/changes/DCP-{p.number}/alternatives/new/",
        {"description": "Octant's way", "consultation_response": r.pk},
    )
    assert response.status_code == 302
    alt = AlternativeVariation.objects.get(proposal=p)
    assert alt.source == AlternativeVariation.Source.RESPONDENT and alt.put_forward_by == "Octant"


def test_the_summary_of_consultation_responses(sec_client, in_definition, secretariat):
    p, _ = in_definition
    c = services.consultation_open(proposal=p, by=secretariat, title="First", questions=["Agree?"])
    url = f"/changes/DCP-{p.number}/consultations/{c.pk}/summary/"
    assert sec_client.post(url, {"summary": ""}).status_code == 400
    assert sec_client.post(url, {"summary": "Four of five agreed."}).status_code == 302
    c.refresh_from_db()
    assert c.response_summary == "Four of five agreed."
    body = sec_client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert "Four of five agreed." in body and url in body


def test_the_implementation_plan_lists_actions_due_by_the_implementation_date(
    sec_client, rep, party
):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    url = f"/changes/DCP-{p.number}/implementation/plan/"
    response = sec_client.post(
        url, {"implementation_date": "2027-11-04", "actions": "Update Schedule 22"}
    )
    assert "Text | YYYY-MM-DD" in response.context["form"].errors["actions"][0]
    response = sec_client.post(
        url, {"implementation_date": "2027-11-04", "actions": "Update Schedule 22 | 2027-12-01"}
    )
    assert response.status_code == 400
    assert "(14.6.2)" in response.context["form"].errors["actions"][0]
    p.refresh_from_db()
    assert p.status == State.APPROVED and not ProposalEvent.objects.filter(proposal=p).exists()
    response = sec_client.post(
        url,
        {
            "implementation_date": "2027-11-04",
            "actions": "Update Schedule 22 | 2027-10-01\nNotify Parties | 2027-10-15",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTING
    assert list(p.implementation_plan.actions.values_list("description", flat=True)) == [
        "Update Schedule 22",
        "Notify Parties",
    ]
    assert ProposalEvent.objects.filter(proposal=p, action="implementation_plan_set").count() == 1


def test_a_new_implementation_date_by_direction_names_its_basis(sec_client, rep, party):
    # submitted ten days ago: the letter, dated today, is not before the proposal's last step
    p = proposal_in(State.IMPLEMENTING, raised_by=rep, party=party, today=dt.date.today())
    url = f"/changes/DCP-{p.number}/implementation/date/"
    response = sec_client.post(url, {"new_date": "2028-01-06", "basis": "panel_request"})
    assert response.status_code == 400  # the Authority's letter is required (13.13)
    assert response.context["form"].errors["document"]
    response = sec_client.post(
        url,
        {
            "new_date": "2028-01-06",
            "basis": "authority_change",
            "document": SimpleUploadedFile("direction.txt", b"letter"),
        },
    )
    assert response.status_code == 400
    assert "(14.11)" in response.context["form"].errors["basis"][0]
    assert not ImplementationDateChange.objects.exists()
    response = sec_client.post(
        url,
        {
            "new_date": "2028-01-06",
            "basis": "panel_request",
            "reason": "Systems not ready",
            "document": SimpleUploadedFile("direction.txt", b"letter"),
        },
    )
    assert response.status_code == 302
    change = ImplementationDateChange.objects.get(plan__proposal=p)
    assert change.new_date == dt.date(2028, 1, 6) and change.basis == "panel_request"
    assert ProposalEvent.objects.filter(proposal=p, action="implementation_date_directed").exists()


def test_the_authoritys_decision_with_its_letter(sec_client, rep, party):
    p = proposal_in(
        State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1, today=dt.date.today()
    )
    url = f"/changes/DCP-{p.number}/authority-decision/"
    response = sec_client.get(url + "?decision=accept")
    assert response.context["form"].initial["decision"] == "accept"
    response = sec_client.post(url, {"decision": "accept", "reason": "Per the letter"})
    assert response.status_code == 400  # the Authority's letter is required (13.13)
    assert response.context["form"].errors["document"]
    response = sec_client.post(
        url, {"decision": "send_back", "document": SimpleUploadedFile("d.txt", b"letter")}
    )
    assert response.status_code == 400
    assert "(13.11A)" in response.context["form"].errors["reason"][0]
    assert not ChangeDocument.objects.filter(proposal=p).exists()
    response = sec_client.post(
        url,
        {
            "decision": "accept",
            "reason": "Better facilitates the Objectives.",
            "document": SimpleUploadedFile("decision.txt", b"letter"),
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.APPROVED
    decision = AuthorityDecision.objects.get(proposal=p)
    assert decision.kind == "authority_accept" and decision.document is not None
    event = ProposalEvent.objects.get(proposal=p, action="authority_accept")
    assert list(event.documents.all()) == [decision.document]


def test_a_refused_decision_leaves_no_letter_behind(sec_client, rep, party):
    """The letter is attached by the step's own service: a refusal stores no paper."""
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=1)
    response = sec_client.post(
        f"/changes/DCP-{p.number}/authority-decision/",
        {
            "decision": "accept",
            "reason": "Better facilitates the Objectives.",
            "document": SimpleUploadedFile("decision.txt", b"letter"),
        },
    )
    assert response.status_code in (400, 409)
    p.refresh_from_db()
    assert p.status == State.VOTING
    assert not ChangeDocument.objects.filter(proposal=p).exists()
    assert not AuthorityDecision.objects.filter(proposal=p).exists()


def test_a_refused_step_leaves_no_paper_behind(in_definition, secretariat):
    p, _ = in_definition
    upload = services.Upload(title="letter.txt", file=SimpleUploadedFile("l.txt", b"letter"))
    with pytest.raises(DomainError):
        services.proposal_transition(
            proposal=p, action="authority_accept", by=secretariat, documents=[upload]
        )
    assert not ChangeDocument.objects.filter(proposal=p).exists()
    p.refresh_from_db()
    assert p.status == State.DEFINITION


def test_an_appeal_is_lodged_in_writing_and_decided(sec_client, rep, party):
    p = proposal_in(
        State.ACCEPTED_APPEAL_WINDOW, raised_by=rep, party=party, vote_outcome="accepted"
    )
    url = f"/changes/DCP-{p.number}/appeals/new/"
    other = PartyFactory(name="Octant Energy")
    data = {
        "appellant_name": "Octant Energy",
        "appellant_party": other.pk,
        "reason": "Unduly discriminatory (13.20).",
        "copied_to_secretariat_and_panel": "on",
    }

    def letter():
        return SimpleUploadedFile("appeal.txt", b"We appeal (13.17).")

    response = sec_client.post(url, {**data, "document": letter()})
    assert response.status_code == 400
    assert "in writing" in response.context["form"].errors["in_writing"][0]
    assert not AppealRecord.objects.exists()
    response = sec_client.post(url, {**data, "in_writing": "on"})
    assert response.status_code == 400  # without the appellant's letter
    assert "document" in response.context["form"].errors
    response = sec_client.post(url, {**data, "in_writing": "on", "document": letter()})
    assert response.status_code == 302
    appeal = AppealRecord.objects.get(proposal=p)
    assert appeal.documents.count() == 1
    p.refresh_from_db()
    assert p.status == State.UNDER_APPEAL and appeal.against == "accepted"
    url = f"/changes/DCP-{p.number}/appeals/decide/"
    response = sec_client.post(
        url,
        {
            "appeal": appeal.pk,
            "outcome": "dismissed",
            "document": SimpleUploadedFile("appeal-decision.txt", b"letter"),
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    appeal.refresh_from_db()
    assert p.status == State.APPROVED and appeal.outcome == "dismissed"
    assert ProposalEvent.objects.filter(proposal=p, action="appeal_dismissed").count() == 1


def test_withdrawal_of_a_10_2_5_proposal_needs_the_authoritys_consent(sec_client, rep, party):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party, proposer_kind="dno_idno_directed")
    url = f"/changes/DCP-{p.number}/withdraw/"
    response = sec_client.post(url, {"reason": "No longer needed"})
    assert response.status_code == 400
    assert "Authority's consent" in response.context["form"].errors["authority_consent"][0]
    response = sec_client.post(
        url, {"reason": "No longer needed", "authority_consent": "Letter of 1 March"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.WITHDRAWN
    assert ProposalEvent.objects.filter(proposal=p, action="withdraw").count() == 1


def test_the_secretariat_records_a_partys_adoption_and_the_party_becomes_proposer(
    sec_client, rep, party
):
    """A Party adopts a withdrawn proposal by notice; the Secretariat records it (11.31)."""
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    sec_client.post(f"/changes/DCP-{p.number}/withdraw/", {"reason": "No longer needed"})
    p.refresh_from_db()
    assert p.status == State.WITHDRAWN
    other = PartyFactory(name="Octant Energy")
    response = sec_client.post(f"/changes/DCP-{p.number}/adopt/", {"party": other.pk})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.DEFINITION and p.proposer_party == other


def test_the_desk_routes_steps_that_need_data_to_their_own_form(sec_client, rep, party):
    p = proposal_in(State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1)
    body = sec_client.get("/changes/desk/").content.decode()
    assert f"/changes/DCP-{p.number}/authority-decision/?decision=accept" in body
    assert f"/changes/DCP-{p.number}/withdraw/" in body
    assert f"/changes/desk/DCP-{p.number}/authority_accept/" not in body
    detail = sec_client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert f"/changes/DCP-{p.number}/authority-decision/?decision=reject" in detail
    # the generic confirmation sends the step to its own form, taking nothing itself
    response = sec_client.post(f"/changes/desk/DCP-{p.number}/authority_accept/", {})
    assert response.status_code == 302
    assert response["Location"] == f"/changes/DCP-{p.number}/authority-decision/?decision=accept"
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY


def test_the_proposal_page_links_the_working_group_forms(sec_client, in_definition):
    p, group = in_definition
    body = sec_client.get(f"/changes/DCP-{p.number}/").content.decode()
    for tail in ("meetings/new/", "members/new/", "members/remove/", "nominee/", "dissolve/"):
        assert f"/changes/DCP-{p.number}/working-group/{group.pk}/{tail}" in body
    assert f"/changes/DCP-{p.number}/alternatives/new/" in body


PATHS = [
    "working-group/{wg}/meetings/new/",
    "working-group/{wg}/members/new/",
    "working-group/{wg}/members/remove/",
    "working-group/{wg}/nominee/",
    "working-group/{wg}/dissolve/",
    "alternatives/new/",
    "implementation/plan/",
    "implementation/date/",
    "authority-decision/",
    "appeals/new/",
    "appeals/decide/",
    "withdraw/",
    "adopt/",
]


@pytest.mark.parametrize("path", PATHS)
def test_only_the_secretariat_uses_the_desk_forms(client, rep, in_definition, path):
    p, group = in_definition
    url = f"/changes/DCP-{p.number}/" + path.format(wg=group.pk)
    client.force_login(rep)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "name": "x", "organisation": "y"}).status_code == 403
    group.refresh_from_db()
    p.refresh_from_db()
    assert group.dissolved_on is None and p.status == State.DEFINITION
    assert group.members.count() == 6
