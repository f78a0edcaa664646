"""Opening a vote: eligibility, the questions, the window and the frozen roll (12.3-12.6, 12.12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from panel.errors import Conflict, NotAllowed
from panel.models import AuditRecord, Category, Party
from tests.factories import CvaSiteFactory
from voting.audit import VotingAction
from voting.models import Ballot, RollEntry, RollMember

from .conftest import CLOSES, OPENS, entry, open_vote
from .factories import member, snapshot, suspend


def test_default_window_closes_at_17_00_on_the_15th_working_day(ballot) -> None:
    assert ballot.opens_at == OPENS
    assert ballot.closes_at == CLOSES
    assert ballot.roll_date == dt.date(2027, 3, 1)
    assert ballot.reminder_days == [3, 1]


def test_questions_are_the_variation_and_the_implementation_date(ballot) -> None:
    variation, date = ballot.questions.order_by("position")
    assert variation.kind == "variation" and variation.options == ["proposal"]
    assert date.kind == "date" and date.implementation_date == dt.date(2027, 11, 1)


def test_alternatives_are_options_of_one_variation_question(world) -> None:
    ballot = open_vote(world, options=["proposal", "A"], option_texts={"A": "Alternative A"})
    variation = ballot.questions.get(kind="variation")
    assert variation.options == ["proposal", "A"]
    assert variation.normalise_choice("accept") is None  # two options: name one
    assert variation.normalise_choice("A") == "A"
    assert variation.normalise_choice("Reject") == "reject"


def test_roll_has_one_entry_per_group_with_n_as_of_the_vote(world, ballot) -> None:
    roll = {(e.category, e.group_name): e.n for e in ballot.roll.all()}
    assert roll == {
        ("DNO", "DNO 1 plc"): 3_000_000,
        ("DNO", "DNO 2 plc"): 2_000_000,
        ("DNO", "DNO 3 plc"): 1_000_000,
        ("SUPPLIER", "Big Energy Group"): 1_000_000,  # 600,000 + 400,000: one Group (12.3)
        ("SUPPLIER", "Lone Supply Ltd"): 250_000,
        ("IDNO_OTSO", "Inde Networks Ltd"): None,
        ("IDNO_OTSO", "Offshore Transmission Ltd"): None,
    }


def test_snapshot_received_after_opening_does_not_change_the_roll(world, ballot) -> None:
    snapshot(world.lone, Category.SUPPLIER, 9_999_999, received_on=dt.date(2027, 3, 2))
    snapshot(world.lone, Category.SUPPLIER, 8_888_888, received_on=dt.date(2027, 3, 1))
    assert entry(ballot, world.lone).n == 250_000


def test_suspended_party_is_not_on_the_roll(world) -> None:
    suspend(world.lone)
    suspend(world.big1)
    ballot = open_vote(world)
    assert not RollEntry.objects.filter(ballot=ballot, members__party=world.lone).exists()
    big = entry(ballot, world.big2)
    assert big.n == 400_000  # the suspended affiliate's N does not count
    assert list(big.members.values_list("party_id", flat=True)) == [world.big2.pk]


def test_party_in_two_categories_votes_in_each(world) -> None:
    member(Category.DNO, party=world.lone, points=500_000)
    ballot = open_vote(world)
    categories = set(
        RollEntry.objects.filter(ballot=ballot, members__party=world.lone).values_list(
            "category", flat=True
        )
    )
    assert categories == {"DNO", "SUPPLIER"}


def test_idno_and_otso_eligibility_are_separable(world) -> None:
    ballot = open_vote(world, eligible=["DNO", "IDNO"])
    names = set(ballot.roll.filter(category="IDNO_OTSO").values_list("group_name", flat=True))
    assert names == {"Inde Networks Ltd"}
    assert not ballot.roll.filter(category="SUPPLIER").exists()


def test_only_the_secretariat_opens_a_vote(world) -> None:
    with pytest.raises(NotAllowed):
        open_vote(world, by=world.dno_voter)


def test_a_proposal_has_one_open_vote_at_a_time(world, ballot) -> None:
    with pytest.raises(Conflict, match="already has an open vote"):
        open_vote(world)


def test_opening_is_audited(ballot) -> None:
    record = AuditRecord.objects.get(action=VotingAction.BALLOT_OPEN)
    assert record.data["roll_groups"] == 7


# -- where N came from, and Parties with none (12.12) ------------------------------------------


def test_each_member_records_the_snapshot_that_gave_its_n(world) -> None:
    older = snapshot(world.lone, Category.SUPPLIER, 111, received_on=dt.date(2026, 11, 1))
    newest = snapshot(world.lone, Category.SUPPLIER, 260_000, received_on=dt.date(2026, 11, 3))
    ballot = open_vote(world)
    member_row = RollMember.objects.get(roll_entry__ballot=ballot, party=world.lone)
    assert member_row.snapshot_id == newest.pk != older.pk
    assert member_row.n == 260_000
    assert member_row.n_source == "metering data received 3 Nov 2026 (file test)"
    assert RollMember.objects.get(roll_entry__ballot=ballot, party=world.idno).n_source == ""


def test_a_cva_registrants_n_comes_from_its_sites_on_the_day(world) -> None:
    cva = member(Category.CVA, name="Wind Farm Ltd")
    CvaSiteFactory(party=cva, maximum_export_capacity_kw=900, maximum_import_capacity_kw=10)
    ballot = open_vote(world, eligible=["CVA"])
    row = RollMember.objects.get(roll_entry__ballot=ballot, party=cva)
    assert (row.n, row.snapshot_id) == (900, None)
    assert row.n_source == "CVA sites in Party Details on 1 Mar 2027"
    assert ballot.roll_warnings == []


def test_opening_warns_of_a_party_with_no_n_snapshot_instead_of_a_silent_zero(world) -> None:
    bare = member(Category.SUPPLIER, name="New Supply Ltd")  # no metering data received
    ballot = open_vote(world)

    assert entry(ballot, bare).n == 0
    warning = (
        "New Supply Ltd (New Supply Ltd, Supplier Parties) has no metering snapshot on or before "
        "the day of the vote: its N counts as 0 (12.12)."
    )
    assert ballot.roll_warnings == [warning]
    assert Ballot.objects.get(pk=ballot.pk).roll_warnings == [warning]
    record = AuditRecord.objects.get(action=VotingAction.ROLL_WARNING)
    assert record.data == {"warnings": [warning]}


def test_a_roll_with_every_n_known_has_no_warning(world, ballot) -> None:
    assert Ballot.objects.get(pk=ballot.pk).roll_warnings == []
    assert not AuditRecord.objects.filter(action=VotingAction.ROLL_WARNING).exists()


def test_freezing_the_roll_reads_n_in_flat_queries_however_many_parties(
    world, django_assert_max_num_queries
) -> None:
    for i in range(12):
        member(Category.SUPPLIER, name=f"Extra Supply {i} Ltd", points=1000 + i)
    # Per category: memberships, affiliations (2), suspensions, N; then the writes and audits.
    with django_assert_max_num_queries(40):
        ballot = open_vote(world)
    assert RollMember.objects.filter(roll_entry__ballot=ballot).exclude(snapshot=None).count() == 18


def test_the_cmr_coordinator_is_never_on_the_roll_even_if_it_held_a_category(world) -> None:
    # The database refuses this (panel 0010); turned off here as only its owner could.
    coordinator = member(Category.SUPPLIER, name="Alt HAN Company Ltd", points=5_000_000)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE panel_party DISABLE TRIGGER USER")
        Party.objects.filter(pk=coordinator.pk).update(is_crowded_meter_room_coordinator=True)
        cursor.execute("ALTER TABLE panel_party ENABLE TRIGGER USER")
    ballot = open_vote(world)
    assert not RollMember.objects.filter(roll_entry__ballot=ballot, party=coordinator).exists()
