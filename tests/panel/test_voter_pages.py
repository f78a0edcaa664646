"""The pages of a Party's authorised voters (12.4.5): the contract manager nominates and removes,
the Secretariat confirms and issues enrolment codes, and a voter sets up a second factor with
the code and not without it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.errors import NotAllowed
from panel.models import EnrolmentCode, PartyRepresentative, Role, User
from panel.services import authorised_voter_nominate, enrolment_code_issue
from tests.factories import (
    PartyRepresentativeFactory,
    UserFactory,
    login_verified,
    make_secretariat,
    party_in,
)
from tests.voting_app.conftest import DURING, World, ballot, entry, world  # noqa: F401
from voting.services import vote_cast

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-secret-passphrase-42"
URL = "/my/parties/EMB/voters/"


@pytest.fixture
def party():
    return party_in("SUPPLIER", name="Ember Energy Ltd", short_code="EMB")


def _rep(party, *, manages: bool = False, name: str = "", **link: object) -> PartyRepresentative:
    first, _, last = name.partition(" ")
    names = {"first_name": first, "last_name": last} if name else {}
    user = UserFactory(role=Role.PARTY_REPRESENTATIVE, **names)
    user.set_password(PASSWORD)
    user.save()
    return PartyRepresentativeFactory(user=user, party=party, manages_voters=manages, **link)


@pytest.fixture
def manager(party) -> User:
    return _rep(party, manages=True).user


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_manager_sees_the_representatives_and_nominates_one(party, manager):
    link = _rep(party, name="Ada Byron")
    page = _as(manager).get(URL)
    assert page.status_code == 200
    assert "Nominate Ada Byron as an authorised voter" in page.content.decode()

    done = _as(manager).post(URL, {"action": "nominate", "link": link.pk}, follow=True)

    link.refresh_from_db()
    assert link.authorised_voter and link.nominated_by == manager and link.confirmed_at is None
    text = done.content.decode()
    assert "the Secretariat confirms it" in text
    assert "Awaiting confirmation by the Secretariat" in text


def test_the_manager_invites_a_new_voter_and_a_bad_address_is_shown_by_its_field(party, manager):
    bad = _as(manager).post(
        URL, {"action": "invite", "first_name": "Ada", "last_name": "B", "email": "nope"}
    )
    assert bad.status_code == 200
    assert 'id="field-email"' in bad.content.decode() and "has-error" in bad.content.decode()

    _as(manager).post(
        URL, {"action": "invite", "first_name": "Ada", "last_name": "B", "email": "ada@x.example"}
    )
    link = PartyRepresentative.objects.get(user__email="ada@x.example")
    assert link.party == party and link.authorised_voter


def test_a_representative_who_does_not_manage_voters_is_refused_with_the_reason(party, manager):
    plain = _rep(party)
    target = _rep(party)

    page = _as(plain.user).get(URL)
    assert page.status_code == 403
    assert "contract manager" in page.content.decode()
    refused = _as(plain.user).post(URL, {"action": "nominate", "link": target.pk})
    assert refused.status_code == 403
    target.refresh_from_db()
    assert not target.authorised_voter


def test_another_partys_manager_and_anonymous_visitors_are_kept_out(party):
    elsewhere = party_in("SUPPLIER", short_code="OTH")
    assert _as(_rep(elsewhere, manages=True).user).get(URL).status_code == 403
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_removal_asks_for_confirmation_then_takes_effect(party, manager):
    link = _rep(party, authorised_voter=True, confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    remove = f"{URL}{link.pk}/remove/"
    page = _as(manager).get(remove)
    assert "Secretariat" in page.content.decode() and 'type="checkbox"' in page.content.decode()

    unticked = _as(manager).post(remove, {})
    assert "Tick the box" in unticked.content.decode()
    link.refresh_from_db()
    assert link.user.is_authorised_voter

    _as(manager).post(remove, {"confirm": "on"})
    link.refresh_from_db()
    assert not link.authorised_voter and not link.user.is_authorised_voter
    assert _as(link.user).get(remove).status_code == 403


def test_the_secretariat_confirms_a_pending_nomination(party, manager):
    link = _rep(party, name="Ada Byron")
    authorised_voter_nominate(by=manager, party=party, link=link)
    secretariat = make_secretariat()

    pending = login_verified(Client(), secretariat).get("/my/parties/voters/pending/")
    assert pending.status_code == 200 and "Ada Byron" in pending.content.decode()
    assert _as(manager).get("/my/parties/voters/pending/").status_code == 403
    assert _as(manager).post(f"/my/parties/voters/pending/{link.pk}/confirm/").status_code == 403

    login_verified(Client(), secretariat).post(f"/my/parties/voters/pending/{link.pk}/confirm/")

    link.refresh_from_db()
    assert link.confirmed_by == secretariat and link.user.is_authorised_voter


def test_the_secretariat_issues_a_code_shown_once_with_bounded_validity(party):
    link = _rep(party)
    page = f"{URL}{link.pk}/enrolment-code/"
    client = login_verified(Client(), make_secretariat())

    for days in ("0", "31", "x"):
        refused = client.post(page, {"valid_days": days})
        assert 'id="field-valid_days"' in refused.content.decode()
        assert "has-error" in refused.content.decode()
    assert not EnrolmentCode.objects.exists()

    issued = client.post(page, {"valid_days": "7"})
    assert issued.status_code == 200 and "no-store" in issued["Cache-Control"]
    assert 'id="enrolment-code"' in issued.content.decode()
    assert EnrolmentCode.objects.filter(user=link.user).count() == 1
    assert _as(link.user).get(page).status_code == 403


def _totp(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_voter_enrols_a_second_factor_with_the_code_and_not_without(party):
    voter = _rep(party, authorised_voter=True, confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client = Client()
    client.post("/accounts/login/", {"username": voter.user.username, "password": PASSWORD})
    assert client.get("/my/")["Location"].startswith("/accounts/two-factor/")

    ask = client.get("/accounts/two-factor/")
    assert b"enrolment code" in ask.content and b"totp-secret" not in ask.content
    token = client.post("/accounts/two-factor/", {"token": "123456"})  # no code: no device
    assert b"totp-secret" not in token.content
    assert not TOTPDevice.objects.filter(user=voter.user).exists()
    wrong = client.post("/accounts/two-factor/", {"code": "AAAA-BBBB-CCCC"})
    assert b"not the enrolment code" in wrong.content

    code = enrolment_code_issue(user=voter.user, by=make_secretariat())
    client.post("/accounts/two-factor/", {"code": code, "next": "/my/"})
    setup = client.get("/accounts/two-factor/")
    assert b"totp-secret" in setup.content
    device = TOTPDevice.objects.get(user=voter.user, confirmed=False)
    done = client.post("/accounts/two-factor/", {"token": _totp(device), "next": "/my/"})
    assert done["Location"] == "/my/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/my/").status_code == 200

    again = Client()  # the code was used: another session cannot enrol with it
    again.post("/accounts/login/", {"username": voter.user.username, "password": PASSWORD})
    assert b"Enter the six-digit code" in again.get("/accounts/two-factor/").content


def test_a_removed_voter_can_no_longer_cast(world: World, ballot):  # noqa: F811
    manager = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(user=manager, party=world.lone, manages_voters=True)
    link = PartyRepresentative.objects.get(user=world.lone_voter, party=world.lone)
    with time_machine.travel(DURING, tick=False):
        client = _as(manager)
        client.post(
            f"/my/parties/{world.lone.short_code}/voters/{link.pk}/remove/", {"confirm": "on"}
        )
        variation = ballot.questions.order_by("position").first()
        with pytest.raises(NotAllowed) as refused:
            vote_cast(
                ballot=ballot,
                roll_entry=entry(ballot, world.lone),
                by=world.lone_voter,
                answers={variation.pk: "accept"},
                second_factor=True,
            )
    assert "not a confirmed authorised voter" in refused.value.message


def test_removal_revokes_the_voters_unused_enrolment_code(party, manager):
    link = _rep(party, authorised_voter=True, confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    enrolment_code_issue(user=link.user, by=make_secretariat())

    _as(manager).post(f"{URL}{link.pk}/remove/", {"confirm": "on"})

    assert EnrolmentCode.objects.get(user=link.user).revoked_at is not None


def test_the_admin_confirms_and_issues_codes_through_the_services(party, manager):
    link = _rep(party, name="Ada Byron")
    authorised_voter_nominate(by=manager, party=party, link=link)
    admin = login_verified(Client(), make_secretariat())

    admin.post(
        "/admin/panel/partyrepresentative/",
        {"action": "confirm_authorised_voters", "_selected_action": [link.pk]},
    )
    link.refresh_from_db()
    assert link.confirmed_at is not None

    shown = admin.post(
        "/admin/panel/user/",
        {"action": "issue_enrolment_codes", "_selected_action": [link.user.pk]},
    )
    assert shown.status_code == 200 and "Ada Byron" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    code = EnrolmentCode.objects.get(user=link.user)
    assert code.issued_by is not None and code.used_at is None
    again = admin.post(
        "/admin/panel/partyrepresentative/",
        {"action": "issue_enrolment_codes", "_selected_action": [link.pk]},
    )
    assert again.status_code == 200
    assert EnrolmentCode.objects.filter(user=link.user, revoked_at__isnull=True).count() == 1
