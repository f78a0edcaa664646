"""Journey (11.14.1, 13.17-13.19, 57.3): a Party representative signs in and lands on "For my
Parties", answers a consultation online with a confidential part, and later appeals a Part 2
outcome; the Secretariat signs in and finds both on its desk, typed by no one.

Pages are checked with axe-core (WCAG 2.1 A and AA) at 1280 and 390 pixels wide; every step is
saved to test-artifacts/party-journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from changes.models import AppealRecord, Consultation, ConsultationQuestion, ConsultationResponse
from changes.states import State
from panel.models import Category, PartyRepresentative, Role, User
from tests.changes.factories import PartyFactory, proposal_in

from .helpers import check_both_widths, totp_code

PASSWORD = "a-long-secret-passphrase-42"
SECRET = "Our connection volumes for 2027 are 4,210."
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username: str, role: str) -> User:
    user = User(username=username, role=role, email=f"{username}@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(page, username: str, device: TOTPDevice | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        page.fill("#id_token", totp_code(device))
        page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def _world() -> dict[str, object]:
    today = timezone.localdate()
    brit = PartyFactory(name="Brightwater Energy", short_code="BRIT", category=Category.SUPPLIER)
    albn = PartyFactory(name="Albion Power", short_code="ALBN", category=Category.DNO)
    sam = _user("sam", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(user=sam, party=brit)
    alba = _user("alba", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(user=alba, party=albn)
    sec = _user("sec", Role.SECRETARIAT)
    device = TOTPDevice.objects.create(user=sec, name="phone", confirmed=True)
    consulted = proposal_in(
        State.DEFINITION, raised_by=alba, party=albn, title="Extend the EV boundary"
    )
    consultation = Consultation.objects.create(
        proposal=consulted,
        title="Boundary consultation",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
    )
    ConsultationQuestion.objects.create(consultation=consultation, number=1, text="Do you agree?")
    ConsultationQuestion.objects.create(
        consultation=consultation, number=2, text="What would it cost you?"
    )
    accepted = proposal_in(
        State.ACCEPTED_APPEAL_WINDOW,
        raised_by=alba,
        party=albn,
        due_on=today + dt.timedelta(days=14),
        title="Shorten the metering notice",
        impacted_categories=["SUPPLIER"],
        vote_outcome="accepted",
        decided_on=today - dt.timedelta(days=1),
    )
    return {
        "consulted": consulted,
        "consultation": consultation,
        "accepted": accepted,
        "device": device,
    }


def test_a_party_answers_online_appeals_and_the_secretariat_sees_both(page) -> None:  # type: ignore[no-untyped-def]
    w = _world()
    consultation, accepted = w["consultation"], w["accepted"]
    assert isinstance(consultation, Consultation)

    # Signed in, the representative lands on "For my Parties".
    _sign_in(page, "sam")
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("For my Parties")
    expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]')).to_have_text(
        "For my Parties"
    )
    home = page.locator("#party-BRIT")
    expect(home).to_contain_text("Boundary consultation")
    expect(home).to_contain_text("No response yet")
    expect(home).to_contain_text(f"Appeal {accepted.reference}")  # type: ignore[attr-defined]
    check_both_widths(page, "party-journey-1-home")

    # It answers the consultation online, the second answer confidential.
    home.get_by_role("link", name=re.compile("Answer online")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boundary consultation")
    page.fill("#id_answer_1", "Yes: the boundary should cover chargepoints.")
    page.fill("#id_answer_2", SECRET)
    page.check("#id_answer_2_confidential")
    check_both_widths(page, "party-journey-2-answer")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submit your response")
    check_both_widths(page, "party-journey-3-confirm")
    page.get_by_role("button", name="Yes, submit the response").click()
    response = ConsultationResponse.objects.get(consultation=consultation)
    assert response.status == "submitted" and response.submitted_at is not None
    assert response.answers.get(question__number=2).confidential

    page.goto("/my/")
    expect(page.locator("#party-BRIT")).to_contain_text("Submitted")

    # The confidential part never reaches the proposal's page for a Party (57.3), which offers
    # the consultation to answer online.
    slug = f"DCP-{consultation.proposal.number}"
    page.goto(f"/changes/{slug}/")
    expect(page.locator("main")).not_to_contain_text(SECRET)
    steps = page.locator("section[aria-labelledby=your-steps-h]")
    expect(steps.get_by_role("link", name=re.compile("Answer online"))).to_have_attribute(
        "href", f"/my/consultations/{consultation.pk}/"
    )
    check_both_widths(page, "party-journey-3b-proposal")
    page.context.clear_cookies()
    page.goto(f"/changes/{slug}/")
    expect(page.locator("main")).not_to_contain_text(SECRET)
    expect(page.locator("main")).not_to_contain_text("Answer online")
    _sign_in(page, "sam")

    # Later it appeals the Part 2 acceptance from its home page.
    page.goto("/my/")
    page.locator("#party-BRIT").get_by_role(
        "link",
        name=re.compile(f"Appeal {accepted.reference}"),  # type: ignore[attr-defined]
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appeal to the Authority")
    page.select_option("#id_appellant_party", index=1)  # its one Party
    page.locator("#field-grounds input[type=checkbox]").first.check()
    page.fill("#id_reasons", "The shorter notice does not better facilitate the objectives.")
    page.check("#id_confirm")
    check_both_widths(page, "party-journey-4-appeal")
    page.get_by_role("button", name="Appeal to the Authority").click()
    expect(page.locator(".messages")).to_contain_text("has been lodged with the Authority")
    appeal = AppealRecord.objects.get(proposal=accepted)
    assert appeal.appellant_name == "Brightwater Energy" and appeal.lodged_on == (
        timezone.localdate()
    )
    page.get_by_role("button", name="Sign out").click()

    # The Secretariat signs in and finds both on its desk.
    _sign_in(page, "sec", w["device"])  # type: ignore[arg-type]
    page.goto("/changes/desk/")
    appeals = page.locator("h3#inbox-appeals-h + ul")
    expect(appeals).to_contain_text("Brightwater Energy appeals")
    expect(appeals).to_contain_text("Lodged online")
    row = page.locator("#inbox-consultations-h ~ div tr", has_text="Boundary consultation")
    expect(row.locator("td.num")).to_have_text("1")
    check_both_widths(page, "party-journey-5-desk")
