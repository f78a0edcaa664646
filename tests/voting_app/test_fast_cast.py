"""The one path of a cast: few statements and the ballot's lock taken last, the window re-checked
under the lock, a token cast and a web cast answered alike, and receipts owed in the same
transaction."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from panel.errors import Conflict
from panel.models import AuditRecord
from voting.audit import VotingAction
from voting.models import Ballot, Vote, VoteLogEntry
from voting.receipts import verify_chain
from voting.services import ballot_close, ballot_void, vote_cast
from voting.services.casting import append_cast, check_cast, facts_for_api, facts_of
from voting.services.receipt_mail import receipts_owed, receipts_send_pending

from .conftest import CLOSES, OPENS, entry, open_vote
from .factories import login_verified, voter_for

DURING = OPENS + dt.timedelta(days=1)


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def post(ballot_id, body, token=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return Client().post(
        f"/api/v1/ballots/{ballot_id}/votes/",
        raw if raw is not None else json.dumps(body),
        content_type="application/json",
        **headers,
    )


def statements(captured) -> list[str]:
    """The statements run, without the savepoints that the test's own transaction adds."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


def _ballot_lock_is_last(sql: list[str]) -> None:
    """The Group's row is locked first; the ballot's row after the Group's writes, then only the
    link of the chain, the new votes, the head and the audit record (four statements)."""
    locks = [i for i, s in enumerate(sql) if s.endswith("FOR NO KEY UPDATE")]
    assert len(locks) == 2, sql
    group_lock, ballot_lock = locks
    assert (
        'FROM "voting_rollentry"' in sql[group_lock] and 'FROM "voting_ballot"' in sql[ballot_lock]
    )
    assert ballot_lock == group_lock + 2, sql
    assert sql[ballot_lock - 1].startswith('UPDATE "voting_vote"'), sql
    assert len(sql) - ballot_lock - 1 == 4, sql[ballot_lock:]


@time_machine.travel(DURING, tick=False)
def test_a_token_cast_is_nine_statements_with_the_ballot_locked_last(world, ballot) -> None:
    token = token_of(world.lone_voter)
    question = ballot.questions.get(kind="variation").pk
    group = entry(ballot, world.lone).pk
    for choice in ("accept", "reject"):  # a first cast, then a change of vote
        with CaptureQueriesContext(connection) as captured:
            response = post(
                ballot.pk, {"group": group, "question": question, "choice": choice}, token
            )
        assert response.status_code == 201, response.content
        sql = statements(captured)
        # the token, the cast's facts, then the seven statements of the append
        assert len(sql) == 9, sql
        _ballot_lock_is_last(sql)
    assert Vote.objects.filter(superseded_at=None).get().choice == "reject"
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == 2
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok


@time_machine.travel(DURING, tick=False)
def test_a_service_cast_is_nine_queries(world, ballot) -> None:
    roll_entry = entry(ballot, world.lone)
    questions = {q.pk: "accept" for q in ballot.questions.all()}
    with CaptureQueriesContext(connection) as captured:  # questions, voter check, the append
        vote_cast(
            ballot=ballot,
            roll_entry=roll_entry,
            by=world.lone_voter,
            answers=questions,
            second_factor=True,
        )
    sql = statements(captured)
    assert len(sql) == 9, sql
    _ballot_lock_is_last(sql)


