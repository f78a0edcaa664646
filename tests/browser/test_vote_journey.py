"""Journey (12.4.6, 13.4): a voter casts, changes the vote and keeps the short receipt code; after
the close anyone checks the receipt on /votes/verify/ and sees it counted, downloads the vote log
from the vote page, and `python -m voting.verify` on the download agrees.

Pages are checked with axe-core (WCAG 2.1 A and AA) at 1280 and 390 pixels wide; every step is
saved to test-artifacts/vote-journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import Category, PartyRepresentative, Role, User
from tests.factories import PartyCategoryMembershipFactory, PartyFactory
from voting.models import Ballot
from voting.receipts_code import short_receipt
from voting.services import ballot_open, ballots_close_due

from .conftest import ARTIFACTS, shot
from .helpers import WIDE, check_both_widths, totp_code

PASSWORD = "a-long-secret-passphrase-42"
ROOT = Path(__file__).resolve().parents[2]
SHORT_CODE = re.compile(r"\b[0-9a-f]{5}-[0-9a-f]{5}\b")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _user(username: str, role: str, **extra: object) -> tuple[User, TOTPDevice]:
    user = User(username=username, role=role, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _sign_in(page, username: str, device: TOTPDevice) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def _check_both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot at both widths; no axe violation and nothing wider than the phone's screen."""
    check_both_widths(page, f"vote-journey-{name}")


def _kept_receipt(page) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(short code, full receipt) from the cast confirmation."""
    box = page.locator("#receipt")
    text = box.inner_text()
    full = re.search(r"[0-9a-f]{64}", box.inner_html())
    assert full, text  # the full receipt is on the page (one click away)
    shown = SHORT_CODE.search(text)
    short = shown.group(0) if shown else short_receipt(full.group(0))
    assert short == short_receipt(full.group(0))
    return short, full.group(0)


@dataclass
class Vote:
    ballot: Ballot
    variation: int
    date: int


def _open_vote_and_sign_in(page) -> Vote:  # type: ignore[no-untyped-def]
    """DCP 417 open for the Suppliers for 14 days; Ember Energy's authorised voter signed in."""
    secretariat, _ = _user("sec", Role.SECRETARIAT, is_staff=True)
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
    page.set_viewport_size({"width": WIDE, "height": 900})
    _sign_in(page, "vera", voter_device)
    return Vote(ballot, variation.pk, date.pk)


def _cast(page, vote: Vote, variation: str, date: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    page.goto(f"/my/votes/{vote.ballot.pk}/")
    page.check(f"input[name=q{vote.variation}][value={variation}]")
    page.check(f"input[name=q{vote.date}][value={date}]")
    page.get_by_role("button", name="Cast vote").click()
    return _kept_receipt(page)


def test_the_cast_confirmation_shows_the_short_code_and_fits_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    vote = _open_vote_and_sign_in(page)
    _cast(page, vote, "proposal", "proposal")
    assert SHORT_CODE.search(page.locator("main").inner_text())
    _check_both_widths(page, "01-cast")


def test_a_voter_keeps_a_short_receipt_and_anyone_sees_it_counted_and_checks_the_log(
    page, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    vote = _open_vote_and_sign_in(page)
    ballot = vote.ballot

    # The voter casts, then changes the vote on the variation; the last receipt is the one kept.
    first_short, first_full = _cast(page, vote, "proposal", "proposal")
    shot(page, "vote-journey-01-cast")
    short, full = _cast(page, vote, "reject", "proposal")
    assert full != first_full and "was changed" in page.content()
    shot(page, "vote-journey-02-changed")

    # While the vote is open the receipt is found, but the choice is never shown.
    page.context.clear_cookies()
    page.goto("/votes/verify/")
    page.fill("#id_receipt", first_short.upper())
    page.get_by_role("button", name="Check").click()
    result = page.locator("main").inner_text()
    assert "Found." in result and "changed its vote later" in result
    assert "Reject" not in result and "Accept" not in result
    shot(page, "vote-journey-03-open-superseded")

    # After the close (time travels past it) an anonymous visitor checks the kept short code.
    with time_machine.travel(ballot.closes_at + dt.timedelta(minutes=1), tick=True):
        ballots_close_due()
        assert Ballot.objects.get(pk=ballot.pk).status == "declared"
        page.goto("/votes/verify/")
        page.fill("#id_receipt", short.replace("-", " "))
        page.get_by_role("button", name="Check").click()
        assert "Counted." in page.locator("#counted-result").inner_text()
        assert "Choice: Reject" in page.locator("#receipt-answers").inner_text()
        assert "verifies: 2 entries" in page.locator("#chain-result").inner_text()
        page.get_by_text("Full receipt").click()
        assert page.locator("code.hash").inner_text() == full
        _check_both_widths(page, "04-verify-counted")

        # The vote page links the log; the download verifies with the published head.
        page.get_by_role("link", name="DCP 417").first.click()
        page.wait_for_url("**/changes/DCP-417/vote/")
        shot(page, "vote-journey-05-vote-page")
        head = page.locator(".vote-head").inner_text().strip()
        href = page.get_by_role("link", name="log.json").get_attribute("href")
        download = page.request.get(href)
        assert download.status == 200, f"{href}: {download.status}"
        log_file = tmp_path / "log.json"
        log_file.write_bytes(download.body())
        assert full in {e.get("entry_hash") for e in json.loads(log_file.read_text())["entries"]}

    check = subprocess.run(
        [sys.executable, "-m", "voting.verify", str(log_file), "--head", head],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "vote-journey-06-verify-tool.txt").write_text(check.stdout + check.stderr)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Everything agrees." in check.stdout


def test_the_declared_vote_page_passes_axe_at_both_widths(page) -> None:  # type: ignore[no-untyped-def]
    vote = _open_vote_and_sign_in(page)
    _cast(page, vote, "reject", "proposal")
    page.context.clear_cookies()
    with time_machine.travel(vote.ballot.closes_at + dt.timedelta(minutes=1), tick=True):
        ballots_close_due()
        page.goto("/changes/DCP-417/vote/")
        page.locator(".vote-head").wait_for()
        _check_both_widths(page, "05-vote-page")
