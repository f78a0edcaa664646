"""Journey: a Party's authorised voter votes online, changes the vote and keeps a receipt; the
Secretariat closes the ballot; the declaration shows the result and how each Group voted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import Category, PartyRepresentative, Role, User
from tests.factories import PartyCategoryMembershipFactory, PartyFactory
from voting.services import ballot_open

from .conftest import shot
from .helpers import sign_in, totp_code

PASSWORD = "a-long-secret-passphrase-42"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, username: str, device: TOTPDevice) -> None:  # type: ignore[no-untyped-def]
    # helpers.sign_in's second-factor step clicks the first submit button on the page, which is
    # the header's "Sign out": enter the code here, clicking the form's own button.
    sign_in(page, username, PASSWORD)
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def _user(username: str, role: str, **extra: object) -> tuple[User, TOTPDevice]:
    user = User(username=username, role=role, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_party_votes_changes_vote_gets_receipt_and_sees_the_declaration(page) -> None:  # type: ignore[no-untyped-def]
    secretariat, secretariat_device = _user("sec", Role.SECRETARIAT, is_staff=True)
    ember = PartyFactory(name="Ember Energy Ltd")
    PartyCategoryMembershipFactory(party=ember, category=Category.SUPPLIER)
    other = PartyFactory(name="Other Supply Ltd")
    PartyCategoryMembershipFactory(party=other, category=Category.SUPPLIER)
    voter, voter_device = _user("vera", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(
        user=voter, party=ember, authorised_voter=True, confirmed_at=timezone.now()
    )
    now = timezone.now()
    ballot = ballot_open(
        by=secretariat,
        reference="DCP 417",
        matter="part2",
        eligible=["SUPPLIER"],
        implementation_date=dt.date(2027, 11, 1),
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )
    variation, date = ballot.questions.order_by("position")

    _signed_in(page, "vera", voter_device)
    page.goto("/my/votes/")
    page.get_by_text("not voted yet").wait_for()
    shot(page, "party-votes-01-my-votes")
    page.get_by_role("link", name="Vote", exact=True).click()
    page.check(f"input[name=q{variation.pk}][value=proposal]")
    page.check(f"input[name=q{date.pk}][value=proposal]")
    page.fill("textarea[name=reason]", "Better facilitates General Objective 1.")
    shot(page, "party-votes-02-form")
    page.get_by_role("button", name="Cast vote").click()
    receipt = page.locator("#receipt code.hash").text_content()
    assert re.fullmatch(r"[0-9a-f]{64}", receipt)
    assert "was recorded" in page.content()
    shot(page, "party-votes-03-receipt")

    page.check(f"input[name=q{variation.pk}][value=reject]")
    page.check(f"input[name=q{date.pk}][value=proposal]")
    page.get_by_role("button", name="Cast vote").click()
    assert "was changed" in page.content()
    second = page.locator("#receipt code.hash").text_content()
    assert second != receipt
    page.goto(f"/votes/verify/?receipt={second}")
    assert "Found." in page.locator("#verify-result").inner_text()
    shot(page, "party-votes-04-verify")

    # The window is never cut short (12.4.1): the Secretariat closes by hand only once the
    # closing time has passed (the schedule did not run), giving the reason, after the question.
    with time_machine.travel(ballot.closes_at + dt.timedelta(minutes=5)):
        page.context.clear_cookies()
        _signed_in(page, "sec", secretariat_device)
        page.goto(f"/votes/ballots/{ballot.pk}/")
        page.click("#close-ballot")
        page.fill("textarea[name=reason]", "The scheduled close did not run")
        page.click("#confirm-close")
        assert page.locator("#ballot-status").inner_text() == "Declared"
        shot(page, "party-votes-05-closed")

        page.context.clear_cookies()
        page.goto("/changes/DCP-417/vote/")
        assert page.url.endswith("/changes/DCP-417/vote/")
        body = page.content()
        # Suppliers (2 Groups, 1 voted) rejected the variation. The only counted category has
        # fewer than 3 Groups, so the Part 2 rejection is deemed a Part 1 recommendation (13.7).
        assert "Deemed a Part 1 Matter (13.7)" in body
        row = page.locator("#how-groups-voted + div table tr", has_text="Ember Energy Ltd")
        assert "Reject" in row.inner_text()
        assert "Other Supply Ltd" not in page.locator("#how-groups-voted + div table").inner_text()
        shot(page, "party-votes-06-declaration")