REQUESTS = [
    # (name, who, body or raw text); "lone" is a confirmed voter with a device for Lone Supply
    ("cast", "lone", {"group": "LONE", "question": "variation", "choice": "reject"}),
    ("change", "lone", {"group": "LONE", "question": "variation", "choice": "accept"}),
    ("by key", "lone", {"group": "LONE-KEY", "question": "variation", "choice": "reject"}),
    ("other Group", "lone", {"group": "BIG", "question": "variation", "choice": "accept"}),
    ("bad choice", "lone", {"group": "LONE", "question": "variation", "choice": "maybe"}),
    ("unknown question", "lone", {"group": "LONE", "question": 999999, "choice": "accept"}),
    ("unknown Group", "lone", {"group": "999999", "question": "variation", "choice": "accept"}),
    ("missing question", "lone", {"group": "LONE", "choice": "accept"}),
    ("not JSON", "lone", "{group: 1"),
    ("bad token", "nobody", {"group": "LONE", "question": "variation", "choice": "accept"}),
    ("no device", "nodevice", {"group": "LONE", "question": "variation", "choice": "accept"}),
    (
        "NUL in reason",
        "lone",
        {"group": "LONE", "question": "variation", "choice": "accept", "reason": "a\x00b"},
    ),
    ("upper case", "lone", {"group": "LONE", "question": "variation", "choice": " ACCEPT "}),
    ("Reject", "lone", {"group": "LONE", "question": "variation", "choice": "Reject"}),
    ("label", "lone", {"group": "LONE", "question": "variation", "choice": "proposal"}),
    ("label's case", "lone", {"group": "LONE", "question": "variation", "choice": "Proposal"}),
    ("huge question", "lone", {"group": "LONE", "question": 10**20, "choice": "accept"}),
    (
        "reason to escape",
        "lone",
        {
            "group": "LONE",
            "question": "variation",
            "choice": "accept",
            "reason": ' Objective "2" \\ é ✓ 🙂\n\ttab \x01\x1f\u2028 ',
        },
    ),
    (
        "long reason",
        "lone",
        {"group": "LONE", "question": "variation", "choice": "accept", "reason": "x" * 5001},
    ),
]


def answers_of(world, ballot) -> list[tuple[str, int, dict]]:
    tokens = {
        "lone": token_of(world.lone_voter),
        "nobody": "0" * 40,
        "nodevice": token_of(voter_for(world.lone, username="nodevice")),
    }
    lone, big = entry(ballot, world.lone), entry(ballot, world.big1)
    subst = {"LONE": str(lone.pk), "LONE-KEY": lone.group_key, "BIG": str(big.pk)}
    variation = ballot.questions.get(kind="variation").pk
    out = []
    for name, who, body in REQUESTS:
        if isinstance(body, dict):
            body = {
                k: subst.get(v, v) if k == "group" else (variation if v == "variation" else v)
                for k, v in body.items()
            }
            response = post(ballot.pk, body, tokens[who])
        else:
            response = post(ballot.pk, None, tokens[who], raw=body)
        payload = response.json()
        payload.pop("receipt", None)
        out.append((name, response.status_code, payload))
    missing = {"group": "1", "question": variation, "choice": "accept"}
    response = post(987654, missing, tokens["lone"])
    out.append(("no ballot", response.status_code, response.json()))
    return out


@time_machine.travel(DURING, tick=False)
def test_the_api_answers_every_request_through_the_one_path(world) -> None:
    ballot = open_vote(world)
    answers = answers_of(world, ballot)
    statuses = {name: status for name, status, _ in answers}
    assert statuses == {
        "cast": 201,
        "change": 201,
        "by key": 201,
        "other Group": 403,
        "bad choice": 400,
        "unknown question": 400,
        "unknown Group": 400,
        "missing question": 400,
        "not JSON": 400,
        "bad token": 403,  # DRF: the first authenticator (session) sends no challenge
        "no device": 403,
        "NUL in reason": 400,
        "upper case": 201,
        "Reject": 201,
        "label": 201,
        "label's case": 400,
        "huge question": 400,
        "reason to escape": 201,
        "long reason": 400,
        "no ballot": 404,
    }
    bodies = {name: body for name, _, body in answers}
    assert bodies["other Group"]["rule"] == "12.4.5" and bodies["no device"]["rule"] == "12.4.5"
    assert bodies["unknown question"]["detail"] == "That question is not on this ballot."
    assert bodies["huge question"]["field"] == "question"
    # Every link verifies, and the log holds exactly the accepted casts.
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok
    entries = VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence")
    log = [(e.payload["answers"][0]["choice"], e.payload["reason"]) for e in entries]
    assert len(log) == list(statuses.values()).count(201)
    escaped = next(body for name, _, body in REQUESTS if name == "reason to escape")
    assert log[-1] == ("proposal", escaped["reason"].strip())


