"""Journey (11.29-11.31): the Proposer's representative withdraws its proposal online after
confirming; another Party's representative adopts it, naming its Working Group nominee.

Pages are checked with axe-core (WCAG 2.1 A and AA) at 1280 and 390 pixels wide; every step is
saved to test-artifacts/withdraw-adopt-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from changes.states import State
from panel.models import Category, PartyRepresentative, Role, User
from tests.changes.factories import PartyFactory, proposal_in

from .helpers import check_both_widths

PASSWORD = "a-long-secret-passphrase-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rep(username: str, party: object) -> User:
    user = User(username=username, role=Role.PARTY_REPRESENTATIVE, email=f"{username}@example.org")
    user.set_password(PASSWORD)
    user.save()
    PartyRepresentative.objects.create(user=user, party=party)
    return user


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_the_proposer_withdraws_and_another_party_adopts(page) -> None:  # type: ignore[no-untyped-def]
    albn = PartyFactory(name="Albion Power", short_code="ALBN", category=Category.DNO)
    brit = PartyFactory(name="Brightwater Energy", short_code="BRIT", category=Category.SUPPLIER)
    alba = _rep("alba", albn)
    _rep("sam", brit)
    p = proposal_in(State.DEFINITION, raised_by=alba, party=albn, title="Extend the EV boundary")
    slug = f"DCP-{p.number}"

    _sign_in(page, "alba")
    page.goto(f"/changes/{slug}/withdrawal/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdraw the proposal")
    page.fill("#id_reason", "Superseded by our new proposal.")
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.locator("#error-summary")).to_contain_text("Tick the box to confirm")
    page.check("#id_confirm")
    check_both_widths(page, "withdraw-adopt-1-withdraw")
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.locator(".messages")).to_contain_text("has been withdrawn")
    p.refresh_from_db()
    assert p.status == State.WITHDRAWN
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, "sam")
    page.goto(f"/changes/{slug}/adoption/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopt the withdrawn proposal")
    page.select_option("#id_party", index=1)  # its one Party
    page.fill("#id_nominee_name", "Tom Evans")
    page.fill("#id_nominee_email", "tom@brightwater.example")
    page.check("#id_confirm")
    check_both_widths(page, "withdraw-adopt-2-adopt")
    page.get_by_role("button", name="Adopt the withdrawn proposal").click()
    expect(page.locator(".messages")).to_contain_text("has been adopted")
    p.refresh_from_db()
    assert p.status == State.DEFINITION and p.proposer_party == brit
