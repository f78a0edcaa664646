"""The Authority's own pages: what awaits it, and each of its steps as form, confirmation,
record, message (10.21, 11.21, 11.22.2, 13.9-13.22, 14.9-14.11)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import AppealRecord, AuthorityDecision, ChangeReport, ProposalEvent
from changes.states import State
from panel.models import OutgoingMail
from tests.changes.conftest import authority, party, public, rep, secretariat
from tests.changes.factories import proposal_in
from tests.changes.test_authority_online import one_of_each_kind
from tests.factories import login_verified

__all__ = ["authority", "party", "public", "rep", "secretariat"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def ofgem(client, authority):
    return login_verified(client, authority)


def today():
    return dt.date.today()


def awaiting(rep, party):
    """A Part 1 Matter declared today: it awaits the Authority's decision."""
    p = proposal_in(State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1, today=today())
    ProposalEvent.objects.create(
        proposal=p,
        on=today(),
        action="vote_declared_recommendation",
        from_state=State.VOTING,
        to_state=State.AWAITING_AUTHORITY,
    )
    return p


def pdf(name="decision.pdf"):
    return SimpleUploadedFile(name, b"%PDF the Authority's letter", content_type="application/pdf")


# -- the queue --------------------------------------------------------------------------------


def test_the_authority_sees_what_awaits_it_with_a_link_to_each_form(ofgem, rep, party):
    p = awaiting(rep, party)
    response = ofgem.get("/changes/awaiting-authority/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Awaiting the Authority</h1>" in html
    assert f"/changes/DCP-{p.number}/authority/decide/" in html
    assert "Part 1 decisions (1)" in html and "The Authority must act" in html
    assert "authority_accept" not in html  # no internal codes shown


def test_the_secretariat_reads_the_queue_without_the_authoritys_links(
    client, secretariat, rep, party
):
    p = awaiting(rep, party)
    response = login_verified(client, secretariat).get("/changes/awaiting-authority/")
    assert response.status_code == 200
    assert p.reference in response.content.decode()
    assert f"/changes/DCP-{p.number}/authority/decide/" not in response.content.decode()


def test_a_party_is_refused_the_queue_with_a_clear_page(client, rep):
    client.force_login(rep)
    response = client.get("/changes/awaiting-authority/")
    assert response.status_code == 403
    assert "Only the Secretariat or the Authority may see what awaits the Authority" in (
        response.content.decode()
    )


def test_the_public_is_sent_to_sign_in(client):
    response = client.get("/changes/awaiting-authority/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- the Part 1 decision ----------------------------------------------------------------------


def test_the_authority_decides_with_its_letter_after_a_confirmation(ofgem, rep, party):
    p = awaiting(rep, party)
    url = f"/changes/DCP-{p.number}/authority/decide/"
    page = ofgem.get(url).content.decode()
    assert "<legend>The Authority&#x27;s decision</legend>" in page
    assert 'name="decided_on"' not in page  # dated by the system's clock

    missing = ofgem.post(url, {"decision": "accept", "reason": "Better facilitates G1."})
    assert missing.status_code == 400 and missing.context["form"].errors["document"]

    confirm = ofgem.post(
        url, {"decision": "accept", "reason": "Better facilitates G1.", "document": pdf()}
    )
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "What will happen" in html and "will be accepted" in html
    assert "Who is told" in html and "every Party" in html and "decision.pdf" in html
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY  # nothing recorded before the confirmation
    assert not AuthorityDecision.objects.exists()

    done = ofgem.post(
        url,
        {
            "decision": "accept",
            "reason": "Better facilitates G1.",
            "letter": confirm.context["letter"],
            "confirmed": "1",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"/changes/DCP-{p.number}/"
    assert "has been recorded and notice sent" in done.content.decode()
    p.refresh_from_db()
    assert p.status == State.APPROVED
    decision = AuthorityDecision.objects.get(proposal=p)
    assert decision.decided_on == today() and decision.reasons == "Better facilitates G1."
    assert decision.document.file.read() == b"%PDF the Authority's letter"
    assert OutgoingMail.objects.filter(template="changes/notice_decided").exists()
    told = OutgoingMail.objects.get(template="changes/authority_step")
    assert "jo@example.test" in told.bcc


def test_going_back_from_the_confirmation_keeps_the_letter(ofgem, rep, party):
    p = awaiting(rep, party)
    url = f"/changes/DCP-{p.number}/authority/decide/"
    confirm = ofgem.post(url, {"decision": "reject", "reason": "No.", "document": pdf()})
    back = ofgem.post(
        url,
        {"decision": "reject", "reason": "No.", "letter": confirm.context["letter"], "back": "1"},
    )
    assert back.status_code == 200 and "The letter <strong>decision.pdf</strong> is kept" in (
        back.content.decode()
    )


def test_a_forged_letter_token_keeps_no_letter(ofgem, rep, party):
    p = awaiting(rep, party)
    response = ofgem.post(
        f"/changes/DCP-{p.number}/authority/decide/",
        {"decision": "accept", "reason": "r", "letter": "forged", "confirmed": "1"},
    )
    assert response.status_code == 400 and response.context["form"].errors["document"]
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY


def test_a_party_is_refused_the_authoritys_decision(client, rep, party):
    p = awaiting(rep, party)
    client.force_login(rep)
    response = client.get(f"/changes/DCP-{p.number}/authority/decide/")
    assert response.status_code == 403
    assert "Only the Authority may decide on a Part 1 Matter (13.9-13.12)" in (
        response.content.decode()
    )


def test_the_secretariat_cannot_use_the_authoritys_own_form(client, secretariat, rep, party):
    p = awaiting(rep, party)
    response = login_verified(client, secretariat).get(f"/changes/DCP-{p.number}/authority/decide/")
    assert response.status_code == 403


def test_a_decision_on_a_proposal_not_awaiting_it_is_refused_next_to_the_form(ofgem, rep, party):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=1, today=today())
    url = f"/changes/DCP-{p.number}/authority/decide/"
    confirm = ofgem.post(url, {"decision": "accept", "reason": "r", "document": pdf()})
    response = ofgem.post(
        url,
        {
            "decision": "accept",
            "reason": "r",
            "letter": confirm.context["letter"],
            "confirmed": "1",
        },
    )
    assert response.status_code == 409
    assert "Voting open" in response.content.decode()
    assert not p.documents.exists()


# -- directions, the wait, the date -----------------------------------------------------------


def confirm_and_take(client, url, data):
    first = client.post(url, data)
    assert first.status_code == 200, first.content.decode()[:2000]
    kept = {k: v for k, v in data.items() if k != "document"}
    letter = first.context.get("letter") or ""
    return client.post(url, {**kept, "letter": letter, "confirmed": "1"})


def test_the_authority_gives_its_part_opinion(ofgem, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party, part=2, today=today())
    url = f"/changes/DCP-{p.number}/authority/direct/part-opinion/"
    assert "<legend>In the Authority&#x27;s opinion the proposal is</legend>" in (
        ofgem.get(url).content.decode()
    )
    response = confirm_and_take(ofgem, url, {"part": "1", "reason": "Material consumer impact"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.part, p.authority_part_opinion) == (1, 1)


def test_declining_a_referral_needs_reasons(ofgem, rep, party):
    p = proposal_in(State.REFERRED_TO_AUTHORITY, raised_by=rep, party=party, today=today())
    url = f"/changes/DCP-{p.number}/authority/direct/decline-acceptance/"
    assert ofgem.post(url, {}).context["form"].errors["reason"]
    response = confirm_and_take(ofgem, url, {"reason": "Out of scope indeed"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == State.REFUSED


def test_an_unknown_direction_is_not_found(ofgem, rep, party):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party, today=today())
    assert ofgem.get(f"/changes/DCP-{p.number}/authority/direct/anything/").status_code == 404


def test_the_authority_exempts_the_7_day_wait(ofgem, secretariat, rep, party):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party, today=today())
    report = services.change_report_create(
        proposal=p,
        by=secretariat,
        eligible_categories=["DNO"],
        variation="v",
        effects="e",
        implementation_date=dt.date(2027, 11, 4),
    )
    services.change_report_send_to_authority(report=report, by=secretariat)
    url = f"/changes/DCP-{p.number}/authority/reports/{report.version}/waive-wait/"
    response = confirm_and_take(ofgem, url, {"reason": "Urgent"})
    assert response.status_code == 302
    assert ChangeReport.objects.get(pk=report.pk).authority_exempted_wait


def test_a_new_implementation_date_is_bounded_on_the_page(ofgem, rep, party):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party, today=today())
    url = f"/changes/DCP-{p.number}/authority/implementation-date/"
    data = {"new_date": "9999-12-31", "basis": "panel_request", "reason": "Systems"}
    response = ofgem.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 400
    assert "within ten years" in response.context["form"].errors["new_date"][0]
    response = confirm_and_take(ofgem, url, {**data, "new_date": "2028-01-06"})
    assert response.status_code == 302
    assert AuthorityDecision.objects.get(proposal=p).data["new_date"] == "2028-01-06"


# -- one appeal (13.20-13.22) -----------------------------------------------------------------


def two_appeals(rep, party):
    p = proposal_in(
        State.UNDER_APPEAL, raised_by=rep, party=party, vote_outcome="accepted", today=today()
    )
    first, second = (
        AppealRecord.objects.create(
            proposal=p, appellant_name=name, lodged_on=today(), against="accepted", reasons="r"
        )
        for name in ("Octant", "Consumer Body")
    )
    return p, first, second


def test_the_authority_screens_out_one_appeal_with_its_letter(ofgem, rep, party):
    p, first, _ = two_appeals(rep, party)
    url = f"/changes/DCP-{p.number}/authority/appeals/{first.pk}/"
    assert "Decide the appeal by Octant" in ofgem.get(url).content.decode()
    missing = ofgem.post(url, {"outcome": "screened_out", "reason": "Vexatious"})
    assert missing.status_code == 400 and missing.context["form"].errors["document"]
    response = confirm_and_take(
        ofgem, url, {"outcome": "screened_out", "reason": "Vexatious", "document": pdf()}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.outcome == "screened_out"


def test_deciding_one_appeal_leaves_the_other_pending(ofgem, rep, party):
    p, first, second = two_appeals(rep, party)
    url = f"/changes/DCP-{p.number}/authority/appeals/{first.pk}/"
    confirm_and_take(ofgem, url, {"outcome": "dismissed", "reason": "No", "document": pdf()})
    second.refresh_from_db()
    assert second.outcome == ""
    first.refresh_from_db()
    assert first.decision_document is not None


def test_interim_directions_keep_the_appeal_open(ofgem, rep, party):
    p, first, _ = two_appeals(rep, party)
    url = f"/changes/DCP-{p.number}/authority/appeals/{first.pk}/"
    response = confirm_and_take(ofgem, url, {"outcome": "interim", "reason": "Implement now"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.outcome == "" and "Implement now" in first.interim_directions


def test_a_decided_appeal_has_no_form(ofgem, rep, party):
    p, first, _ = two_appeals(rep, party)
    AppealRecord.objects.filter(pk=first.pk).update(outcome="dismissed")
    assert ofgem.get(f"/changes/DCP-{p.number}/authority/appeals/{first.pk}/").status_code == 404


# -- recording the variation as made (14.7) ---------------------------------------------------


def test_the_variation_is_recorded_as_made_only_when_every_action_is_done(
    client, secretariat, rep, party
):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party, today=today())
    plan = services.implementation_plan_set(
        proposal=p, by=secretariat, actions=[("Publish consolidated text", dt.date(2027, 10, 1))]
    )
    sec = login_verified(client, secretariat)
    url = f"/changes/DCP-{p.number}/implementation/implemented/"
    response = sec.post(url, {"confirm": "on"})
    assert response.status_code == 400
    assert "Publish consolidated text" in response.content.decode()
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTING
    services.implementation_action_done(action=plan.actions.get(), by=secretariat)
    assert sec.post(url, {"confirm": "on"}).status_code == 302
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTED


def test_the_authority_on_the_secretariats_letter_form_is_pointed_to_its_own(ofgem, rep, party):
    p = awaiting(rep, party)
    response = ofgem.get(f"/changes/DCP-{p.number}/authority-decision/")
    assert response.status_code == 403
    assert "the Authority takes this step itself from &#x27;Awaiting the Authority&#x27;" in (
        response.content.decode()
    )


def test_the_secretariats_sent_date_is_refused_next_to_its_field(client, secretariat, rep, party):
    p = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party, today=today())
    report = services.change_report_create(
        proposal=p,
        by=secretariat,
        eligible_categories=["DNO"],
        variation="v",
        effects="e",
        implementation_date=dt.date(2027, 11, 4),
    )
    sec = login_verified(client, secretariat)
    url = f"/changes/DCP-{p.number}/reports/{report.version}/send/"
    response = sec.post(url, {"sent_on": (today() - dt.timedelta(days=12)).isoformat()})
    assert response.status_code == 400
    assert (
        "cannot have been provided to the Authority before then"
        in (response.context["form"].errors["sent_on"][0])
    )
    assert ChangeReport.objects.get(pk=report.pk).sent_to_authority_on is None


def test_every_kind_of_matter_is_listed_on_the_page(ofgem, secretariat, rep, party):
    one_of_each_kind(rep, party, secretariat)
    html = ofgem.get("/changes/awaiting-authority/").content.decode()
    for heading in (
        "Part 1 decisions",
        "Appeals",
        "Refusals referred to the Authority",
        "Authority Change Proposals",
        "Timetable variations",
        "Implementation dates",
        "Part 1 or Part 2 opinions",
    ):
        assert f"{heading} (" in html, heading
    assert "The Authority may act" in html and "Within 10 Working Days" in html


def test_the_proposal_page_shows_the_plan_and_the_directed_date(
    client, secretariat, authority, rep, party
):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party, today=today())
    services.implementation_plan_set(
        proposal=p, by=secretariat, actions=[("Publish consolidated text", dt.date(2027, 10, 1))]
    )
    services.implementation_date_direct(
        proposal=p, by=authority, new_date=dt.date(2028, 1, 6), basis="panel_request", reasons="r"
    )
    html = client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert "Implementation date: <strong>6 January 2028</strong>" in html
    assert "from 4 November 2027 to 6 January 2028" in html
    assert "Publish consolidated text" in html and "Not yet" in html