# -- a token cast and a web cast: the same results and the same refusals ----------------------

CHANNELS = ["token", "web"]


def cast_by(channel: str, world, ballot: Ballot, choice: str, reason: str = "") -> tuple:
    """One cast for Lone Supply by its voter through `channel`: ("recorded"|"changed", receipt)
    or ("refused", message). The ballot has one question, as a token cast answers one."""
    question = ballot.questions.get().pk
    group = entry(ballot, world.lone).pk
    if channel == "token":
        response = post(
            ballot.pk,
            {"group": group, "question": question, "choice": choice, "reason": reason},
            token_of(world.lone_voter),
        )
        body = response.json()
        if response.status_code == 201:
            return ("changed" if body["changed"] else "recorded", body["receipt"])
        return ("refused", body["detail"])
    client = login_verified(Client(), world.lone_voter)
    response = client.post(f"/my/votes/{ballot.pk}/", {f"q{question}": choice, "reason": reason})
    if response.status_code == 302:
        receipt = response["Location"].split("receipt=")[1]
        flash = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        return ("changed" if "was changed" in flash[-1] else "recorded", receipt)
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    [message] = [e for errors in form.errors.values() for e in errors]
    return ("refused", message)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_token_cast_and_a_web_cast_give_the_same_results_and_refusals(world, channel) -> None:
    ballot = open_vote(world, date_only=True)  # one question, as a token cast answers
    lone = entry(ballot, world.lone)
    steps = []
    with time_machine.travel(OPENS - dt.timedelta(hours=1), tick=False):
        steps.append(cast_by(channel, world, ballot, "proposal"))
    with time_machine.travel(DURING, tick=False):
        steps.append(cast_by(channel, world, ballot, "proposal", reason=" G1 "))
        steps.append(cast_by(channel, world, ballot, "reject"))
    with time_machine.travel(DURING + dt.timedelta(hours=1), tick=False):
        ballot_void(ballot=ballot, by=world.secretariat, reason="Wrong roll date")
        steps.append(cast_by(channel, world, ballot, "proposal"))
    assert [kind for kind, _ in steps] == ["refused", "recorded", "changed", "refused"]
    assert (
        steps[0][1]
        == "Voting on DCP 417 opens at 09:00 on 1 March 2027; your vote was not recorded."
    )
    assert steps[3][1] == "The vote on DCP 417 is void; your vote was not recorded."
    log = list(VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence"))
    assert [e.entry_hash for e in log] == [steps[1][1], steps[2][1]]
    assert [(e.payload["answers"], e.payload["reason"]) for e in log] == [
        ([{"question": ballot.questions.get().pk, "choice": "proposal"}], "G1"),
        ([{"question": ballot.questions.get().pk, "choice": "reject"}], ""),
    ]
    assert [
        (v.choice, v.reason, v.superseded_at is None)
        for v in Vote.objects.filter(roll_entry=lone).order_by("pk")
    ] == [("proposal", "G1", False), ("reject", "", True)]
    records = AuditRecord.objects.filter(
        action__in=[VotingAction.VOTE_CAST, VotingAction.VOTE_CHANGE]
    ).order_by("pk")
    assert [(r.action, r.target_id, r.data["questions"]) for r in records] == [
        (VotingAction.VOTE_CAST, str(lone.pk), [ballot.questions.get().pk]),
        (VotingAction.VOTE_CHANGE, str(lone.pk), [ballot.questions.get().pk]),
    ]
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_closed_vote_refuses_a_cast_alike_on_both_channels(world, channel) -> None:
    ballot = open_vote(world, date_only=True)
    with time_machine.travel(CLOSES + dt.timedelta(minutes=5), tick=False):  # never before it
        ballot_close(ballot=ballot, by=world.secretariat, reason="The schedule was late")
        refused = cast_by(channel, world, ballot, "proposal")
    assert refused == (
        "refused",
        "Voting on DCP 417 closed at 17:00 on 22 March 2027; your vote was not recorded.",
    )
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()


# -- the window under the lock --------------------------------------------------------------


@time_machine.travel(DURING, tick=False)
def test_a_close_between_the_check_and_the_lock_refuses_the_cast(world, ballot) -> None:
    """The rules are checked before the lock; the window is checked again on the locked row."""
    roll_entry = entry(ballot, world.lone)
    question = ballot.questions.get(kind="variation").pk
    facts = facts_of(
        ballot=ballot, roll_entry=roll_entry, user=world.lone_voter, second_factor=True
    )
    now = timezone.now()
    cleaned, reason = check_cast(facts, {question: "accept"}, "", now)
    with time_machine.travel(CLOSES, tick=False):  # the closing time comes meanwhile
        ballot_close(ballot=ballot, by=world.secretariat, reason="The schedule was late")
    with pytest.raises(Conflict) as refused:
        append_cast(facts, cleaned, reason, now)
    assert "closed at" in refused.value.message and refused.value.field == "ballot"
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()
    assert Ballot.objects.get(pk=ballot.pk).chain_length == 0


@pytest.mark.django_db(transaction=True)
def test_a_cast_waiting_for_the_ballot_while_it_closes_is_refused_and_leaves_nothing(world) -> None:
    """The Secretariat holds the ballot's row and closes it while a token cast waits for that row:
    the cast, its Group's writes already made, finds the window shut under the lock and undoes."""
    from django.db import transaction

    ballot = open_vote(world)
    token = token_of(world.lone_voter)
    body = {
        "group": entry(ballot, world.lone).pk,
        "question": ballot.questions.get(kind="variation").pk,
        "choice": "accept",
    }
    answers = []

    def cast() -> None:
        try:
            answers.append(post(ballot.pk, body, token))
        finally:
            connection.close()

    with time_machine.travel(DURING):
        with transaction.atomic():
            Ballot.objects.select_for_update().get(pk=ballot.pk)
            waiting = threading.Thread(target=cast)
            waiting.start()
            for _ in range(500):  # until the cast waits for the ballot's row
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.01)
            else:
                pytest.fail("the cast never waited for the ballot's lock")
            with time_machine.travel(CLOSES, tick=False):  # the closing time comes meanwhile
                ballot_close(ballot=ballot, by=world.secretariat, reason="The schedule was late")
        waiting.join(30)
    [answer] = answers
    assert answer.status_code == 409, answer.content
    assert "closed at" in answer.json()["detail"] and answer.json()["field"] == "ballot"
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert not VoteLogEntry.objects.filter(ballot=ballot).exists()
    assert not AuditRecord.objects.filter(
        action__in=[VotingAction.VOTE_CAST, VotingAction.VOTE_CHANGE]
    ).exists()


