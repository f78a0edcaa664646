"""The API: cast by token with a second factor; per-object checks; errors as JSON (400/403/409)."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from panel.models import Role
from voting.models import Vote
from voting.services import ballots_close_due

from .conftest import CLOSES, OPENS, entry
from .factories import login_verified, staff, voter_for, with_device

DURING = OPENS + dt.timedelta(days=1)


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def post_vote(client, ballot, group, choice="accept", question=None):
    question = question or ballot.questions.get(kind="variation").pk
    return client.post(
        f"/api/v1/ballots/{ballot.pk}/votes/",
        {"group": str(group), "question": question, "choice": choice},
        format="json",
    )


@time_machine.travel(DURING, tick=False)
def test_token_voter_with_a_confirmed_device_casts_and_gets_a_receipt(world, ballot) -> None:
    client = token_client(world.lone_voter)
    response = post_vote(client, ballot, entry(ballot, world.lone).pk, "reject")
    assert response.status_code == 201, response.content
    assert len(response.json()["receipt"]) == 64 and response.json()["choice"] == "reject"
    by_key = post_vote(client, ballot, entry(ballot, world.lone).group_key, "accept")
    assert by_key.status_code == 201 and by_key.json()["changed"] is True
    assert Vote.objects.filter(superseded_at=None).get().choice == "proposal"


@time_machine.travel(DURING, tick=False)
def test_voter_of_group_a_cannot_vote_for_group_b_by_id(world, ballot) -> None:
    response = post_vote(token_client(world.lone_voter), ballot, entry(ballot, world.big1).pk)
    assert response.status_code == 403
    assert response.json()["field"] == "group"
    assert not Vote.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_token_without_a_confirmed_device_is_refused(world, ballot) -> None:
    voter = voter_for(world.lone)  # no TOTP device
    response = post_vote(token_client(voter), ballot, entry(ballot, world.lone).pk)
    assert response.status_code == 403 and "second factor" in response.json()["detail"]


@time_machine.travel(DURING, tick=False)
def test_unverified_session_is_refused_and_verified_session_may_vote(world, ballot) -> None:
    plain = APIClient()
    plain.force_login(world.lone_voter)
    assert post_vote(plain, ballot, entry(ballot, world.lone).pk).status_code == 403
    verified = login_verified(Client(), world.lone_voter)
    response = verified.post(
        f"/api/v1/ballots/{ballot.pk}/votes/",
        {
            "group": entry(ballot, world.lone).pk,
            "question": ballot.questions.first().pk,
            "choice": "accept",
        },
        content_type="application/json",
    )
    assert response.status_code == 201


@time_machine.travel(DURING, tick=False)
def test_bad_input_is_400_naming_the_field(world, ballot) -> None:
    client = token_client(world.lone_voter)
    group = entry(ballot, world.lone).pk
    missing = client.post(f"/api/v1/ballots/{ballot.pk}/votes/", {"group": group}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "question"
    bad_choice = post_vote(client, ballot, group, "maybe")
    assert bad_choice.status_code == 400 and bad_choice.json()["field"] == "choice"
    unknown = post_vote(client, ballot, 999999)
    assert unknown.status_code == 400 and unknown.json()["field"] == "group"
    wrong_q = post_vote(client, ballot, group, question=999999)
    assert wrong_q.status_code == 400 and wrong_q.json()["field"] == "question"
    assert post_vote(APIClient(), ballot, group).status_code == 403


def test_after_close_the_api_answers_409_with_the_message(world, ballot) -> None:
    client = token_client(world.lone_voter)
    with time_machine.travel(CLOSES + dt.timedelta(seconds=5), tick=False):
        response = post_vote(client, ballot, entry(ballot, world.lone).pk)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Voting on DCP 417 closed at 17:00 on 22 March 2027; your vote was not recorded."
    )


@time_machine.travel(DURING, tick=False)
def test_ballot_list_shows_turnout_to_secretariat_and_panel_only(world, ballot) -> None:
    post_vote(token_client(world.lone_voter), ballot, entry(ballot, world.lone).pk)
    public = APIClient().get("/api/v1/ballots/").json()["results"][0]
    assert public["turnout"] is None and public["questions"][0]["kind"] == "variation"
    panel = APIClient()
    panel.force_login(staff(Role.PANEL_MEMBER))
    detail = panel.get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert {
        "category": "SUPPLIER",
        "label": "Supplier Parties",
        "eligible_groups": 2,
        "groups_voted": 1,
    } in detail["turnout"]
    mine = token_client(world.lone_voter).get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert [g["group_name"] for g in mine["my_groups"]] == ["Lone Supply Ltd"]


def test_votes_are_refused_to_everyone_until_the_declaration_then_published(world, ballot) -> None:
    """13.4.3: how each Group voted is published with the declaration; before it nobody, the
    Secretariat or the Group's own voter included, reads a choice from the API (409, rule 13.4).
    The caller's own cast is answered in the 201 of its POST."""
    with time_machine.travel(DURING, tick=False):
        cast = post_vote(token_client(world.lone_voter), ballot, entry(ballot, world.lone).pk)
        assert cast.status_code == 201 and cast.json()["choice"] == "proposal"
        post_vote(token_client(world.big_voter), ballot, entry(ballot, world.big1).pk, "reject")
        secretariat = APIClient()
        secretariat.force_login(world.secretariat)
        for client in (APIClient(), token_client(world.lone_voter), secretariat):
            for url in (
                f"/api/v1/ballots/{ballot.pk}/votes/",
                f"/api/v1/ballots/{ballot.pk}/votes.json",
            ):
                refused = client.get(url)
                assert refused.status_code == 409, url
                assert refused.json()["rule"] == "13.4" and refused.json()["field"] == "ballot"
                assert "published with the declaration" in refused.json()["detail"]
                assert "reject" not in refused.content.decode()
        detail = secretariat.get(f"/api/v1/ballots/{ballot.pk}/").json()
        assert "votes" not in detail and "choice" not in json.dumps(detail)
        assert APIClient().get("/api/v1/declarations/").json()["results"] == []
    with time_machine.travel(CLOSES + dt.timedelta(minutes=1), tick=False):
        ballots_close_due()
    after = APIClient().get(f"/api/v1/ballots/{ballot.pk}/votes/").json()
    assert {(v["group"], v["choice"]) for v in after} == {
        ("Lone Supply Ltd", "proposal"),
        ("Big Energy Group", "reject"),
    }
    declarations = APIClient().get("/api/v1/declarations/").json()["results"]
    assert declarations[0]["reference"] == "DCP 417"
    assert "n" not in declarations[0]["declaration"]["questions"][0]["categories"][0]
    assert with_device
