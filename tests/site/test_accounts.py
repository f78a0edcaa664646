"""Sign-in, the second factor, lockout and password reset (issue: people and access)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import AuditRecord, PartyRepresentative, Role, User
from panel.services import enrolment_code_issue
from tests.factories import PartyFactory, make_secretariat

PASSWORD = "a-long-secret-passphrase-42"


def make_user(username: str, role: str, **extra: object) -> User:
    user = User(username=username, role=role, email=f"{username}@example.org", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_secretariat_must_set_up_a_second_factor_before_reaching_the_admin(client: Client) -> None:
    make_user("sec", Role.SECRETARIAT, is_staff=True)
    sign_in(client, "sec")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    # The password alone sets up nothing: the one-time enrolment code comes first.
    ask = client.get("/accounts/two-factor/")
    assert b"enrolment code" in ask.content and b"Scan this code" not in ask.content
    assert not TOTPDevice.objects.filter(user__username="sec").exists()
    code = enrolment_code_issue(user=User.objects.get(username="sec"), by=make_secretariat("s0"))
    client.post("/accounts/two-factor/", {"code": code})
    setup = client.get("/accounts/two-factor/")
    assert b"Scan this code" in setup.content
    device = TOTPDevice.objects.get(user__username="sec", confirmed=False)
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert b"not valid" in wrong.content
    too_soon = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert b"Too many wrong codes" in too_soon.content
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the wait has passed
    device.save()
    client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/admin/"})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_authorised_voter_needs_second_factor_but_other_representatives_do_not(
    client: Client,
) -> None:
    party = PartyFactory(name="Ember Energy Ltd", short_code="EMB")
    voter = make_user("voter", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(
        user=voter, party=party, authorised_voter=True, confirmed_at="2026-01-01T00:00Z"
    )
    plain = make_user("plain", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(user=plain, party=party)
    sign_in(client, "voter")
    assert client.get("/parties/")["Location"].startswith("/accounts/two-factor/")
    other = Client()
    sign_in(other, "plain")
    assert other.get("/").status_code == 200


@pytest.mark.django_db
def test_nominated_but_unconfirmed_voter_is_not_an_authorised_voter() -> None:
    party = PartyFactory(name="P", short_code="P1")
    user = make_user("nominee", Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(user=user, party=party, authorised_voter=True)
    assert not user.is_authorised_voter


@pytest.mark.django_db
def test_account_locks_after_five_failed_sign_ins(client: Client) -> None:
    make_user("panel", Role.PANEL_MEMBER)
    for _ in range(5):
        sign_in(client, "panel", "wrong-password")
    locked = sign_in(client, "panel")
    assert locked.status_code == 429
    assert b"Account locked" in locked.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_sends_an_email_with_a_link(client: Client) -> None:
    make_user("authority", Role.AUTHORITY)
    response = client.post("/accounts/password_reset/", {"email": "authority@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_rules_refuse_a_short_or_common_password() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.django_db
def test_second_factor_page_refuses_a_redirect_to_another_site(client: Client) -> None:
    user = make_user("sec2", Role.SECRETARIAT, is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="d", confirmed=True)
    sign_in(client, "sec2")
    response = client.post(
        "/accounts/two-factor/", {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_second_factor_page_brings_back_the_whole_address_asked_for(client: Client) -> None:
    make_user("sec2", Role.SECRETARIAT, is_staff=True)
    sign_in(client, "sec2")
    response = client.get("/changes/register/?status=VOTING&q=417")
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/two-factor/?next=/changes/register/%3Fstatus%3DVOTING%26q%3D417"
    )
    page = client.get(response["Location"])
    assert b'value="/changes/register/?status=VOTING&amp;q=417"' in page.content


@pytest.mark.django_db
def test_setting_up_and_verifying_the_second_factor_are_audited(client: Client) -> None:
    user = make_user("sec3", Role.SECRETARIAT, is_staff=True)
    code = enrolment_code_issue(user=user, by=make_secretariat("s0"))
    sign_in(client, "sec3")
    client.post("/accounts/two-factor/", {"code": code})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert list(
        AuditRecord.objects.filter(target_id=str(user.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "enrolment_code.issued",
        "enrolment_code.used",
        "user.second_factor_set_up",
        "user.second_factor_verified",
    ]
