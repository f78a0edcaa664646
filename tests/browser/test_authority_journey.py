"""Journey (13.9-13.14): the Authority signs in, opens "Awaiting the Authority", decides a Part 1
Matter with its letter, confirms, and is back on the proposal with the decision recorded.

Every page is checked with axe-core (WCAG 2.1 A and AA) at 1280 and 390 pixels wide and saved to
test-artifacts/authority-journey-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from changes.models import AuthorityDecision, ProposalEvent
from changes.states import State
from panel.models import Role, User
from tests.changes.factories import PartyFactory, proposal_in, representative

from .helpers import check_both_widths, totp_code

PASSWORD = "a-long-secret-passphrase-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str, device: TOTPDevice) -> None:  # type: ignore[no-untyped-def]
    """Sign in; the second factor is asked only of the roles that need it."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/" in page.url:
        page.fill("#id_token", totp_code(device))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/" not in url)


def _check_both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    check_both_widths(page, f"authority-journey-{name}")


def test_the_authority_decides_a_part1_matter_with_its_letter(page) -> None:  # type: ignore[no-untyped-def]
    ofgem = User(username="ofgem", role=Role.AUTHORITY, email="decisions@ofgem.example")
    ofgem.set_password(PASSWORD)
    ofgem.save()
    device = TOTPDevice.objects.create(user=ofgem, name="phone", confirmed=True)
    party = PartyFactory(name="Brightwater Energy", short_code="BRIT")
    today = dt.date.today()
    p = proposal_in(
        State.AWAITING_AUTHORITY,
        raised_by=representative(party),
        party=party,
        part=1,
        today=today,
    )
    ProposalEvent.objects.create(
        proposal=p,
        on=today,
        action="vote_declared_recommendation",
        from_state=State.VOTING,
        to_state=State.AWAITING_AUTHORITY,
    )

    _sign_in(page, "ofgem", device)
    page.click("nav >> text=Awaiting the Authority")
    page.wait_for_url("**/changes/awaiting-authority/")
    assert page.locator("h1").inner_text() == "Awaiting the Authority"
    _check_both_widths(page, "queue")

    page.click(f"text=Decide {p.reference}")
    page.wait_for_url(f"**/changes/DCP-{p.number}/authority/decide/")
    _check_both_widths(page, "form")
    page.check("text=Accept the proposal (13.12)")
    page.fill("#id_reason", "It better facilitates the DCUSA Objectives.")
    page.set_input_files(
        "#id_document",
        files=[{"name": "decision.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("text=What will happen")
    assert "decision.pdf" in page.content()
    _check_both_widths(page, "confirm")
    assert AuthorityDecision.objects.count() == 0  # nothing recorded before the confirmation

    page.click("text=Confirm the decision")
    page.wait_for_url(f"**/changes/DCP-{p.number}/")
    assert "has been recorded and notice sent" in page.content()
    _check_both_widths(page, "done")
    p.refresh_from_db()
    assert p.status == State.APPROVED
    decision = AuthorityDecision.objects.get(proposal=p)
    assert decision.recorded_by == ofgem and decision.document.title == "decision.pdf"
