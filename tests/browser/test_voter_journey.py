"""A Party's contract manager nominates a voter, the Secretariat confirms it and issues an
enrolment code, and the voter sets up an authenticator with it (12.4.5), in a real browser.

Each page is checked with axe-core (WCAG 2.1 A and AA) at 1280 and 390 pixels wide.
"""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import PartyRepresentative, Role, User
from tests.factories import party_in

from .conftest import shot
from .helpers import axe_violations as _axe_violations
from .helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-secret-passphrase-42"


def _user(username: str, role: str, **extra: object) -> User:
    user = User(username=username, role=role, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def _checked(page, name: str) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"voter-journey-{name}-{width}")
        problems += [f"{width}px: {v}" for v in _axe_violations(page)]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n".join(problems)


def _sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_nominate_confirm_issue_a_code_and_enrol(page) -> None:  # type: ignore[no-untyped-def]
    party = party_in("SUPPLIER", name="Ember Energy Ltd", short_code="EMB")
    manager = _user("manager", Role.PARTY_REPRESENTATIVE, first_name="Mo", last_name="Grant")
    PartyRepresentative.objects.create(user=manager, party=party, manages_voters=True)
    voter = _user("ada", Role.PARTY_REPRESENTATIVE, first_name="Ada", last_name="Byron")
    PartyRepresentative.objects.create(user=voter, party=party)
    secretariat = _user("sec", Role.SECRETARIAT, is_staff=True)
    sec_device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)

    _sign_in(page, "manager")
    page.goto("/my/parties/EMB/voters/")
    _checked(page, "party-voters")
    page.click("text=Nominate Ada Byron as an authorised voter")
    page.wait_for_selector("text=Awaiting confirmation by the Secretariat")

    _sign_in(page, "sec")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_token", totp_code(sec_device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/my/parties/voters/pending/")
    _checked(page, "pending")
    page.click("text=Confirm Ada Byron for EMB")
    page.wait_for_selector("text=is confirmed as an authorised voter")
    page.goto("/my/parties/EMB/voters/")
    page.click("text=Issue an enrolment code")
    _checked(page, "code-form")
    page.click("main button[type=submit]")
    code = page.inner_text("#enrolment-code")
    _checked(page, "code-issued")

    _sign_in(page, "ada")
    page.wait_for_url("**/accounts/two-factor/**")
    _checked(page, "enter-code")
    page.fill("#id_code", "AAAA-BBBB-CCCC")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=not the enrolment code")
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_selector("#totp-secret")
    _checked(page, "scan")
    device = TOTPDevice.objects.get(user=voter, confirmed=False)
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)
    device.refresh_from_db()
    assert device.confirmed
