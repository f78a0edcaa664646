"""Register writes: Secretariat only, validated with the field named, audited in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, Category, MeteringSnapshot, Role, Suspension
from panel.selectors import groups_of
from panel.services import (
    metering_snapshot_record,
    representative_confirm,
    suspension_record,
    suspension_restore,
)
from tests.factories import (
    PartyRepresentativeFactory,
    UserFactory,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


_today = frozen_at()


def _record(by, party, **overrides):
    fields = {
        "category": Category.SUPPLIER,
        "metering_points": 1500,
        "as_of": dt.date(2026, 2, 28),
        "received_on": dt.date(2026, 3, 1),
        "source": "MRASCo file",
    }
    fields.update(overrides)
    return metering_snapshot_record(by=by, party=party, **fields)


def test_the_secretariat_records_a_snapshot_with_an_audit_record():
    secretariat = make_secretariat()
    party = party_in(Category.SUPPLIER)

    snapshot = _record(secretariat, party)

    assert snapshot.recorded_by == secretariat
    audit = AuditRecord.objects.get(action="metering_snapshot.recorded")
    assert audit.actor == secretariat
    assert audit.target_id == str(snapshot.pk)


@pytest.mark.parametrize(
    "role", [Role.AUTHORITY, Role.PARTY_REPRESENTATIVE, Role.PANEL_MEMBER, Role.PUBLIC]
)
def test_only_the_secretariat_may_record_metering_data(role):
    party = party_in(Category.SUPPLIER)

    with pytest.raises(NotAllowed):
        _record(UserFactory(role=role), party)

    assert not MeteringSnapshot.objects.exists()
    assert not AuditRecord.objects.exists()


def test_metering_data_are_refused_for_a_category_the_party_does_not_hold_on_as_of():
    party = party_in(Category.SUPPLIER, valid_from=dt.date(2026, 3, 1))

    with pytest.raises(DomainError) as refused:
        _record(make_secretariat(), party, as_of=dt.date(2026, 2, 28))

    assert refused.value.field == "category"
    assert refused.value.rule == "party_holds_category"
    assert "Supplier Parties" in refused.value.message
    assert not MeteringSnapshot.objects.exists()


@pytest.mark.parametrize("category", [Category.CVA, Category.IDNO_OTSO, Category.SIP])
def test_metering_data_are_only_for_dno_and_supplier_categories(category):
    party = party_in(category)

    with pytest.raises(DomainError) as refused:
        _record(make_secretariat(), party, category=category)

    assert refused.value.field == "category"
    assert refused.value.rule == "category_has_no_metering_data"


def test_metering_data_cannot_be_received_in_the_future_or_before_as_of():
    party = party_in(Category.SUPPLIER)
    secretariat = make_secretariat()

    with pytest.raises(DomainError) as future:
        _record(secretariat, party, received_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError) as early:
        _record(secretariat, party, as_of=dt.date(2026, 3, 1), received_on=dt.date(2026, 2, 1))

    assert (future.value.field, future.value.rule) == ("received_on", "not_in_future")
    assert (early.value.field, early.value.rule) == ("received_on", "not_before_as_of")


def test_a_negative_count_of_metering_points_is_refused():
    with pytest.raises(DomainError) as refused:
        _record(make_secretariat(), party_in(Category.SUPPLIER), metering_points=-1)

    assert refused.value.field == "metering_points"


def test_the_same_count_is_not_recorded_twice():
    party = party_in(Category.SUPPLIER)
    secretariat = make_secretariat()
    _record(secretariat, party)

    with pytest.raises(Conflict):
        _record(secretariat, party)

    assert MeteringSnapshot.objects.count() == 1


def test_a_suspension_is_recorded_by_the_secretariat_and_removes_the_party_from_its_group():
    party = party_in(Category.SUPPLIER)
    secretariat = make_secretariat()

    suspension = suspension_record(
        by=secretariat, party=party, valid_from=TODAY, panel_resolution="Panel 2026-03 R2"
    )

    assert AuditRecord.objects.filter(
        action="suspension.recorded", target_id=str(suspension.pk)
    ).exists()
    assert not groups_of(Category.SUPPLIER, TODAY)[0].can_vote


def test_a_suspension_needs_the_panel_resolution():
    with pytest.raises(DomainError) as refused:
        suspension_record(
            by=make_secretariat(),
            party=party_in(Category.SUPPLIER),
            valid_from=TODAY,
            panel_resolution=" ",
        )

    assert refused.value.field == "panel_resolution"
    assert not Suspension.objects.exists()


def test_a_party_cannot_be_suspended_twice_over_the_same_days():
    party = party_in(Category.SUPPLIER)
    secretariat = make_secretariat()
    suspension_record(
        by=secretariat, party=party, valid_from=dt.date(2026, 1, 1), panel_resolution="R1"
    )

    with pytest.raises(Conflict) as refused:
        suspension_record(by=secretariat, party=party, valid_from=TODAY, panel_resolution="R2")

    assert refused.value.rule == "one_suspension_at_a_time"
    assert Suspension.objects.count() == 1


def test_only_the_secretariat_records_suspensions():
    with pytest.raises(NotAllowed):
        suspension_record(
            by=UserFactory(role=Role.PANEL_MEMBER),
            party=party_in(Category.SUPPLIER),
            valid_from=TODAY,
            panel_resolution="R1",
        )

    assert not Suspension.objects.exists()


def test_restoring_rights_ends_the_suspension_once():
    party = party_in(Category.SUPPLIER)
    secretariat = make_secretariat()
    suspension = suspension_record(
        by=secretariat, party=party, valid_from=dt.date(2026, 1, 1), panel_resolution="R1"
    )

    suspension_restore(by=secretariat, suspension=suspension, restored_on=dt.date(2026, 2, 1))
    with pytest.raises(Conflict):
        suspension_restore(by=secretariat, suspension=suspension, restored_on=TODAY)

    suspension.refresh_from_db()
    # Restored on 1 February: the last day suspended is 31 January.
    assert suspension.valid_to == dt.date(2026, 1, 31)
    assert groups_of(Category.SUPPLIER, TODAY)[0].can_vote


def test_the_secretariat_confirms_a_nominated_authorised_voter():
    secretariat = make_secretariat()
    link = PartyRepresentativeFactory(authorised_voter=True)

    representative_confirm(by=secretariat, link=link)

    link.refresh_from_db()
    assert link.confirmed_by == secretariat
    assert link.confirmed_at is not None
    assert link.user.is_authorised_voter
    assert AuditRecord.objects.filter(action="party_representative.confirmed").count() == 1


def test_a_representative_not_nominated_as_voter_cannot_be_confirmed():
    link = PartyRepresentativeFactory(authorised_voter=False)

    with pytest.raises(DomainError) as refused:
        representative_confirm(by=make_secretariat(), link=link)

    assert refused.value.field == "authorised_voter"
    link.refresh_from_db()
    assert link.confirmed_at is None


def test_a_confirmation_is_given_once():
    secretariat = make_secretariat()
    link = PartyRepresentativeFactory(authorised_voter=True)
    representative_confirm(by=secretariat, link=link)

    with pytest.raises(Conflict):
        representative_confirm(by=secretariat, link=link)

    assert AuditRecord.objects.filter(action="party_representative.confirmed").count() == 1


def test_only_the_secretariat_confirms_authorised_voters():
    link = PartyRepresentativeFactory(authorised_voter=True)

    with pytest.raises(NotAllowed):
        representative_confirm(by=link.user, link=link)

    link.refresh_from_db()
    assert link.confirmed_at is None
