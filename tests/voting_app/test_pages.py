"""The Party's /my/votes/ pages and the Secretariat's ballot pages."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from panel.models import Role
from voting.models import Ballot, Vote

from .conftest import CLOSES, OPENS, entry
from .factories import login_verified, staff

DURING = OPENS + dt.timedelta(days=1)


@time_machine.travel(DURING, tick=False)
def test_voter_sees_open_ballot_casts_changes_and_gets_a_receipt(world, ballot) -> None:
    client = login_verified(Client(), world.lone_voter)
    page = client.get("/my/votes/").content.decode()
    assert "DCP 417" in page and "not voted yet" in page and "17:00 on 22 March 2027" in page
    v, d = ballot.questions.order_by("position")
    response = client.post(
        f"/my/votes/{ballot.pk}/", {f"q{v.pk}": "proposal", f"q{d.pk}": "reject", "reason": "G1"}
    )
    assert response.status_code == 302 and "receipt=" in response["Location"]
    after = client.get(response["Location"]).content.decode()
    assert "Receipt code" in after
    client.post(f"/my/votes/{ballot.pk}/", {f"q{v.pk}": "reject", f"q{d.pk}": "reject"})
    assert Vote.objects.filter(superseded_at=None, question=v).get().choice == "reject"
    assert Vote.objects.filter(question=v).count() == 2


@time_machine.travel(DURING, tick=False)
def test_unverified_voter_is_sent_to_the_second_factor(world, ballot) -> None:
    client = Client()
    client.force_login(world.lone_voter)
    response = client.get(f"/my/votes/{ballot.pk}/")
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]


@time_machine.travel(DURING, tick=False)
def test_non_voter_cannot_open_the_form(world, ballot) -> None:
    client = login_verified(Client(), staff(Role.PANEL_MEMBER))
    assert client.get(f"/my/votes/{ballot.pk}/").status_code == 403


@time_machine.travel(DURING, tick=False)
def test_voter_for_two_groups_chooses_and_cannot_smuggle_a_third(world, ballot) -> None:
    from panel.models import PartyRepresentative

    PartyRepresentative.objects.create(
        user=world.lone_voter, party=world.idno, authorised_voter=True, confirmed_at=OPENS
    )
    client = login_verified(Client(), world.lone_voter)
    v, d = ballot.questions.order_by("position")
    big = entry(ballot, world.big1).pk
    response = client.post(
        f"/my/votes/{ballot.pk}/", {"group": big, f"q{v.pk}": "proposal", f"q{d.pk}": "proposal"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    ok = client.post(
        f"/my/votes/{ballot.pk}/",
        {"group": entry(ballot, world.idno).pk, f"q{v.pk}": "proposal", f"q{d.pk}": "proposal"},
    )
    assert ok.status_code == 302
    assert not Vote.objects.filter(roll_entry_id=big).exists()


def test_secretariat_sees_roll_and_turnout_and_closes(world, ballot) -> None:
    with time_machine.travel(DURING, tick=False):
        client = login_verified(Client(), world.secretariat)
        page = client.get(f"/votes/ballots/{ballot.pk}/").content.decode()
        assert "Big Energy Group" in page and "1000000" in page
        listing = client.get("/votes/ballots/").content.decode()
        assert "DCP 417" in listing
    # Closed by hand only once its closing time has passed, with a reason, after the question.
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        client = login_verified(Client(), world.secretariat)
        response = client.post(
            f"/votes/ballots/{ballot.pk}/close/",
            {"confirm": "yes", "reason": "The scheduled close did not run"},
        )
    assert response.status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).status == "declared"


def test_parties_cannot_reach_the_secretariat_pages(world, ballot) -> None:
    client = login_verified(Client(), world.lone_voter)
    assert client.get(f"/votes/ballots/{ballot.pk}/").status_code == 403
    assert client.post(f"/votes/ballots/{ballot.pk}/close/").status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).status == "open"
