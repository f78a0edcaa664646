"""Group formation (definition of Group; 12.3, 6.2), N on a date (12.11-12.12), suspension (54.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.models import Category
from panel.selectors import Purpose, groups_of
from tests.factories import (
    AffiliationFactory,
    CorporateGroupFactory,
    CvaSiteFactory,
    MembershipFactory,
    PartyFactory,
    SnapshotFactory,
    SuspensionFactory,
    party_in,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _members(groups):
    return sorted(sorted(m.short_code for m in g.members) for g in groups)


def test_affiliates_in_the_same_category_vote_as_one_group():
    holding = CorporateGroupFactory(name="Big Energy plc")
    party_in(Category.SUPPLIER, group=holding, short_code="BIGA")
    party_in(Category.SUPPLIER, group=holding, short_code="BIGB")
    party_in(Category.SUPPLIER, short_code="SOLO")

    groups = groups_of(Category.SUPPLIER, DAY)

    assert _members(groups) == [["BIGA", "BIGB"], ["SOLO"]]
    assert next(g for g in groups if len(g.members) == 2).name == "Big Energy plc"


def test_affiliates_in_another_category_do_not_join_the_group():
    holding = CorporateGroupFactory()
    party_in(Category.SUPPLIER, group=holding, short_code="SUPA")
    party_in(Category.CVA, group=holding, short_code="CVAB")

    assert _members(groups_of(Category.SUPPLIER, DAY)) == [["SUPA"]]
    assert _members(groups_of(Category.CVA, DAY)) == [["CVAB"]]


def test_dno_parties_each_vote_alone_in_a_change_vote():
    holding = CorporateGroupFactory()
    party_in(Category.DNO, group=holding, short_code="DNOA")
    party_in(Category.DNO, group=holding, short_code="DNOB")

    groups = groups_of(Category.DNO, DAY, Purpose.CHANGE_VOTE)

    assert _members(groups) == [["DNOA"], ["DNOB"]]


def test_dno_parties_vote_as_corporate_groups_in_a_panel_election():
    holding = CorporateGroupFactory()
    party_in(Category.DNO, group=holding, short_code="DNOA")
    party_in(Category.DNO, group=holding, short_code="DNOB")
    party_in(Category.DNO, short_code="DNOC")

    groups = groups_of(Category.DNO, DAY, Purpose.ELECTION)

    assert _members(groups) == [["DNOA", "DNOB"], ["DNOC"]]


def test_suppliers_vote_as_corporate_groups_in_change_votes_and_elections_alike():
    holding = CorporateGroupFactory()
    party_in(Category.SUPPLIER, group=holding, short_code="SUPA")
    party_in(Category.SUPPLIER, group=holding, short_code="SUPB")

    for purpose in Purpose:
        assert _members(groups_of(Category.SUPPLIER, DAY, purpose)) == [["SUPA", "SUPB"]]


def test_a_party_in_two_categories_can_be_in_a_three_party_group_in_one_and_alone_in_the_other():
    holding = CorporateGroupFactory()
    both = party_in(Category.SUPPLIER, group=holding, short_code="BOTH")
    MembershipFactory(party=both, category=Category.CVA)
    party_in(Category.SUPPLIER, group=holding, short_code="SUPB")
    party_in(Category.SUPPLIER, group=holding, short_code="SUPC")

    assert _members(groups_of(Category.SUPPLIER, DAY)) == [["BOTH", "SUPB", "SUPC"]]
    assert _members(groups_of(Category.CVA, DAY)) == [["BOTH"]]


def test_groups_follow_affiliations_valid_on_the_day():
    holding = CorporateGroupFactory()
    first = party_in(Category.SUPPLIER, short_code="SUPA")
    second = party_in(Category.SUPPLIER, short_code="SUPB")
    AffiliationFactory(party=first, corporate_group=holding, valid_from=dt.date(2026, 3, 1))
    AffiliationFactory(party=second, corporate_group=holding, valid_from=dt.date(2026, 3, 1))

    assert _members(groups_of(Category.SUPPLIER, dt.date(2026, 2, 28))) == [["SUPA"], ["SUPB"]]
    assert _members(groups_of(Category.SUPPLIER, dt.date(2026, 3, 1))) == [["SUPA", "SUPB"]]


def test_a_party_is_in_a_category_only_while_it_holds_it():
    party = PartyFactory(short_code="SUPA")
    MembershipFactory(
        party=party,
        category=Category.SUPPLIER,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 1, 31),
    )

    assert _members(groups_of(Category.SUPPLIER, dt.date(2026, 1, 31))) == [["SUPA"]]
    assert groups_of(Category.SUPPLIER, dt.date(2026, 2, 1)) == []
    assert groups_of(Category.SUPPLIER, dt.date(2024, 12, 31)) == []


def test_terminated_parties_are_not_in_any_group_after_termination():
    party_in(Category.SUPPLIER, short_code="GONE", termination_date=dt.date(2026, 2, 1))
    party_in(Category.SUPPLIER, short_code="STAY")

    assert _members(groups_of(Category.SUPPLIER, dt.date(2026, 2, 1))) == [["GONE"], ["STAY"]]
    assert _members(groups_of(Category.SUPPLIER, dt.date(2026, 2, 2))) == [["STAY"]]


def test_a_party_that_has_not_yet_acceded_is_not_in_a_group():
    party_in(Category.SUPPLIER, short_code="SOON", accession_date=dt.date(2026, 6, 1))

    assert groups_of(Category.SUPPLIER, DAY) == []


def test_n_is_the_latest_snapshot_received_on_or_before_the_day():
    party = party_in(Category.SUPPLIER, short_code="SUPA")
    for received, points in [((2026, 1, 10), 100), ((2026, 2, 10), 200), ((2026, 3, 10), 300)]:
        SnapshotFactory(
            party=party,
            category=Category.SUPPLIER,
            metering_points=points,
            as_of=dt.date(*received) - dt.timedelta(days=5),
            received_on=dt.date(*received),
        )

    def n_on(day: dt.date) -> int | None:
        return groups_of(Category.SUPPLIER, day)[0].n

    assert n_on(dt.date(2026, 1, 9)) == 0
    assert n_on(dt.date(2026, 1, 10)) == 100
    assert n_on(dt.date(2026, 2, 9)) == 100
    assert n_on(dt.date(2026, 2, 10)) == 200
    assert n_on(dt.date(2026, 3, 31)) == 300


def test_n_comes_from_the_latest_received_snapshot_not_the_latest_as_of():
    party = party_in(Category.DNO, short_code="DNOA")
    SnapshotFactory(
        party=party,
        category=Category.DNO,
        metering_points=500,
        as_of=dt.date(2026, 1, 31),
        received_on=dt.date(2026, 2, 1),
    )
    SnapshotFactory(
        party=party,
        category=Category.DNO,
        metering_points=400,
        as_of=dt.date(2025, 12, 31),
        received_on=dt.date(2026, 2, 5),
    )

    assert groups_of(Category.DNO, dt.date(2026, 2, 6))[0].n == 400


def test_a_snapshot_for_another_category_does_not_count():
    party = party_in(Category.SUPPLIER, short_code="SUPA")
    MembershipFactory(party=party, category=Category.DNO)
    SnapshotFactory(party=party, category=Category.DNO, metering_points=999)

    assert groups_of(Category.SUPPLIER, DAY)[0].n == 0


def test_group_n_is_the_sum_of_its_members_n():
    holding = CorporateGroupFactory()
    first = party_in(Category.SUPPLIER, group=holding)
    second = party_in(Category.SUPPLIER, group=holding)
    SnapshotFactory(party=first, metering_points=1200)
    SnapshotFactory(party=second, metering_points=34)

    (group,) = groups_of(Category.SUPPLIER, DAY)

    assert group.n == 1234
    assert sorted(m.n for m in group.members) == [34, 1200]


def test_cva_n_is_the_sum_of_max_export_import_over_sites_valid_on_the_day():
    party = party_in(Category.CVA, short_code="CVAA")
    CvaSiteFactory(party=party, maximum_export_capacity_kw=1000, maximum_import_capacity_kw=500)
    CvaSiteFactory(party=party, maximum_export_capacity_kw=200, maximum_import_capacity_kw=700)
    CvaSiteFactory(  # closed before the day
        party=party,
        maximum_export_capacity_kw=50_000,
        maximum_import_capacity_kw=0,
        valid_to=dt.date(2026, 3, 1),
    )
    CvaSiteFactory(  # opens after the day
        party=party,
        maximum_export_capacity_kw=0,
        maximum_import_capacity_kw=80_000,
        valid_from=dt.date(2026, 3, 3),
    )

    assert groups_of(Category.CVA, DAY)[0].n == 1700


def test_cva_metering_snapshots_are_not_used_for_cva_n():
    party = party_in(Category.CVA)
    CvaSiteFactory(party=party, maximum_export_capacity_kw=10, maximum_import_capacity_kw=20)
    SnapshotFactory(party=party, category=Category.CVA, metering_points=1_000_000)

    assert groups_of(Category.CVA, DAY)[0].n == 20


def test_categories_sharing_votes_equally_have_no_n():
    for category in (Category.IDNO_OTSO, Category.GAS_SUPPLIER, Category.SIP):
        party_in(category)
        (group,) = groups_of(category, DAY)
        assert group.n is None
        assert group.members[0].n is None


def test_idno_or_otso_is_reported_for_each_member():
    party = PartyFactory(short_code="OTSO")
    MembershipFactory(party=party, category=Category.IDNO_OTSO, idno_otso="OTSO")

    (group,) = groups_of(Category.IDNO_OTSO, DAY)

    assert group.members[0].idno_otso == "OTSO"


def test_a_suspended_party_is_left_out_of_its_group_and_its_n_does_not_count():
    holding = CorporateGroupFactory()
    suspended = party_in(Category.SUPPLIER, group=holding, short_code="SUSP")
    active = party_in(Category.SUPPLIER, group=holding, short_code="ACTV")
    SnapshotFactory(party=suspended, metering_points=900)
    SnapshotFactory(party=active, metering_points=100)
    SuspensionFactory(party=suspended, valid_from=dt.date(2026, 3, 1))

    (group,) = groups_of(Category.SUPPLIER, DAY)

    assert [m.short_code for m in group.members] == ["ACTV"]
    assert [m.short_code for m in group.suspended_members] == ["SUSP"]
    assert group.n == 100
    assert group.can_vote


def test_a_lone_suspended_partys_group_cannot_vote():
    party = party_in(Category.SUPPLIER, short_code="SUSP")
    SuspensionFactory(party=party, valid_from=dt.date(2026, 3, 1))

    (group,) = groups_of(Category.SUPPLIER, DAY)

    assert group.members == ()
    assert not group.can_vote


def test_rights_count_again_after_the_suspension_ends():
    party = party_in(Category.SUPPLIER, short_code="BACK")
    SuspensionFactory(party=party, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 2, 1))

    (group,) = groups_of(Category.SUPPLIER, DAY)

    assert group.can_vote
    assert [m.short_code for m in group.members] == ["BACK"]


def test_forming_groups_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    holding = CorporateGroupFactory()
    for _ in range(12):
        party = party_in(Category.SUPPLIER, group=holding)
        SnapshotFactory(party=party)
    for _ in range(12):
        party_in(Category.SUPPLIER)

    with django_assert_max_num_queries(6):
        groups = groups_of(Category.SUPPLIER, DAY)

    assert len(groups) == 13
