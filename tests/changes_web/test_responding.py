"""A respondent's own consultation pages, /my/consultations/ (11.14.1, 11.17, 57.3): answering
with a confidential part, the confirmation, the acknowledgement, and who sees what."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import ConsultationResponse
from changes.services import MemberSpec
from changes.states import State
from panel.models import OutgoingMail
from tests.changes.conftest import other_party, other_rep
from tests.changes.factories import PartyFactory, UserFactory, proposal_in, representative
from tests.factories import login_verified

pytestmark = pytest.mark.django_db
__all__ = ["other_party", "other_rep"]  # fixtures

OPENS = dt.date(2027, 3, 1)  # a Monday; the consultation closes on 22 March 2027


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def member():
    return UserFactory(username="wg-member")


@pytest.fixture
def c(rep, party, secretariat, member):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party, today=OPENS)
    with at(OPENS):
        services.working_group_create(
            proposal=p,
            by=secretariat,
            name="WG",
            terms_of_reference="ToR",
            members=[MemberSpec(name="Member", organisation="Org", user=member)]
            + [MemberSpec(name=f"M{i}", organisation=f"O{i}") for i in range(4)],
        )
        return services.consultation_open(
            proposal=p,
            by=secretariat,
            title="First consultation",
            questions=["Do you agree?", "What would it cost you?"],
            documents=[
                services.Upload(
                    title="Consultation paper", file=ContentFile(b"paper", name="paper.txt")
                )
            ],
        )


def answer_url(c):
    return f"/my/consultations/{c.pk}/"


def test_a_party_answers_with_a_confidential_part_after_a_confirmation(client, c, rep, party):
    data = {
        "answer_1": "We agree.",
        "answer_2": "SECRET-COST-42",
        "answer_2_confidential": "on",
        "action": "submit",
    }
    with at(dt.date(2027, 3, 3)):
        client.force_login(rep)  # signed in on the day (a session lasts 14 days)
        page = client.get("/my/consultations/")
        assert "First consultation" in page.content.decode()
        assert "22 March 2027" in page.content.decode() and "14 Working Days left" in (
            page.content.decode()
        )
        detail = client.get(f"/changes/DCP-{c.proposal.number}/").content.decode()
        assert f'href="{answer_url(c)}"' in detail and "Consultation paper" in detail
        form = client.get(answer_url(c)).content.decode()
        assert "Consultation paper" in form and "Save draft" in form
        confirm = client.post(answer_url(c), data)
        assert confirm.status_code == 200
        assert "Yes, submit the response" in confirm.content.decode()
        assert not ConsultationResponse.objects.exists()  # nothing until confirmed
        done = client.post(
            answer_url(c), {**confirm.context["form"].data.dict(), "confirmed": "yes"}
        )
    assert done.status_code == 302
    r = ConsultationResponse.objects.get()
    assert r.party == party and r.status == "submitted" and r.submitted_on == dt.date(2027, 3, 3)
    assert [(a.text, a.confidential) for a in r.answers.all()] == [
        ("We agree.", False),
        ("SECRET-COST-42", True),
    ]
    ack = OutgoingMail.objects.get(template="changes/consultation_acknowledged")
    assert ack.to == [rep.email] and "SECRET-COST-42" in ack.body and "We agree." in ack.body


def test_the_respondent_changes_the_submission_until_the_close_then_reads_it_only(
    client, c, rep, party
):
    with at(dt.date(2027, 3, 3)):
        client.force_login(rep)
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Yes"})
        page = client.get(answer_url(c)).content.decode()
        assert "Submit the changes" in page and "Save draft" not in page
    with at(dt.date(2027, 3, 22), 16):
        client.force_login(rep)
        client.post(answer_url(c), {"answer_1": "No", "action": "submit", "confirmed": "yes"})
    assert ConsultationResponse.objects.get().answers.get().text == "No"
    assert (
        "changed"
        in OutgoingMail.objects.filter(template="changes/consultation_acknowledged")
        .latest("pk")
        .subject.lower()
    )
    with at(dt.date(2027, 3, 23)):
        client.force_login(rep)
        page = client.get(answer_url(c)).content.decode()
        assert "can no longer be changed" in page and "<textarea" not in page
        refused = client.post(
            answer_url(c), {"answer_1": "Late", "action": "submit", "confirmed": "yes"}
        )
    assert refused.status_code == 400
    assert "Working Group" in refused.content.decode()
    assert ConsultationResponse.objects.get().answers.get().text == "No"


def test_a_draft_is_saved_and_shown_to_nobody_else(client, c, rep, party, other_rep, member):
    with at(dt.date(2027, 3, 3)):
        client.force_login(rep)
        saved = client.post(answer_url(c), {"answer_1": "DRAFT-WORDS", "action": "draft"})
        assert saved.status_code == 302
        assert "DRAFT-WORDS" in client.get(saved["Location"]).content.decode()
    assert ConsultationResponse.objects.get().status == "draft"
    assert not OutgoingMail.objects.filter(template="changes/consultation_acknowledged").exists()
    detail = f"/changes/DCP-{c.proposal.number}/"
    for viewer in (other_rep, member):
        client.force_login(viewer)
        assert "DRAFT-WORDS" not in client.get(detail).content.decode()
    client.logout()
    assert "DRAFT-WORDS" not in client.get(detail).content.decode()


def _outputs(client, c):
    slug = f"DCP-{c.proposal.number}"
    api = "/api/v1/change-proposals/"
    for url in (
        f"/changes/{slug}/",
        "/changes/register.csv",
        "/changes/feed.atom",
        f"{api}{slug}/",
        f"{api}{slug}/documents/",
        f"{api}{slug}/events/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


def test_other_parties_and_the_public_never_see_the_confidential_part(
    client, c, rep, party, other_rep
):
    with at(dt.date(2027, 3, 3)):
        services.consultation_submit(
            consultation=c,
            by=rep,
            party=party,
            answers={1: "OPEN-WORDS", 2: ("SECRET-COST-42", True)},
        )
    for viewer in (other_rep, None):
        client.logout()
        if viewer:
            client.force_login(viewer)
        seen = dict(_outputs(client, c))
        assert "OPEN-WORDS" in seen[f"/changes/DCP-{c.proposal.number}/"]
        for url, body in seen.items():
            assert "SECRET-COST-42" not in body, (viewer, url)
        with at(dt.date(2027, 3, 3)):
            if viewer:  # another Party's representative sees only its own response
                assert "SECRET-COST-42" not in client.get(answer_url(c)).content.decode()


def test_the_working_group_member_and_the_secretariat_see_the_confidential_part(
    client, c, rep, party, member, secretariat
):
    with at(dt.date(2027, 3, 3)):
        services.consultation_submit(
            consultation=c,
            by=rep,
            party=party,
            answers={1: "OPEN-WORDS", 2: ("SECRET-COST-42", True)},
            confidential=False,
        )
    client.force_login(member)
    assert "SECRET-COST-42" in client.get(f"/changes/DCP-{c.proposal.number}/").content.decode()
    login_verified(client, secretariat)
    assert "SECRET-COST-42" in client.get(f"/changes/DCP-{c.proposal.number}/").content.decode()


def test_a_representative_of_two_parties_chooses_which_one_answers(client, c, rep, party):
    second = PartyFactory(name="Second Supply Ltd")
    representative(second, username=rep.username)
    with at(dt.date(2027, 3, 3)):
        client.force_login(rep)
        page = client.get(answer_url(c)).content.decode()
        assert "<legend>Which of your Parties this response is for</legend>" in page
        client.post(
            answer_url(c),
            {"party": second.pk, "answer_1": "For the second", "action": "draft"},
        )
    assert ConsultationResponse.objects.get().party == second


def test_someone_neither_party_nor_invited_is_told_who_answers(client, c, public, secretariat):
    with at(dt.date(2027, 3, 3)):
        client.force_login(public)
        assert "Consumer Body" in client.get("/my/consultations/").content.decode()
        assert client.get(answer_url(c)).status_code == 403
        services.consultation_invite(consultation=c, by=secretariat, user=public)
        assert "First consultation" in client.get("/my/consultations/").content.decode()
        assert client.get(answer_url(c)).status_code == 200


def test_the_secretariat_records_a_late_response_agreed_then_the_party_answers(
    client, c, rep, party, secretariat
):
    url = f"/changes/DCP-{c.proposal.number}/consultations/{c.pk}/late/"
    with at(dt.date(2027, 3, 24)):
        login_verified(client, secretariat)
        future = client.post(
            url, {"party": party.pk, "agreed_on": "2027-03-25", "reason": "IT outage"}
        )
        assert future.status_code == 400
        assert "not later than today" in future.context["form"].errors["agreed_on"][0]
        ok = client.post(url, {"party": party.pk, "agreed_on": "2027-03-23", "reason": "IT outage"})
        assert ok.status_code == 302
        client.force_login(rep)
        done = client.post(
            answer_url(c), {"answer_1": "Late", "action": "submit", "confirmed": "yes"}
        )
    assert done.status_code == 302
    r = ConsultationResponse.objects.get()
    assert r.late and r.late_agreed_by == secretariat and r.status == "submitted"


def test_the_desk_opening_refuses_a_close_on_a_weekend_next_to_the_field(client, c, secretariat):
    with at(OPENS):
        login_verified(client, secretariat)
        refused = client.post(
            f"/changes/DCP-{c.proposal.number}/consultations/new/",
            {"title": "Second", "questions": "Q?", "closes_on": "2027-03-20"},
        )
    assert refused.status_code == 400
    assert "not a Working Day" in refused.context["form"].errors["closes_on"][0]


def test_the_desk_uploads_the_consultation_papers_and_the_notice_links_them(
    client, c, secretariat, party
):
    with at(OPENS):
        login_verified(client, secretariat)
        done = client.post(
            f"/changes/DCP-{c.proposal.number}/consultations/new/",
            {
                "title": "Final draft",
                "questions": "Q?",
                "final_draft": "on",
                "papers": [SimpleUploadedFile("legal-text.txt", b"Clause 1 is varied")],
            },
        )
    assert done.status_code == 302
    final = c.proposal.consultations.get(title="Final draft")
    (paper,) = final.documents.all()
    assert paper.title == "legal-text.txt" and not paper.confidential
    notice = OutgoingMail.objects.filter(template="changes/consultation_opened").latest("pk")
    assert f"/changes/DCP-{c.proposal.number}/documents/{paper.pk}/" in notice.body
    assert party.notice_email in notice.bcc


def test_my_consultations_page_takes_the_same_queries_for_one_or_many(
    client, c, rep, party, secretariat, django_assert_max_num_queries
):
    with at(OPENS):
        for n in range(5):
            services.consultation_open(
                proposal=c.proposal, by=secretariat, title=f"More {n}", questions=["Q?"]
            )
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Y"})
        client.force_login(rep)
        with django_assert_max_num_queries(12):
            page = client.get("/my/consultations/")
    assert page.status_code == 200 and "More 4" in page.content.decode()
