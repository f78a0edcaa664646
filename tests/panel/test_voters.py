"""A Party's authorised voters (12.4.5): nominated and removed by its contract manager (or the
representative it designates), confirmed by the Secretariat; a second factor is enrolled with a
one-time code the Secretariat issues, never with the password alone."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.db import connection

from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, EnrolmentCode, OutgoingMail, PartyRepresentative, Role, User
from panel.services import (
    authorised_voter_confirm,
    authorised_voter_nominate,
    authorised_voter_remove,
    enrolment_code_issue,
    enrolment_code_redeem,
    voter_manager_designate,
)
from tests.factories import (
    PartyRepresentativeFactory,
    SuspensionFactory,
    UserFactory,
    make_secretariat,
    party_in,
)
from tests.panel.clock import NOON_2_MARCH_2026, frozen_at

pytestmark = pytest.mark.django_db

_today = frozen_at()
CONFIRMED = NOON_2_MARCH_2026.replace(tzinfo=dt.UTC)


@pytest.fixture
def party():
    return party_in("SUPPLIER", name="Ember Energy Ltd", short_code="EMB")


def _rep(party, *, manages: bool = False, **link: object) -> PartyRepresentative:
    user = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    return PartyRepresentativeFactory(user=user, party=party, manages_voters=manages, **link)


@pytest.fixture
def manager(party) -> User:
    return _rep(party, manages=True).user


def test_the_contract_manager_nominates_a_representative_dated_by_the_clock(party, manager):
    link = _rep(party)

    authorised_voter_nominate(by=manager, party=party, link=link)

    link.refresh_from_db()
    assert link.authorised_voter and link.confirmed_at is None
    assert link.nominated_by == manager
    assert link.nominated_at == NOON_2_MARCH_2026.replace(tzinfo=dt.UTC)
    assert not link.user.is_authorised_voter  # not until the Secretariat confirms
    assert AuditRecord.objects.filter(action="authorised_voter.nominated").count() == 1
    sent_to = {a for m in OutgoingMail.objects.all() for a in m.to}
    assert {link.user.email, "secretariat@dcusa.example"} <= sent_to


def test_a_representative_who_does_not_manage_voters_is_refused(party, manager):
    other = _rep(party)
    link = _rep(party)

    with pytest.raises(NotAllowed) as refused:
        authorised_voter_nominate(by=other.user, party=party, link=link)

    assert "contract manager" in refused.value.message
    link.refresh_from_db()
    assert not link.authorised_voter
    assert not OutgoingMail.objects.exists()


def test_another_partys_manager_cannot_nominate(party):
    elsewhere = party_in("SUPPLIER", short_code="OTH")
    their_manager = _rep(elsewhere, manages=True).user

    with pytest.raises(NotAllowed):
        authorised_voter_nominate(by=their_manager, party=party, link=_rep(party))
    with pytest.raises(DomainError) as wrong_party:
        authorised_voter_nominate(by=their_manager, party=elsewhere, link=_rep(party))
    assert wrong_party.value.field == "link"


def test_the_secretariat_does_not_nominate_for_a_party(party):
    with pytest.raises(NotAllowed):
        authorised_voter_nominate(by=make_secretariat(), party=party, link=_rep(party))


def test_a_suspended_party_cannot_nominate(party, manager):
    SuspensionFactory(party=party, valid_from=dt.date(2026, 3, 1))

    with pytest.raises(Conflict) as refused:
        authorised_voter_nominate(by=manager, party=party, link=_rep(party))

    assert "54.3" in refused.value.message


def test_a_terminated_party_cannot_nominate(party, manager):
    party.termination_date = dt.date(2026, 2, 27)
    party.save()

    with pytest.raises(Conflict):
        authorised_voter_nominate(by=manager, party=party, link=_rep(party))


def test_a_voter_is_nominated_once(party, manager):
    link = _rep(party)
    authorised_voter_nominate(by=manager, party=party, link=link)

    with pytest.raises(Conflict):
        authorised_voter_nominate(by=manager, party=party, link=link)


def test_the_manager_invites_a_new_voter_who_sets_a_password_by_email(party, manager):
    link = authorised_voter_nominate(
        by=manager, party=party, first_name="Ada", last_name="Byron", email="Ada@Ember.example"
    )

    user = link.user
    assert user.role == Role.PARTY_REPRESENTATIVE
    assert user.email == "ada@ember.example"
    assert not user.has_usable_password()
    assert link.party == party and link.authorised_voter and link.confirmed_at is None
    invite = OutgoingMail.objects.get(template="panel/voter_invited")
    assert invite.to == ["ada@ember.example"]
    assert "/accounts/reset/" in invite.body


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": "", "last_name": "B", "email": "a@b.example"}, "first_name"),
        ({"first_name": "A", "last_name": "", "email": "a@b.example"}, "last_name"),
        ({"first_name": "A", "last_name": "B", "email": "not-an-address"}, "email"),
    ],
)
def test_an_invitation_names_the_missing_field(party, manager, fields, field):
    with pytest.raises(DomainError) as refused:
        authorised_voter_nominate(by=manager, party=party, **fields)

    assert refused.value.field == field
    assert not User.objects.filter(email="a@b.example").exists()


def test_an_invitation_to_an_existing_address_is_refused(party, manager):
    UserFactory(email="taken@example.org")

    with pytest.raises(Conflict) as refused:
        authorised_voter_nominate(
            by=manager, party=party, first_name="A", last_name="B", email="TAKEN@example.org"
        )

    assert refused.value.field == "email"


def test_the_secretariat_confirms_and_the_voter_may_then_vote(party, manager):
    link = _rep(party)
    authorised_voter_nominate(by=manager, party=party, link=link)

    with pytest.raises(NotAllowed):
        authorised_voter_confirm(by=manager, link=link)
    authorised_voter_confirm(by=make_secretariat(), link=link)

    link.refresh_from_db()
    assert link.user.is_authorised_voter
    assert OutgoingMail.objects.filter(template="panel/voter_confirmed").count() == 1


def test_removal_takes_effect_at_once_and_tells_the_voter_and_the_secretariat(party, manager):
    link = _rep(party, authorised_voter=True, confirmed_at=CONFIRMED)
    assert link.user.is_authorised_voter

    authorised_voter_remove(by=manager, link=link)

    link.refresh_from_db()
    assert not link.authorised_voter and link.confirmed_at is None
    assert not link.user.is_authorised_voter
    assert not PartyRepresentative.objects.filter(
        user=link.user, authorised_voter=True, confirmed_at__isnull=False
    ).exists()  # what casting checks (voting/services/casting.py)
    removed = OutgoingMail.objects.filter(template="panel/voter_removed")
    assert {a for m in removed for a in m.to} == {link.user.email, "secretariat@dcusa.example"}
    with pytest.raises(Conflict):
        authorised_voter_remove(by=manager, link=link)


def test_only_the_manager_removes_a_voter(party, manager):
    link = _rep(party, authorised_voter=True, confirmed_at=CONFIRMED)

    with pytest.raises(NotAllowed):
        authorised_voter_remove(by=link.user, link=link)

    link.refresh_from_db()
    assert link.user.is_authorised_voter


def test_the_manager_designates_another_representative_who_may_then_nominate(party, manager):
    deputy = _rep(party)

    voter_manager_designate(by=manager, link=deputy)
    authorised_voter_nominate(by=deputy.user, party=party, link=_rep(party))

    assert AuditRecord.objects.filter(action="party_representative.manages_voters").count() == 1
    with pytest.raises(NotAllowed):
        voter_manager_designate(by=_rep(party).user, link=_rep(party))
    own = PartyRepresentative.objects.get(user=manager)
    with pytest.raises(Conflict):
        voter_manager_designate(by=manager, link=own, manages=False)


# -- enrolment codes ------------------------------------------------------------------------


def test_the_secretariat_issues_a_code_stored_hashed_valid_seven_days():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)

    plain = enrolment_code_issue(user=voter, by=make_secretariat())

    code = EnrolmentCode.objects.get(user=voter)
    assert plain not in code.code_hash and check_password(plain, code.code_hash)
    assert code.expires_at - code.issued_at == dt.timedelta(days=7)
    notice = OutgoingMail.objects.get(template="panel/voter_enrolment_code")
    assert plain not in notice.body  # the code goes by another channel


def test_only_the_secretariat_issues_codes():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)

    with pytest.raises(NotAllowed):
        enrolment_code_issue(user=voter, by=voter)
    assert not EnrolmentCode.objects.exists()


@pytest.mark.parametrize(
    "valid_for", [dt.timedelta(0), dt.timedelta(days=-1), dt.timedelta(days=31)]
)
def test_a_code_validity_out_of_range_is_refused_naming_the_field(valid_for):
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)

    with pytest.raises(DomainError) as refused:
        enrolment_code_issue(user=voter, by=make_secretariat(), valid_for=valid_for)

    assert refused.value.field == "valid_for"


def test_a_new_code_revokes_the_earlier_unused_one():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    secretariat = make_secretariat()
    first = enrolment_code_issue(user=voter, by=secretariat)
    second = enrolment_code_issue(user=voter, by=secretariat)

    with pytest.raises(DomainError) as refused:
        enrolment_code_redeem(user=voter, code=first)
    assert "replaced" in refused.value.message

    enrolment_code_redeem(user=voter, code=second.lower().replace("-", " "))


def test_a_code_works_once():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    plain = enrolment_code_issue(user=voter, by=make_secretariat())

    used = enrolment_code_redeem(user=voter, code=plain)

    assert used.used_at is not None
    with pytest.raises(DomainError) as refused:
        enrolment_code_redeem(user=voter, code=plain)
    assert "works once" in refused.value.message and refused.value.field == "code"


def test_an_expired_code_is_refused():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    plain = enrolment_code_issue(user=voter, by=make_secretariat())

    with time_machine.travel(NOON_2_MARCH_2026 + dt.timedelta(days=8), tick=False):
        with pytest.raises(DomainError) as refused:
            enrolment_code_redeem(user=voter, code=plain)

    assert "expired" in refused.value.message
    assert EnrolmentCode.objects.get(user=voter).used_at is None


def test_another_users_code_does_not_work():
    voter, other = UserFactory(), UserFactory()
    plain = enrolment_code_issue(user=other, by=make_secretariat())

    with pytest.raises(DomainError):
        enrolment_code_redeem(user=voter, code=plain)


def test_five_wrong_codes_then_the_voter_waits():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    plain = enrolment_code_issue(user=voter, by=make_secretariat())
    for _ in range(5):
        with pytest.raises(DomainError):
            enrolment_code_redeem(user=voter, code="AAAA-AAAA-AAAA")

    with pytest.raises(NotAllowed) as throttled:
        enrolment_code_redeem(user=voter, code=plain)  # even the right one, for now
    assert "wait" in throttled.value.message

    with time_machine.travel(NOON_2_MARCH_2026 + dt.timedelta(minutes=16), tick=False):
        assert enrolment_code_redeem(user=voter, code=plain).used_at is not None


@pytest.mark.django_db(transaction=True)
def test_one_code_redeemed_at_once_in_four_sessions_enrols_once():
    voter = UserFactory(role=Role.PARTY_REPRESENTATIVE)
    plain = enrolment_code_issue(user=voter, by=make_secretariat())
    start = threading.Barrier(4, timeout=20)
    won: list[int] = []
    refused: list[str] = []

    def worker() -> None:
        try:
            start.wait()
            won.append(enrolment_code_redeem(user=voter, code=plain).pk)
        except DomainError as exc:
            refused.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(refused) == 3
    assert all("works once" in message for message in refused)
