"""The life of a Change Proposal in a real browser: a Party raises it, the Secretariat checks it,
the Panel (recorded by the Secretariat on the desk) sets up a Working Group, a consultation
opens and closes, and the Change Report goes to the vote after the 7-day wait (11.22.2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from changes.models import ChangeProposal, Consultation, WorkingGroup
from changes.states import State
from panel.calendar import add_working_days
from panel.models import Category
from tests.factories import make_representative, make_secretariat, party_in

from .conftest import shot
from .helpers import sign_in, totp_code

PASSWORD = "a long journey password 42"


def sign_in_with_code(page, username: str, device: TOTPDevice) -> None:  # type: ignore[no-untyped-def]
    """helpers.sign_in with a device clicks the first submit button on the two-factor page,
    which is the header's Sign out; enter the code with the form's own button instead."""
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_party_raises_a_proposal_and_it_reaches_the_vote(page) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    party = party_in(Category.SUPPLIER, name="Brightwater Energy", short_code="BRIT")
    rep = make_representative(party, username="bright")
    rep.set_password(PASSWORD)
    rep.save()
    sec = make_secretariat(username="secretary")
    sec.set_password(PASSWORD)
    sec.save()
    device = TOTPDevice.objects.create(user=sec, name="phone", confirmed=True)

    # 1. A Party representative raises the proposal (10.2-10.6): a draft first, then submitted.
    sign_in(page, "bright", PASSWORD)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/changes/raise/")
    page.fill("#id_title", "Extend the EV connection charge boundary")
    page.click("button[name=save]")
    page.wait_for_url("**/changes/drafts/*/")
    page.click("button[name=submit]")
    page.locator("#field-ghg_statement .errorlist").wait_for()
    assert "greenhouse gas" in page.locator("#field-ghg_statement .errorlist").inner_text()
    shot(page, "cp-01-raise-errors")
    page.fill("#id_proposer_contact_name", "Jo Bloggs")
    page.fill("#id_proposer_contact_email", "jo@brightwater.example")
    page.fill("#id_purpose", "EV connections are charged inconsistently between DNOs.")
    page.fill("#id_description", "Amend Schedule 22 so the boundary covers EV chargepoints.")
    page.check("input[name=objectives][value=G1]")
    page.fill("#id_objectives_reasons", "More consistent charging helps competition.")
    page.select_option("#id_ghg_material", "true")
    page.fill("#id_ghg_statement", "Faster EV take-up reduces emissions.")
    page.fill("#id_parts_affected", "Schedule 22")
    page.check("input[name=impacted_categories][value=DNO]")
    page.check("input[name=impacted_categories][value=SUPPLIER]")
    page.select_option("#id_proposer_part_view", "2")
    page.fill("#id_proposed_implementation_date", (today + dt.timedelta(days=300)).isoformat())
    shot(page, "cp-02-raise-complete")
    page.click("button[name=submit]")
    page.wait_for_url("**/changes/DCP-*/")
    proposal = ChangeProposal.objects.get(title="Extend the EV connection charge boundary")
    slug = f"DCP-{proposal.number}"
    assert proposal.status == State.SUBMITTED
    assert "Submitted: Secretariat check" in page.content()
    shot(page, "cp-03-submitted")
    page.click("text=Sign out")

    # 2. The Secretariat checks it and refers it to the Panel (10.8-10.11).
    page.wait_for_url(lambda url: "/changes/" not in url)
    sign_in_with_code(page, "secretary", device)
    page.goto("/changes/desk/")
    shot(page, "cp-04-desk")
    page.click(f"#desk-{slug} a[data-action=refer_to_panel]")
    page.fill("#id_initial_assessment", "Complete; within scope; suggest a Working Group.")
    page.click("text=Confirm")
    page.wait_for_url("**/changes/desk/")

    # 3. The Panel accepts it, Part 2, with a Definition Procedure (recorded on the desk).
    page.click(f"#desk-{slug} a[data-action=panel_accept]")
    page.click("text=Confirm")  # nothing given: the rule is named next to the field
    page.locator("#field-part .errorlist").wait_for()
    assert "Part 1 or Part 2" in page.locator("#field-part .errorlist").inner_text()
    page.select_option("#id_part", "2")
    page.check("#id_definition_procedure")
    page.fill("#id_timetable", f"Working Group | {(today + dt.timedelta(days=60)).isoformat()}")
    shot(page, "cp-05-panel-accept")
    page.click("text=Confirm")
    page.wait_for_url("**/changes/desk/")
    proposal.refresh_from_db()
    assert proposal.status == State.DEFINITION

    # 4. The Working Group: five members and the Proposer's nominee (11.15).
    page.goto(f"/changes/{slug}/working-group/new/")
    page.fill("#id_terms_of_reference", "Assess the EV boundary and consult.")
    page.fill("#id_members", "\n".join(f"Member {i} | Organisation {i}" for i in range(1, 6)))
    page.fill("#id_nominee", "Jo Bloggs | Brightwater Energy")
    page.click("text=Save")
    page.wait_for_url(f"**/changes/{slug}/")
    assert WorkingGroup.objects.get(proposal=proposal).members.count() == 6

    # 5. A consultation opens, takes a response and closes.
    page.goto(f"/changes/{slug}/consultations/new/")
    page.fill("#id_title", "Consultation on the EV boundary")
    page.fill("#id_questions", "Do you agree with the proposal?\nAny other comments?")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", add_working_days(today, 10).isoformat())  # a Working Day
    page.click("text=Save")
    page.wait_for_url(f"**/changes/{slug}/")
    consultation = Consultation.objects.get(proposal=proposal)
    page.click("text=Record a response")
    page.fill("#id_respondent_name", "Octant Energy")
    page.fill("#id_answer_1", "We agree.")
    page.click("text=Save")
    page.wait_for_url(f"**/changes/{slug}/")
    page.click("text=Close the consultation")
    page.wait_for_url(f"**/changes/{slug}/")
    consultation.refresh_from_db()
    assert consultation.closed_on == today
    assert "We agree." in page.content()
    shot(page, "cp-06-proposal-with-working-group-and-consultation")

    # 6. The Working Group instructs the Change Report, which is issued and sent to the Authority.
    page.goto("/changes/desk/")
    page.click(f"#desk-{slug} a[data-action=definition_complete]")
    page.click("text=Confirm")
    page.wait_for_url("**/changes/desk/")
    page.goto(f"/changes/{slug}/reports/new/")
    page.check("input[name=eligible_categories][value=DNO]")
    page.fill("#id_effects", "Consistent EV connection charges across DNOs.")
    page.click("text=Save")
    page.wait_for_url(f"**/changes/{slug}/")
    page.click("text=Send version 1 to the Authority")
    page.click("text=Save")
    page.wait_for_url(f"**/changes/{slug}/")
    page.goto("/changes/desk/")
    page.click(f"#desk-{slug} a[data-action=issue_change_report]")
    page.click("text=Confirm")
    page.wait_for_url("**/changes/desk/")

    # 7. Submitting to the vote waits 7 days after the Authority received the report (11.22.2).
    page.click(f"#desk-{slug} a[data-action=submit_to_vote]")
    page.click("text=Confirm")
    page.locator("[role=alert]").wait_for()
    assert "may not start earlier than 7 days" in page.locator("[role=alert]").inner_text()
    shot(page, "cp-07-vote-too-early")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        page.goto("/changes/desk/")
        page.click(f"#desk-{slug} a[data-action=submit_to_vote]")
        page.click("text=Confirm")
        page.wait_for_url("**/changes/desk/")
    proposal.refresh_from_db()
    assert proposal.status == State.AWAITING_VOTE
    page.goto(f"/changes/{slug}/")
    assert "Submitted to the Voting Procedure" in page.content()
    shot(page, "cp-08-awaiting-vote")
