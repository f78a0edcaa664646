"""Publication (13.4.3) only after the declaration; N and the workings never public."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from panel.models import Category, Role
from voting.models import Ballot
from voting.services import ballot_void, ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, cast, entry, open_vote
from .factories import login_verified, member, staff, voter_for

DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=1)
SECRET_N = 7_654_321  # a distinctive N that must never reach a public body


@pytest.fixture
def declared(world) -> Ballot:
    odd = member(Category.SUPPLIER, name="Distinct Power Ltd", points=SECRET_N)
    odd_voter = voter_for(odd, username="oddvoter")
    ballot = open_vote(world)
    v, d = ballot.questions.order_by("position")
    with time_machine.travel(DURING, tick=False):
        for user, party, choice in [
            (world.lone_voter, world.lone, "reject"),
            (world.big_voter, world.big1, "accept"),
            (odd_voter, odd, "accept"),
            (world.dno_voter, world.dno[0], "accept"),
        ]:
            vote_cast(
                ballot=ballot,
                roll_entry=entry(ballot, party),
                by=user,
                answers={v.pk: choice, d.pk: "accept"},
                reason="Better meets General Objective 2" if choice == "reject" else "",
                second_factor=True,
            )
    with time_machine.travel(AFTER, tick=False):
        ballots_close_due()
    ballot.refresh_from_db()
    return ballot


def bodies(client: Client) -> list[str]:
    return [
        client.get(f"/changes/DCP-417/{suffix}").content.decode()
        for suffix in ("vote/", "vote.json", "vote.csv")
    ]


def test_before_the_declaration_the_page_shows_status_not_votes(world, ballot, client) -> None:
    with time_machine.travel(DURING, tick=False):
        cast(ballot, world.lone_voter, world.lone, {ballot.questions.first().pk: "reject"})
        page = client.get("/changes/DCP-417/vote/").content.decode()
        data = client.get("/changes/DCP-417/vote.json").json()
    assert "The vote is open" in page
    assert "Lone Supply" not in page and "Reject" not in page
    assert data["declaration"] is None and data["turnout"] is None


def test_secretariat_and_panel_see_turnout_only_while_open(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False):
        cast(ballot, world.lone_voter, world.lone, {ballot.questions.first().pk: "reject"})
        panel = staff(Role.PANEL_MEMBER)
        data = Client()
        data.force_login(panel)
        body = data.get("/changes/DCP-417/vote.json").json()
    supplier = next(t for t in body["turnout"] if t["category"] == "SUPPLIER")
    assert (supplier["groups_voted"], supplier["eligible_groups"]) == (1, 2)
    assert body["declaration"] is None


def test_references_are_accepted_in_any_spelling_and_redirected(declared, client) -> None:
    for spelling in ("DCP%20417", "DCP417", "dcp-417"):
        response = client.get(f"/changes/{spelling}/vote/")
        assert response.status_code == 302
        assert response["Location"] == "/changes/DCP-417/vote/"
    assert client.get("/changes/DCP-999/vote/").status_code == 404


def test_after_the_declaration_everyone_sees_who_voted_how(declared, client) -> None:
    page, raw_json, csv_body = bodies(client)
    assert "Accepted" in page or "Rejected" in page
    assert "Lone Supply Ltd" in page and "Better meets General Objective 2" in page
    data = client.get("/changes/DCP-417/vote.json").json()
    votes = {r["group"]: r["answers"]["variation"] for r in data["declaration"]["votes"]}
    assert votes == {
        "Lone Supply Ltd": "Reject",
        "Big Energy Group": "Accept",
        "Distinct Power Ltd": "Accept",
        "DNO 1 plc": "Accept",
    }
    supplier = next(
        c for c in data["declaration"]["questions"][0]["categories"] if c["category"] == "SUPPLIER"
    )
    # 3 Supplier Groups voted (equal weights, 12.9): 2 accept = 66.666667% of Groups and weight.
    assert supplier["options"]["proposal"]["accept_share"] == "66.666667"
    assert "Lone Supply Ltd,variation,Reject" in csv_body


def test_n_never_appears_in_public_bodies(declared, client) -> None:
    for body in bodies(client):
        assert str(SECRET_N) not in body
        assert "7,654,321" not in body and "7654321" not in body
        assert "Weighted Votes (confidential" not in body
    public_party = Client()
    public_party.force_login(staff(Role.PUBLIC))
    for body in bodies(public_party):
        assert str(SECRET_N) not in body


def test_secretariat_panel_and_authority_see_n_and_the_workings(world, declared) -> None:
    for role in (Role.SECRETARIAT, Role.PANEL_MEMBER, Role.AUTHORITY):
        client = login_verified(Client(), staff(role))
        page = client.get("/changes/DCP-417/vote/").content.decode()
        assert str(SECRET_N) in page and "Workings" in page


def test_party_representative_sees_n_for_its_own_groups_only(world, declared) -> None:
    client = login_verified(Client(), world.lone_voter)
    data = client.get("/changes/DCP-417/vote.json").json()
    assert data["confidential"]["scope"] == "own"
    assert {g["group"] for g in data["confidential"]["groups"]} == {"Lone Supply Ltd"}
    assert str(SECRET_N) not in client.get("/changes/DCP-417/vote/").content.decode()


def test_a_void_vote_is_marked_void_with_its_reason_and_kept(world, declared, client) -> None:
    ballot_void(ballot=declared, by=world.secretariat, reason="Authority direction of 1 May 2027")
    page = client.get("/changes/DCP-417/vote/").content.decode()
    assert "This vote is void" in page and "Authority direction of 1 May 2027" in page
    assert Ballot.objects.filter(pk=declared.pk).exists()
    assert declared.declaration.pk
