"""The vote page, its JSON and its CSV (13.4.3-13.4.4): per-question reasons from the log, the
log's head, withheld weights, a Party's own workings, void and blocked votes, the 14.3 re-vote."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from panel.models import Category, Party, Role, User
from voting.models import Ballot, BallotStatus, Declaration
from voting.services import ballot_open, ballot_void, ballots_close_due

from .conftest import CLOSES, OPENS, World, cast, open_vote
from .factories import login_verified, member, staff, voter_for, with_device

DURING = OPENS + dt.timedelta(days=1)
LATER = OPENS + dt.timedelta(days=2)
AFTER = CLOSES + dt.timedelta(minutes=1)
# Five more Suppliers: with Big (N 1,000,000) and Lone (250,000), TN = 1,950,000 and 12.10-12.16
# weight them; Big is capped in round 1 and Lone in round 2 (both end at exactly 20%).
SMALL_N = (100_000, 120_000, 140_000, 160_000, 180_000)
VAR_REASON = "The variation better meets General Objective 2"
DATE_REASON = "The date leaves too little time to change our systems"


@dataclass
class Suppliers:
    parties: list[Party]
    voters: list[User]


@pytest.fixture
def suppliers(world: World) -> Suppliers:
    parties = [
        member(Category.SUPPLIER, name=f"Small Supply {i} Ltd", points=n)
        for i, n in enumerate(SMALL_N, start=1)
    ]
    voters = [voter_for(p, username=f"small{i}") for i, p in enumerate(parties, start=1)]
    for v in voters:
        with_device(v)
    return Suppliers(parties, voters)


def vote_dcp11_like(world: World, suppliers: Suppliers, **kw: object) -> Ballot:
    """Lone alone rejects the variation; Lone and Big reject the date; Lone gives a reason on
    each question in two casts. The DNOs accept both. Declared after the close."""
    ballot = open_vote(world, **kw)
    v, d = ballot.questions.order_by("position")
    with time_machine.travel(DURING, tick=False):
        cast(ballot, world.lone_voter, world.lone, {v.pk: "reject", d.pk: "accept"}, VAR_REASON)
        cast(ballot, world.big_voter, world.big2, {v.pk: "accept", d.pk: "reject"})
        for user, party in zip(suppliers.voters, suppliers.parties, strict=True):
            cast(ballot, user, party, {v.pk: "accept", d.pk: "accept"})
        cast(ballot, world.dno_voter, world.dno[0], {v.pk: "accept", d.pk: "accept"})
    with time_machine.travel(LATER, tick=False):
        cast(ballot, world.lone_voter, world.lone, {d.pk: "reject"}, DATE_REASON)
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    ballot.refresh_from_db()
    return ballot


@pytest.fixture
def dcp(world: World, suppliers: Suppliers) -> Ballot:
    return vote_dcp11_like(world, suppliers)


def supplier_row(data: dict, kind: str) -> dict:
    q = next(q for q in data["declaration"]["questions"] if q["kind"] == kind)
    return next(c for c in q["categories"] if c["category"] == "SUPPLIER")


def test_each_group_s_reason_is_published_for_each_question(dcp, client) -> None:
    assert dcp.status == BallotStatus.DECLARED
    data = client.get("/changes/DCP-417/vote.json").json()
    lone = next(r for r in data["declaration"]["votes"] if r["group"] == "Lone Supply Ltd")
    assert lone["answers"] == {"variation": "Reject", "date": "Reject"}
    assert lone["reasons"] == {"variation": VAR_REASON, "date": DATE_REASON}
    rows = list(csv.reader(io.StringIO(client.get("/changes/DCP-417/vote.csv").content.decode())))
    lone_rows = {r[6]: r[8] for r in rows if r[0] == "vote" and r[5] == "Lone Supply Ltd"}
    assert lone_rows == {"variation": VAR_REASON, "date": DATE_REASON}
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert VAR_REASON in page and DATE_REASON in page


def test_an_accept_weight_that_gives_away_a_group_s_weight_is_withheld(dcp, client) -> None:
    data = client.get("/changes/DCP-417/vote.json").json()
    # Variation: only Lone rejected among Suppliers, so 100% minus the figure would be its weight.
    variation = supplier_row(data, "variation")["options"]["proposal"]
    assert variation["accept_weight"] is None and variation["weight_withheld"]
    assert (variation["accept_groups"], variation["voting_groups"], variation["passes"]) == (
        6,
        7,
        True,
    )
    # Date: Big and Lone rejected, both at the 20% cap: 60% would show it.
    date = supplier_row(data, "date")["options"]["proposal"]
    assert date["accept_weight"] is None and date["passes"] is False
    for body in (client.get("/changes/DCP-417/vote/").content.decode(), str(data)):
        assert "60%" not in body and "60.000000" not in body and "80.000000" not in body
    # The DNOs share equally (12.9.4): their figure is the share of Groups, published.
    dno = next(
        c
        for c in next(q for q in data["declaration"]["questions"] if q["kind"] == "date")[
            "categories"
        ]
        if c["category"] == "DNO"
    )
    assert dno["options"]["proposal"]["accept_weight"] == "100.000000"


def test_the_secretariat_keeps_every_figure(dcp) -> None:
    client = login_verified(Client(), staff(Role.SECRETARIAT))
    data = client.get("/changes/DCP-417/vote.json").json()
    figures = [
        c["options"]["proposal"]["accept_weight"]
        for cats in data["confidential"]["categories"].values()
        for c in cats
        if c["category"] == "SUPPLIER"
    ]
    assert sorted(figures) == ["60.000000", "80.000000"]


def test_a_party_sees_its_own_workings_with_the_category_totals_only(world, dcp) -> None:
    client = login_verified(Client(), world.lone_voter)
    data = client.get("/changes/DCP-417/vote.json").json()
    rows = data["confidential"]["groups"]
    assert {r["group"] for r in rows} == {"Lone Supply Ltd"}
    variation = next(r for r in rows if r["question"] == "variation")
    assert variation["n"] == 250_000 and variation["total_n"] == 1_950_000
    assert variation["weight"] == "20%"
    first, second = variation["rounds"]
    assert (first["number"], first["recipients_n"]) == (1, 950_000)
    assert first["change"].startswith("+") and second["change"].startswith("-")
    assert variation["n_sources"][0]["party"] == "Lone Supply Ltd"
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert "TN (N of the Groups that voted) = 1950000" in page
    for other in (*SMALL_N, 600_000, 400_000, 3_000_000):
        assert str(other) not in page and str(other) not in str(data)


def test_the_head_of_the_log_is_published_with_the_download_and_the_check(dcp, client) -> None:
    declaration = Declaration.objects.get(ballot=dcp)
    data = client.get("/changes/DCP-417/vote.json").json()["declaration"]
    assert (data["chain_head"], data["chain_length"]) == (
        declaration.chain_head,
        declaration.chain_length,
    )
    assert declaration.chain_length == 9 and len(declaration.chain_head) == 64
    assert data["log"]["json"] == "/changes/DCP-417/vote/log.json"
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert declaration.chain_head in page and "python -m voting.verify log.json" in page
    assert 'href="/changes/DCP-417/vote/log.csv"' in page
    rows = list(csv.reader(io.StringIO(client.get("/changes/DCP-417/vote.csv").content.decode())))
    ballot_row = next(r for r in rows if r[0] == "ballot")
    assert ballot_row[-2:] == [str(declaration.chain_length), declaration.chain_head]


def test_the_page_shows_the_scheduled_and_the_actual_close(dcp, client) -> None:
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert "Scheduled to close: 17:00 on 22 March 2027" in page
    assert "Closed: 17:00 on 22 March 2027" in page or "Closed: 17:01 on 22 March 2027" in page


def test_declarations_are_in_words(dcp, client) -> None:
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert "IDNO_OTSO" not in page and "IDNO/OTSO Parties" in page
    assert "Supplier Parties" in page and ">SUPPLIER<" not in page
    assert "75.000000%" not in page and "100.000000%" not in page
    assert "more than 65%" in page
    assert ">Passes<" in page and ">Does not pass<" in page
    assert ">pass<" not in page and ">fail<" not in page


def test_while_open_nobody_sees_a_choice_or_a_reason(world, suppliers) -> None:
    ballot = open_vote(world)
    v, _ = ballot.questions.order_by("position")
    with time_machine.travel(DURING, tick=False):
        cast(ballot, world.lone_voter, world.lone, {v.pk: "reject"}, VAR_REASON)
        for viewer in (Client(), login_verified(Client(), staff(Role.SECRETARIAT))):
            bodies = [
                viewer.get(f"/changes/DCP-417/{s}").content.decode()
                for s in ("vote/", "vote.json", "vote.csv")
            ]
            for body in bodies:
                assert VAR_REASON not in body and "Reject" not in body
        staff_csv = bodies[2]
    assert "turnout,DCP 417" in staff_csv and "Supplier Parties" in staff_csv


def test_a_blocked_vote_says_it_cannot_be_declared_and_shows_no_result(world, ballot, client):
    with time_machine.travel(DURING, tick=False):
        cast(ballot, world.lone_voter, world.lone, {ballot.questions.first().pk: "reject"})
    Ballot.objects.filter(pk=ballot.pk).update(status=BallotStatus.BLOCKED)
    page = client.get("/changes/DCP-417/vote/").content.decode()
    data = client.get("/changes/DCP-417/vote.json").json()
    assert "cannot be declared yet" in page
    assert data["declaration"] is None and data["blocked"]
    assert "Lone Supply Ltd" not in page


def test_a_void_vote_no_longer_shows_its_recommendation(world, suppliers, client) -> None:
    ballot = vote_dcp11_like(world, suppliers, matter="part1")
    before = client.get("/changes/DCP-417/vote/").content.decode()
    assert "Recommended for" in before
    with time_machine.travel(AFTER + dt.timedelta(days=30), tick=False):
        ballot_void(ballot=ballot, by=world.secretariat, reason="Sent back by the Authority")
    page = client.get("/changes/DCP-417/vote/").content.decode()
    data = client.get("/changes/DCP-417/vote.json").json()
    assert "This vote is void" in page and "Sent back by the Authority" in page
    assert "21 April 2027" in page
    assert "Recommended for" not in page and "Declared 17" not in page
    assert data["status"] == "void" and data["declaration"] is None
    assert data["void"]["reason"] == "Sent back by the Authority"


def test_the_first_declaration_stays_published_under_a_14_3_re_vote(world, dcp, client) -> None:
    assert dcp.declaration.combined_outcome == "revote_date"
    second_opens = CLOSES + dt.timedelta(days=60)
    with time_machine.travel(second_opens, tick=False):
        ballot_open(
            by=world.secretariat,
            reference="DCP 417",
            matter="part2",
            eligible=["DNO", "SUPPLIER", "IDNO", "OTSO"],
            implementation_date=dt.date(2028, 4, 1),
            opens_at=second_opens,
            date_only=True,
        )
        data = client.get("/changes/DCP-417/vote.json").json()
        page = client.get("/changes/DCP-417/vote/").content.decode()
        rows = list(
            csv.reader(io.StringIO(client.get("/changes/DCP-417/vote.csv").content.decode()))
        )
    first, second = data["ballots"]
    assert first["ballot"] == dcp.pk and first["declaration"]["combined_outcome"] == "revote_date"
    assert {r["group"] for r in first["declaration"]["votes"]} >= {"Lone Supply Ltd"}
    assert second["status"] == "open" and second["declaration"] is None
    assert data["ballot"] == second["ballot"]  # the top level is the vote now open
    assert page.index("How each Group voted") < page.index("Vote on a new implementation date")
    assert VAR_REASON in page
    assert [r[3] for r in rows if r[0] == "ballot"] == ["declared", "open"]
    assert any(r[0] == "vote" and r[5] == "Lone Supply Ltd" for r in rows)


def test_the_vote_page_reads_a_bounded_number_of_queries(
    world, dcp, django_assert_max_num_queries
) -> None:
    # The ballots, then per ballot the questions, the declaration, the log and the roll (twice
    # each: turnout and votes); signed in, the session and the user's Groups and members. Not a
    # query per Group or per vote.
    with django_assert_max_num_queries(10):
        Client().get("/changes/DCP-417/vote/")
    client = login_verified(Client(), world.lone_voter)
    with django_assert_max_num_queries(18):
        client.get("/changes/DCP-417/vote/")