@time_machine.travel(DURING, tick=False)
def test_the_facts_of_an_api_cast_are_one_query_and_a_refusal_writes_nothing(world, ballot) -> None:
    lone, big = entry(ballot, world.lone), entry(ballot, world.big1)
    question = ballot.questions.get(kind="variation")

    def facts(group: str, token_client: bool = True):
        return facts_for_api(
            ballot_id=ballot.pk,
            group=group,
            user=world.lone_voter,
            question_id=question.pk,
            token_client=token_client,
        )

    with CaptureQueriesContext(connection) as captured:
        found = facts(str(lone.pk))
    assert len(statements(captured)) == 1, statements(captured)
    assert found is not None
    lone_facts, has_device = found
    assert lone_facts.authorised and has_device and lone_facts.group_name == lone.group_name
    assert lone_facts.questions == {question.pk: ["proposal"]}
    assert lone_facts.window.status == "open"
    by_key = facts(big.group_key)  # by Group key: a Group the voter does not vote for
    assert by_key is not None and not by_key[0].authorised
    assert facts("999999") is None  # not on the roll
    assert facts(str(lone.pk), token_client=False)[1] is False  # a session: its own second factor
    token = token_of(world.lone_voter)
    refused = post(ballot.pk, {"group": lone.pk, "question": question.pk, "choice": "maybe"}, token)
    assert refused.status_code == 400
    world.lone_voter.is_active = False
    world.lone_voter.save()
    inactive = post(
        ballot.pk, {"group": lone.pk, "question": question.pk, "choice": "accept"}, token
    )
    assert inactive.status_code == 403
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()
    assert not AuditRecord.objects.filter(
        action__in=[VotingAction.VOTE_CAST, VotingAction.VOTE_CHANGE]
    ).exists()


