"""Panel elections (Clause 6.2-6.7): dates, nominations, the vote, run-offs, unopposed seats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from panel.errors import Conflict, NotAllowed
from panel.models import Category, ClosureDay, OfficeRole, PanelAppointment, Party, User
from tests.panel_work.factories import appoint
from voting.election_rules import election_dates, rank
from voting.models import (
    Ballot,
    Election,
    ElectionResult,
    ElectionStatus,
    Nomination,
    Question,
    RollEntry,
    Vote,
)
from voting.services import ballot_open, vote_cast
from voting.services.election_results import election_count, election_results_publish
from voting.services.elections import candidates_publish, election_create, nomination_submit

from .factories import (
    CorporateGroupFactory,
    UserFactory,
    make_secretariat,
    member,
    suspend,
    voter_for,
    with_device,
)


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


SETUP = at(2026, 9, 1)
NOTICE = at(2026, 10, 20)  # the last day to notify the candidates in 2026 (hand-checked below)
VOTING_CLOSES = at(2026, 11, 3, 17, 0)


# -- the dates (pure, hand-checked against a calendar) ---------------------------------------


def test_2026_dates_are_40_and_30_working_days_before_1_december_and_10_days_of_voting():
    # 1 Dec 2026 is a Tuesday; no bank holiday falls in October or November in England and
    # Wales. Counting back Working Days: Mon 30 Nov is 1st, ... Tue 20 Oct is the 30th,
    # Tue 6 Oct the 40th. Ten Working Days after Tue 20 Oct: 21-23 Oct (3), 26-30 Oct (8),
    # Mon 2 Nov (9), Tue 3 Nov (10).
    dates = election_dates(2026)
    assert dates.vacancy_date == dt.date(2026, 12, 1)
    assert dates.nominations_close == dt.date(2026, 10, 6)
    assert dates.candidates_notice_by == dt.date(2026, 10, 20)
    assert dates.planned_voting_closes == dt.date(2026, 11, 3)


def test_2027_dates_count_from_a_wednesday_1_december():
    dates = election_dates(2027)
    assert dates.nominations_close == dt.date(2027, 10, 6)
    assert dates.candidates_notice_by == dt.date(2027, 10, 20)
    assert dates.planned_voting_closes == dt.date(2027, 11, 3)


def test_a_closure_day_moves_every_date_back_by_one_working_day():
    # The Secretariat closed on Mon 30 Nov 2026: it is not a Working Day, so each count back
    # reaches one Working Day further; the 10 days of voting then start from Mon 19 Oct.
    dates = election_dates(2026, {dt.date(2026, 11, 30)})
    assert dates.nominations_close == dt.date(2026, 10, 5)
    assert dates.candidates_notice_by == dt.date(2026, 10, 19)
    assert dates.planned_voting_closes == dt.date(2026, 11, 2)


# -- the ranking (pure) ----------------------------------------------------------------------


def test_ranked_by_votes_and_the_first_n_elected():
    r = rank(["a", "b", "c", "d"], [{"a": 1, "b": 5, "c": 3, "d": 0}], 2)
    assert r.tiers == (("b",), ("c",), ("a",), ("d",))
    assert r.elected == ("b", "c")
    assert r.decided


def test_a_tie_for_the_last_seat_needs_a_runoff_among_the_tied_only():
    r = rank(["a", "b", "c", "d"], [{"a": 5, "b": 3, "c": 3, "d": 1}], 2)
    assert r.elected == ("a",)
    assert r.runoff == ("b", "c")


def test_a_tie_that_does_not_decide_a_seat_needs_no_runoff():
    r = rank(["a", "b", "c", "d"], [{"a": 5, "b": 3, "c": 3, "d": 1}], 3)
    assert r.elected == ("a", "b", "c")
    assert r.decided


def test_the_runoff_orders_the_tied_candidates_and_a_second_tie_runs_off_again():
    first = {"a": 5, "b": 3, "c": 3, "d": 3}
    still_tied = rank(["a", "b", "c", "d"], [first, {"b": 1, "c": 1, "d": 0}], 2)
    assert still_tied.runoff == ("b", "c")
    done = rank(["a", "b", "c", "d"], [first, {"b": 1, "c": 1, "d": 0}, {"b": 0, "c": 2}], 2)
    assert done.elected == ("a", "c")
    assert done.tiers == (("a",), ("c",), ("b",), ("d",))


# -- the register and the people -------------------------------------------------------------


@dataclass
class Dnos:
    secretariat: User
    power_a: Party
    power_b: Party
    north: Party
    south: Party
    east: Party
    suspended: Party
    voter_a: User
    voter_b: User
    voter_north: User
    voter_south: User
    voter_east: User
    voter_suspended: User
    candidates: list[User]


@pytest.fixture
def dnos(db) -> Dnos:
    """Six DNO Parties: two in one corporate group, three alone, one suspended (54.3)."""
    power = CorporateGroupFactory(name="Power Holdings")
    parties = {
        "a": member(Category.DNO, name="Power A plc", group=power, points=1_000),
        "b": member(Category.DNO, name="Power B plc", group=power, points=1_000),
        "north": member(Category.DNO, name="North plc", points=1_000),
        "south": member(Category.DNO, name="South plc", points=1_000),
        "east": member(Category.DNO, name="East plc", points=1_000),
        "suspended": member(Category.DNO, name="Defaulting plc", points=1_000),
    }
    suspend(parties["suspended"], since=dt.date(2026, 1, 1))
    voters = {k: voter_for(p, username=f"voter_{k}") for k, p in parties.items()}
    for user in voters.values():
        with_device(user)
    return Dnos(
        secretariat=make_secretariat(),
        power_a=parties["a"],
        power_b=parties["b"],
        north=parties["north"],
        south=parties["south"],
        east=parties["east"],
        suspended=parties["suspended"],
        voter_a=voters["a"],
        voter_b=voters["b"],
        voter_north=voters["north"],
        voter_south=voters["south"],
        voter_east=voters["east"],
        voter_suspended=voters["suspended"],
        candidates=[
            UserFactory(username=f"cand{i}", first_name=f"Cand{i}", last_name="Person")
            for i in range(1, 5)
        ],
    )


def _election(w: Dnos, role: str = OfficeRole.MEMBER, category: str = Category.DNO) -> Election:
    with time_machine.travel(SETUP, tick=False):
        return election_create(by=w.secretariat, year=2026, category=category, role=role)


def _nominate(w: Dnos, election: Election, person: User, party: Party | None = None) -> Nomination:
    party = party or w.north
    with time_machine.travel(SETUP, tick=False):
        return nomination_submit(
            by=w.secretariat, election=election, person=person, nominated_by=party, employer=party
        )


def _publish(w: Dnos, election: Election) -> Election:
    with time_machine.travel(NOTICE, tick=False):
        candidates_publish(by=w.secretariat, election=election)
    election.refresh_from_db()
    return election


def _ballot(election: Election, number: int = 1) -> Ballot:
    return election.rounds.get(number=number).ballot


def _vote(ballot: Ballot, voter: User, nomination: Nomination, when: dt.datetime | None = None):
    entry = RollEntry.objects.get(ballot=ballot, members__party__representatives__user=voter)
    question = Question.objects.get(ballot=ballot)
    with time_machine.travel(when or NOTICE + dt.timedelta(hours=1), tick=False):
        return vote_cast(
            ballot=ballot,
            roll_entry=entry,
            by=voter,
            answers={question.pk: nomination.label},
            second_factor=True,
        )


def test_election_is_created_with_the_computed_dates_and_the_vacant_offices(dnos):
    # Seat 1 is held until 1 December 2027; seat 2 retires on 1 December 2026 (6.7).
    appoint("Held Seat", Category.DNO, seat=1, appointed_from=dt.date(2025, 12, 1))
    appoint("Retiring Seat", Category.DNO, seat=2, appointed_from=dt.date(2024, 12, 1))
    election = _election(dnos)
    assert election.seat_numbers == [2]
    assert (election.nominations_close, election.candidates_notice_by) == (
        dt.date(2026, 10, 6),
        dt.date(2026, 10, 20),
    )


def test_nominations_after_the_close_and_second_nominations_are_refused(dnos):
    election = _election(dnos)
    _nominate(dnos, election, dnos.candidates[0])
    with pytest.raises(Conflict, match="already a candidate"):
        _nominate(dnos, election, dnos.candidates[0], dnos.south)
    with time_machine.travel(at(2026, 10, 7), tick=False), pytest.raises(Conflict, match="closed"):
        nomination_submit(
            by=dnos.secretariat,
            election=election,
            person=dnos.candidates[1],
            nominated_by=dnos.north,
            employer=dnos.north,
        )
    # A notice received on the closing day itself is in time.
    with time_machine.travel(at(2026, 10, 6, 16), tick=False):
        nomination_submit(
            by=dnos.secretariat,
            election=election,
            person=dnos.candidates[1],
            nominated_by=dnos.north,
            employer=dnos.north,
        )
    assert election.nominations.count() == 2


def test_a_suspended_group_cannot_nominate_or_vote(dnos):
    election = _election(dnos)
    with pytest.raises(NotAllowed, match="suspended"):
        _nominate(dnos, election, dnos.candidates[0], dnos.suspended)
    assert not Nomination.objects.exists()
    for person in dnos.candidates[:3]:
        _nominate(dnos, election, person)
    _publish(dnos, election)
    ballot = _ballot(election)
    roll = RollEntry.objects.filter(ballot=ballot)
    assert not roll.filter(members__party=dnos.suspended).exists()
    entry = RollEntry.objects.filter(ballot=ballot).first()
    question = Question.objects.get(ballot=ballot)
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        with pytest.raises(NotAllowed):
            vote_cast(
                ballot=ballot,
                roll_entry=entry,
                by=dnos.voter_suspended,
                answers={question.pk: question.options[0]},
                second_factor=True,
            )
    assert not Vote.objects.exists()


def test_dno_parties_of_one_corporate_group_cast_one_vote_in_an_election_not_in_a_change_vote(
    dnos,
):
    election = _election(dnos)
    noms = [_nominate(dnos, election, p) for p in dnos.candidates[:3]]
    _publish(dnos, election)
    ballot = _ballot(election)
    # Election: Power A and Power B are one Group; the suspended Party is not on the roll.
    assert RollEntry.objects.filter(ballot=ballot).count() == 4
    entry_a = RollEntry.objects.get(ballot=ballot, members__party=dnos.power_a)
    assert set(entry_a.members.values_list("party_id", flat=True)) == {
        dnos.power_a.pk,
        dnos.power_b.pk,
    }
    _vote(ballot, dnos.voter_a, noms[0])
    second = _vote(ballot, dnos.voter_b, noms[1], NOTICE + dt.timedelta(hours=2))
    assert second.changed  # the Group's vote changed; it did not add a second one
    live = Vote.objects.filter(ballot=ballot, superseded_at=None)
    assert [(v.roll_entry_id, v.choice) for v in live] == [(entry_a.pk, noms[1].label)]
    # Change vote (12.3): each DNO Party votes alone.
    with time_machine.travel(at(2026, 10, 21), tick=False):
        change = ballot_open(
            by=dnos.secretariat, reference="DCP 500", matter="part2", eligible=["DNO"]
        )
    assert RollEntry.objects.filter(ballot=change).count() == 5
    assert RollEntry.objects.filter(ballot=change, members__party=dnos.power_b).get() != (
        RollEntry.objects.filter(ballot=change, members__party=dnos.power_a).get()
    )


def test_one_vote_per_group_per_role(dnos):
    members = _election(dnos)
    alternates = _election(dnos, OfficeRole.ALTERNATE)
    m = [_nominate(dnos, members, p) for p in dnos.candidates[:3]]
    a = [_nominate(dnos, alternates, p) for p in dnos.candidates[3:]] + [
        _nominate(dnos, alternates, UserFactory(username=f"alt{i}")) for i in range(2)
    ]
    _publish(dnos, members)
    _publish(dnos, alternates)
    # The same Group votes once for each Role ...
    _vote(_ballot(members), dnos.voter_north, m[0])
    _vote(_ballot(alternates), dnos.voter_north, a[0])
    # ... and a second vote in the same Role replaces the first.
    _vote(_ballot(members), dnos.voter_north, m[1], NOTICE + dt.timedelta(hours=3))
    live = Vote.objects.filter(superseded_at=None, roll_entry__members__party=dnos.north)
    assert sorted((v.ballot_id, v.choice) for v in live) == sorted(
        [(_ballot(members).pk, m[1].label), (_ballot(alternates).pk, a[0].label)]
    )


def test_a_tie_for_the_last_seat_runs_off_among_the_tied_only_then_appoints(
    dnos, django_capture_on_commit_callbacks
):
    retiring = appoint("Old Member", Category.DNO, seat=2, appointed_from=dt.date(2024, 12, 1))
    election = _election(dnos)
    assert election.seat_numbers == [1, 2]
    n1, n2, n3, n4 = [_nominate(dnos, election, p) for p in dnos.candidates]
    with django_capture_on_commit_callbacks(execute=True):
        _publish(dnos, election)
    assert election.status == ElectionStatus.VOTING
    ballot = _ballot(election)
    # 10 Working Days from the notice on Tue 20 Oct 2026: 17:00 on Tue 3 Nov 2026.
    assert ballot.closes_at == VOTING_CLOSES
    assert ballot.questions.get().weighted is False
    _vote(ballot, dnos.voter_a, n1)
    _vote(ballot, dnos.voter_north, n1)
    _vote(ballot, dnos.voter_south, n2)
    _vote(ballot, dnos.voter_east, n3)
    with time_machine.travel(VOTING_CLOSES - dt.timedelta(minutes=1), tick=False):
        with pytest.raises(Conflict, match="closes at 17:00"):
            election_count(by=dnos.secretariat, election=election)
    with time_machine.travel(VOTING_CLOSES + dt.timedelta(hours=1), tick=False):
        election_count(by=dnos.secretariat, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTING
    runoff = _ballot(election, 2)
    assert runoff.questions.get().options == [n2.label, n3.label]  # n1 leads; n4 had none
    assert not ElectionResult.objects.exists()
    run_off_day = at(2026, 11, 4, 9)
    _vote(runoff, dnos.voter_north, n3, run_off_day)
    _vote(runoff, dnos.voter_south, n2, run_off_day)
    _vote(runoff, dnos.voter_east, n3, run_off_day)
    mail.outbox.clear()
    with time_machine.travel(runoff.closes_at + dt.timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            election_count(by=dnos.secretariat, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTED
    assert election.authority_gap == 0
    assert not [m for m in mail.outbox if "6.4" in m.subject]  # no gap for the Authority
    rows = list(election.results.order_by("position"))
    assert [(r.nomination_id, r.votes, r.runoff_votes, r.elected, r.seat) for r in rows] == [
        (n1.pk, 2, None, True, 1),
        (n3.pk, 1, 2, True, 2),
        (n2.pk, 1, 1, False, None),
        (n4.pk, 0, None, False, None),
    ]
    with time_machine.travel(at(2026, 11, 10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            election_results_publish(by=dnos.secretariat, election=election)
    retiring.refresh_from_db()
    assert retiring.ended_on == dt.date(2026, 12, 1)
    new = {
        a.person_id: a for a in PanelAppointment.objects.filter(elected_on=dt.date(2026, 11, 10))
    }
    assert new[n1.person_id].seat == 1 and new[n1.person_id].appointed_from == dt.date(2026, 11, 10)
    assert new[n3.person_id].seat == 2 and new[n3.person_id].appointed_from == dt.date(2026, 12, 1)
    assert new[n3.person_id].term_ends == dt.date(2028, 12, 1)
    assert any("result" in m.subject for m in mail.outbox)


def test_fewer_candidates_than_offices_are_elected_unopposed_and_the_gap_goes_to_the_authority(
    dnos, django_capture_on_commit_callbacks
):
    supplier = member(Category.SUPPLIER, name="Supply Co Ltd")
    with time_machine.travel(SETUP, tick=False):
        election = election_create(
            by=dnos.secretariat, year=2026, category=Category.SUPPLIER, role=OfficeRole.MEMBER
        )
        nomination = nomination_submit(
            by=dnos.secretariat,
            election=election,
            person=dnos.candidates[0],
            nominated_by=supplier,
            employer_name="Energy Consulting LLP",
        )
    assert election.seats == 2
    _publish(dnos, election)
    assert election.status == ElectionStatus.UNCONTESTED
    assert not election.rounds.exists() and not Ballot.objects.exists()  # no vote is held
    mail.outbox.clear()
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            election_count(by=dnos.secretariat, election=election)
    election.refresh_from_db()
    assert election.authority_gap == 1
    result = ElectionResult.objects.get(election=election)
    assert (result.nomination_id, result.elected, result.unopposed, result.seat) == (
        nomination.pk,
        True,
        True,
        1,
    )
    to_authority = [m for m in mail.outbox if m.to == [settings.AUTHORITY_EMAIL]]
    assert len(to_authority) == 1 and "6.4" in to_authority[0].subject
    assert "1 further person" in to_authority[0].body


def test_equal_candidates_and_offices_need_no_vote_and_no_authority(
    dnos, django_capture_on_commit_callbacks
):
    election = _election(dnos)
    for person in dnos.candidates[:2]:
        _nominate(dnos, election, person)
    _publish(dnos, election)
    mail.outbox.clear()
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            election_count(by=dnos.secretariat, election=election)
    election.refresh_from_db()
    assert election.authority_gap == 0
    assert not Ballot.objects.exists()
    assert mail.outbox == []
    assert election.results.filter(elected=True, unopposed=True).count() == 2


def test_a_member_elected_is_removed_from_the_alternates_list(dnos):
    members = _election(dnos)
    alternates = _election(dnos, OfficeRole.ALTERNATE)
    both = dnos.candidates[0]
    for person in dnos.candidates[:2]:
        _nominate(dnos, members, person)
    _nominate(dnos, alternates, both)
    _nominate(dnos, alternates, dnos.candidates[2])
    _publish(dnos, members)
    _publish(dnos, alternates)
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        with pytest.raises(Conflict, match="6.3.2"):
            election_count(by=dnos.secretariat, election=alternates)
        election_count(by=dnos.secretariat, election=members)
        election_count(by=dnos.secretariat, election=alternates)
    rows = {r.nomination.person_id: r for r in ElectionResult.objects.filter(election=alternates)}
    assert not rows[both.pk].elected and "6.3.2" in rows[both.pk].removed_note
    assert rows[dnos.candidates[2].pk].elected


def test_only_the_secretariat_runs_an_election(dnos):
    with pytest.raises(NotAllowed):
        election_create(by=dnos.voter_north, year=2026, category=Category.DNO, role="MEMBER")


def test_an_office_closure_day_does_not_move_the_election_dates(dnos):
    # Working Days are the agreement's (s.64); the Secretariat's closure days do not change them.
    ClosureDay.objects.create(day=dt.date(2026, 11, 30), reason="Office move")
    election = _election(dnos)
    assert election.nominations_close == dt.date(2026, 10, 6)


# -- pages -----------------------------------------------------------------------------------


def test_secretariat_runs_an_election_through_the_pages_and_groups_vote_on_my_votes(dnos):
    from django.test import Client

    from .factories import login_verified

    client = login_verified(Client(), dnos.secretariat)
    with time_machine.travel(SETUP, tick=False):
        response = client.post(
            "/elections/manage/", {"year": 2026, "category": "DNO", "role": "MEMBER"}
        )
        assert response.status_code == 302
        election = Election.objects.get()
        for person in dnos.candidates[:3]:
            response = client.post(
                f"/elections/{election.pk}/",
                {"person": person.pk, "nominated_by": dnos.north.pk, "employer": dnos.north.pk},
            )
            assert response.status_code == 302
        refused = client.post(
            f"/elections/{election.pk}/",
            {
                "person": dnos.candidates[3].pk,
                "nominated_by": dnos.suspended.pk,
                "employer": dnos.suspended.pk,
            },
        )
        assert "suspended" in refused.content.decode()
        # Candidates are not public while nominations are open.
        assert "Cand1" not in Client().get("/elections/").content.decode()
    with time_machine.travel(NOTICE, tick=False):
        client.post(f"/elections/{election.pk}/publish-candidates/")
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTING
    public = Client().get("/elections/").content.decode()
    assert "Cand1 Person (North plc)" in public and "Result" not in public
    ballot = _ballot(election)
    voter = login_verified(Client(), dnos.voter_south)
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        assert str(ballot.reference) in voter.get("/my/votes/").content.decode()
        form = voter.get(f"/my/votes/{ballot.pk}/").content.decode()
        assert "Cand2 Person (North plc)" in form
        question = ballot.questions.get()
        nomination = election.nominations.get(person=dnos.candidates[1])
        response = voter.post(f"/my/votes/{ballot.pk}/", {f"q{question.pk}": nomination.label})
        assert response.status_code == 302
    assert Vote.objects.get(superseded_at=None).choice == nomination.label
    with time_machine.travel(VOTING_CLOSES + dt.timedelta(hours=1), tick=False):
        client.post(f"/elections/{election.pk}/count/")
        election.refresh_from_db()
        assert election.status == ElectionStatus.VOTING  # 1-0-0 for two offices: run-off
        assert client.get(f"/elections/{election.pk}/").status_code == 200


def test_election_pages_are_for_the_secretariat_only(dnos):
    from django.test import Client

    from .factories import login_verified

    election = _election(dnos)
    voter = login_verified(Client(), dnos.voter_north)
    assert voter.get("/elections/manage/").status_code == 403
    assert voter.get(f"/elections/{election.pk}/").status_code == 403
    assert voter.post(f"/elections/{election.pk}/count/").status_code == 403
    assert Client().get("/elections/").status_code == 200
