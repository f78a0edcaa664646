"""The admin is a window on ballots and elections: no add, edit or delete of any voting record;
its actions call the services, so they are permission-checked and write events and audit rows."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from panel.models import AuditRecord, Role
from tests.factories import login_verified
from voting.audit import VotingAction
from voting.models import Ballot, Declaration, Vote
from voting.services import ballot_close, ballots_close_due, vote_cast

from .conftest import CLOSES, OPENS, entry
from .factories import staff

DURING = OPENS + dt.timedelta(days=1)


def vote_for_lone(world, ballot, *, when: dt.datetime) -> None:
    """Lone Supply's voter accepts every question of the ballot at `when`."""
    with time_machine.travel(when, tick=False):
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, world.lone),
            by=world.lone_voter,
            answers={q.pk: "accept" for q in ballot.questions.all()},
            second_factor=True,
        )


def _voting_models():
    return [m for m in admin.site._registry if m._meta.app_label == "voting"]


def test_every_voting_record_is_read_only_in_the_admin(rf, world) -> None:
    request = rf.get("/admin/")
    request.user = world.secretariat
    models = {m.__name__ for m in _voting_models()}
    assert models == {
        "Ballot",
        "RollEntry",
        "Vote",
        "VoteLogEntry",
        "Declaration",
        "Reminder",
        "Election",
        "Nomination",
        "ElectionRound",
        "ElectionResult",
    }
    for model in _voting_models():
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert "delete_selected" not in model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request), (model, inline)
            assert not inline.has_delete_permission(request), (model, inline)


def test_a_ballot_page_offers_no_save_or_delete_and_refuses_a_posted_edit(world, ballot) -> None:
    client = login_verified(Client(), world.secretariat)
    url = f"/admin/voting/ballot/{ballot.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and "deletelink" not in html
    assert client.post(url, {"title": "Changed"}).status_code == 403
    assert client.post(f"/admin/voting/ballot/{ballot.pk}/delete/").status_code == 403
    assert client.get("/admin/voting/ballot/add/").status_code == 403
    ballot.refresh_from_db()
    assert ballot.title != "Changed" and Ballot.objects.filter(pk=ballot.pk).exists()


def _act(client: Client, action: str, ballot: Ballot):
    return client.post(
        "/admin/voting/ballot/",
        {"action": action, ACTION_CHECKBOX_NAME: [ballot.pk]},
        follow=True,
    )


def test_close_now_from_the_admin_asks_on_the_ballot_page_then_closes_declares_and_audits(
    world, ballot
) -> None:
    """The admin action takes the Secretariat to the confirmation page (reason, 'Are you sure'),
    whose POST calls the service: closed, declared and audited once; again is refused."""
    vote_for_lone(world, ballot, when=DURING)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        client = login_verified(Client(), world.secretariat)
        response = _act(client, "close_now", ballot)
        assert response.redirect_chain[-1][0] == f"/votes/ballots/{ballot.pk}/close/"
        assert "Close the vote on DCP 417?" in response.content.decode()
        assert Ballot.objects.get(pk=ballot.pk).status == "open"
        client.post(
            f"/votes/ballots/{ballot.pk}/close/",
            {"confirm": "yes", "reason": "The scheduled close did not run"},
        )
    ballot.refresh_from_db()
    assert ballot.status == "declared" and ballot.closed_by == world.secretariat
    assert AuditRecord.objects.filter(
        action=VotingAction.BALLOT_CLOSE, target_id=str(ballot.pk), actor=world.secretariat
    ).exists()
    assert AuditRecord.objects.filter(
        action=VotingAction.BALLOT_DECLARE, target_id=str(ballot.pk)
    ).exists()
    assert Declaration.objects.filter(ballot=ballot).exists()
    # Again: refused by the service, with its reason; nothing more is written.
    before = AuditRecord.objects.count()
    with time_machine.travel(CLOSES + dt.timedelta(minutes=6), tick=False):
        again = client.post(
            f"/votes/ballots/{ballot.pk}/close/", {"confirm": "yes", "reason": "Again"}
        )
    assert "already closed" in again.content.decode()
    assert AuditRecord.objects.count() == before


def test_an_admin_action_by_staff_who_are_not_the_secretariat_is_not_offered(world, ballot) -> None:
    panel_staff = staff(Role.PANEL_MEMBER, is_staff=True)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        client = login_verified(Client(), panel_staff)
        assert client.get("/admin/voting/ballot/").status_code == 403
        _act(client, "close_now", ballot)
    ballot.refresh_from_db()
    assert ballot.status == "open"
    assert not AuditRecord.objects.filter(action=VotingAction.BALLOT_CLOSE).exists()


def test_send_notice_again_from_the_admin_is_audited(world, ballot) -> None:
    vote_for_lone(world, ballot, when=DURING)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        client = login_verified(Client(), world.secretariat)
        ballot_close(ballot=ballot, by=world.secretariat, reason="The schedule was late")
        before = AuditRecord.objects.filter(action=VotingAction.DECLARATION_NOTICE).count()
        response = _act(client, "send_notice", ballot)
    assert "1 notice(s) sent." in response.content.decode()
    records = AuditRecord.objects.filter(action=VotingAction.DECLARATION_NOTICE)
    assert records.count() == before + 1
    assert records.order_by("-pk").first().actor == world.secretariat


def test_a_vote_and_its_log_entry_are_sealed_in_the_admin_until_the_declaration(
    world, ballot
) -> None:
    """The finding: while open, the Secretariat read every Group's choices and reasons on the
    vote log entry's admin page. Now the choice, the reason and the payload show only once the
    ballot is declared (13.4.3); the list and the search never reach them before."""
    with time_machine.travel(DURING, tick=False):
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, world.lone),
            by=world.lone_voter,
            answers={q.pk: "reject" for q in ballot.questions.all()},
            reason="Lone's secret reasoning 4711",
            second_factor=True,
        )
    vote = Vote.objects.filter(ballot=ballot).first()
    pages = [
        "/admin/voting/vote/",
        f"/admin/voting/vote/{vote.pk}/change/",
        "/admin/voting/votelogentry/",
        f"/admin/voting/votelogentry/{vote.log_entry_id}/change/",
    ]
    with time_machine.travel(DURING + dt.timedelta(hours=1), tick=False):
        client = login_verified(Client(), world.secretariat)
        for url in pages:
            html = client.get(url).content.decode()
            assert "4711" not in html and "Reject" not in html and '"reject"' not in html, url
        assert "sealed until the declaration" in client.get(pages[1]).content.decode()
        assert "sealed until the declaration" in client.get(pages[3]).content.decode()
        assert client.get("/admin/voting/vote/?reason__contains=4711").status_code == 400
        found = client.get("/admin/voting/votelogentry/", {"q": "4711"})
        assert found.context["cl"].result_count == 0
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):
        ballots_close_due()
        assert Ballot.objects.get(pk=ballot.pk).status == "declared"
        client = login_verified(Client(), world.secretariat)
        vote_page = client.get(pages[1]).content.decode()
        assert "Reject" in vote_page and "4711" in vote_page
        assert "4711" in client.get(pages[3]).content.decode()