# -- receipts ---------------------------------------------------------------------------------


@time_machine.travel(DURING, tick=False)
def test_with_a_broker_receipts_are_owed_then_sent_in_a_batch_once(world, ballot, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: the beat job sends them
    question = ballot.questions.get(kind="variation").pk
    results = [
        vote_cast(
            ballot=ballot,
            roll_entry=entry(ballot, party),
            by=user,
            answers={question: "accept"},
            second_factor=True,
        )
        for user, party in [(world.lone_voter, world.lone), (world.big_voter, world.big1)]
    ]
    assert receipts_owed() == 2 and not mail.outbox
    assert receipts_send_pending() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.lone_voter.email, world.big_voter.email]
    )
    bodies = " ".join(m.body for m in mail.outbox)
    assert all(r.receipt in bodies for r in results)
    assert receipts_owed() == 0
    assert receipts_send_pending() == 0 and len(mail.outbox) == 2


@time_machine.travel(DURING, tick=False)
def test_a_failed_send_keeps_the_receipts_owed(world, ballot, settings, monkeypatch) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    question = ballot.questions.get(kind="variation").pk
    vote_cast(
        ballot=ballot,
        roll_entry=entry(ballot, world.lone),
        by=world.lone_voter,
        answers={question: "accept"},
        second_factor=True,
    )
    from django.core.mail.backends.locmem import EmailBackend

    def broken(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(OSError):
        receipts_send_pending()
    assert receipts_owed() == 1
    monkeypatch.undo()
    assert receipts_send_pending() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_receipts_at_once_send_each_once(world, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ballot = open_vote(world)
    question = ballot.questions.get(kind="variation").pk
    with time_machine.travel(DURING, tick=False):
        for i in range(20):
            vote_cast(
                ballot=ballot,
                roll_entry=entry(ballot, world.lone),
                by=world.lone_voter,
                answers={question: "accept" if i % 2 else "reject"},
                second_factor=True,
            )
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            counts.append(receipts_send_pending(limit=20))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(counts) == 20 and len(mail.outbox) == 20
    assert len({m.body for m in mail.outbox}) == 20  # no receipt sent twice
    assert receipts_owed() == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_api_casts_for_one_group_never_fail_with_a_500(world) -> None:
    ballot = open_vote(world)
    token = token_of(world.lone_voter)
    question = ballot.questions.get(kind="variation").pk
    group = entry(ballot, world.lone).pk
    statuses: list[int] = []
    barrier = threading.Barrier(50)

    def work(i: int) -> None:
        try:
            barrier.wait()
            response = post(
                ballot.pk,
                {"group": group, "question": question, "choice": "accept" if i % 2 else "reject"},
                token,
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    with time_machine.travel(DURING):
        threads = [threading.Thread(target=work, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(statuses) == 50 and set(statuses) <= {201, 409}, statuses
    assert Vote.objects.filter(roll_entry__ballot=ballot, superseded_at=None).count() == 1
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == statuses.count(201)
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok
