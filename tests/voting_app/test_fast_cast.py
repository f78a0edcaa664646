"""The short path of a cast: one round trip for a token cast, the window re-checked under the
lock, the same answers as the framework's view, and receipts owed in the same transaction."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from panel.errors import Conflict
from panel.models import AuditRecord
from voting import token_cast
from voting.models import Ballot, BallotStatus, Vote, VoteLogEntry
from voting.receipts import verify_chain
from voting.services import ballot_close, vote_cast
from voting.services.casting import append_cast, check_cast, facts_of
from voting.services.receipt_mail import receipts_owed, receipts_send_pending
from voting.services.token_casting import cast_with_token

from .conftest import OPENS, entry, open_vote
from .factories import voter_for

DURING = OPENS + dt.timedelta(days=1)


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def post(ballot_id, body, token=None, raw=None):
    import json

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return Client().post(
        f"/api/v1/ballots/{ballot_id}/votes/",
        raw if raw is not None else json.dumps(body),
        content_type="application/json",
        **headers,
    )


def statements(captured) -> list[str]:
    """The statements run, without the savepoint pair that the test's own transaction adds
    around the append (in production the append is one statement in its own transaction)."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


@time_machine.travel(DURING, tick=False)
def test_a_token_cast_is_one_statement_facts_and_locked_append(world, ballot) -> None:
    from django.test.utils import CaptureQueriesContext

    token = token_of(world.lone_voter)
    question = ballot.questions.get(kind="variation").pk
    group = entry(ballot, world.lone).pk
    for choice in ("accept", "reject"):  # a first cast, then a change of vote
        with CaptureQueriesContext(connection) as captured:
            response = post(
                ballot.pk, {"group": group, "question": question, "choice": choice}, token
            )
        assert response.status_code == 201, response.content
        assert len(statements(captured)) == 1, statements(captured)
    assert Vote.objects.filter(superseded_at=None).get().choice == "reject"
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == 2
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok


@time_machine.travel(DURING, tick=False)
def test_a_service_cast_is_three_queries(world, ballot) -> None:
    from django.test.utils import CaptureQueriesContext

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
    assert len(statements(captured)) == 3, statements(captured)


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


def answers_of(world, ballot, fast: bool, monkeypatch) -> list[tuple[str, int, dict]]:
    monkeypatch.setattr(token_cast, "TOKEN_FAST_PATH", fast)
    tokens = {
        "lone": token_of(world.lone_voter),
        "nobody": "0" * 40,
        "nodevice": token_of(voter_for(world.lone, username=f"nodevice{int(fast)}")),
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
    out.append(("no ballot", *_status_json(post(987654, missing, tokens["lone"]))))
    return out


def _status_json(response) -> tuple[int, dict]:
    return response.status_code, response.json()


@time_machine.travel(DURING, tick=False)
def test_the_fast_path_answers_every_request_as_the_framework_view_does(world, monkeypatch) -> None:
    fast_ballot, framework_ballot = open_vote(world), open_vote(world, reference="DCP 418")
    fast = answers_of(world, fast_ballot, True, monkeypatch)
    framework = answers_of(world, framework_ballot, False, monkeypatch)
    for (name, status, body), (_, status2, body2) in zip(fast, framework, strict=True):
        assert (name, status) == (name, status2)
        if status == 201:  # two ballots: their own sequences and question ids
            for key in ("sequence", "question"):
                body.pop(key), body2.pop(key)
        assert body == body2, name
    statuses = {name: status for name, status, _ in fast}
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
    # The canonical JSON made by PostgreSQL is the one Python makes: every link verifies, and the
    # two logs hold the same casts.
    logs = []
    for ballot in (fast_ballot, framework_ballot):
        assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok
        entries = VoteLogEntry.objects.filter(ballot=ballot).order_by("sequence")
        logs.append([(e.payload["answers"][0]["choice"], e.payload["reason"]) for e in entries])
    assert logs[0] == logs[1] and len(logs[0]) == list(statuses.values()).count(201)
    escaped = next(body for name, _, body in REQUESTS if name == "reason to escape")
    assert logs[0][-1] == ("proposal", escaped["reason"].strip())


@pytest.mark.usefixtures("append_path")
@time_machine.travel(DURING, tick=False)
def test_a_close_between_the_check_and_the_lock_refuses_the_cast(world, ballot) -> None:
    """The rules are checked before the lock; the window is checked again on the locked row."""
    roll_entry = entry(ballot, world.lone)
    question = ballot.questions.get(kind="variation").pk
    facts = facts_of(
        ballot=ballot, roll_entry=roll_entry, user=world.lone_voter, second_factor=True
    )
    from django.utils import timezone

    now = timezone.now()
    cleaned, reason = check_cast(facts, {question: "accept"}, "", now)
    ballot_close(ballot=ballot, by=world.secretariat)  # the Secretariat closes it meanwhile
    with pytest.raises(Conflict) as refused:
        append_cast(facts, cleaned, reason, now)
    assert "closed at" in refused.value.message and refused.value.field == "ballot"
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()
    assert Ballot.objects.get(pk=ballot.pk).chain_length == 0


@pytest.mark.usefixtures("token_path")
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
            ballot_close(ballot=ballot, by=world.secretariat)
        waiting.join(30)
    [answer] = answers
    assert answer.status_code == 409, answer.content
    assert "closed at" in answer.json()["detail"] and answer.json()["field"] == "ballot"
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert not VoteLogEntry.objects.filter(ballot=ballot).exists()
    assert not AuditRecord.objects.filter(action__startswith="vote.").exists()


@time_machine.travel(DURING, tick=False)
def test_a_token_cast_that_breaks_a_rule_writes_nothing_and_returns_the_facts(
    world, ballot
) -> None:
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    token = token_of(world.lone_voter)
    lone, big = entry(ballot, world.lone), entry(ballot, world.big1)
    question = ballot.questions.get(kind="variation")

    def cast(group: str, choice: str = "accept", token: str = token):
        return cast_with_token(
            ballot_id=ballot.pk,
            group=group,
            token=token,
            question=question.pk,
            choice=choice,
            reason="",
            now=timezone.now(),
        )

    with CaptureQueriesContext(connection) as captured:
        refused = cast(str(lone.pk), choice="maybe")
    assert len(statements(captured)) == 1, statements(captured)
    assert refused.result is None and refused.facts is not None
    facts = refused.facts
    assert facts.authorised and facts.second_factor and facts.group_name == lone.group_name
    assert facts.questions == {question.pk: ["proposal"]}
    assert facts.window.status == BallotStatus.OPEN
    other = cast(big.group_key)  # by Group key: a Group the voter does not vote for
    assert other.result is None and other.facts is not None and not other.facts.authorised
    assert cast(str(lone.pk), token="x" * 40).facts is None  # no such token
    world.lone_voter.is_active = False
    world.lone_voter.save()
    assert cast(str(lone.pk)).facts is None
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()
    world.lone_voter.is_active = True
    world.lone_voter.save()
    cast_ok = cast(lone.group_key, choice="Accept")
    assert cast_ok.result is not None and cast_ok.result.answers == [(question.pk, "proposal")]
    assert cast_ok.group_name == lone.group_name and cast_ok.facts is None


@time_machine.travel(DURING, tick=False)
def test_when_the_service_accepts_what_the_database_did_not_the_cast_is_appended(
    world, ballot, monkeypatch
) -> None:
    """The stored function appends only what plainly meets every rule; anything else comes back
    to the service, which words the refusal, or appends the cast if it finds nothing to refuse."""
    from voting.services.token_casting import TokenCastOutcome

    lone = entry(ballot, world.lone)
    question = ballot.questions.get(kind="variation").pk
    facts = facts_of(ballot=ballot, roll_entry=lone, user=world.lone_voter, second_factor=True)
    monkeypatch.setattr(
        token_cast, "cast_with_token", lambda **kwargs: TokenCastOutcome(None, "", facts)
    )
    body = {"group": lone.pk, "question": question, "choice": "accept"}
    response = post(ballot.pk, body, token_of(world.lone_voter))
    assert response.status_code == 201, response.content
    assert response.json()["choice"] == "proposal"
    assert Vote.objects.get(superseded_at=None).choice == "proposal"
    assert verify_chain(Ballot.objects.get(pk=ballot.pk)).ok


@pytest.mark.usefixtures("append_path")
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


@pytest.mark.usefixtures("append_path")
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


@pytest.mark.django_db
def test_array_literals_round_trip_through_postgresql() -> None:
    from voting.cast_facts import pg_array

    labels = ["proposal", "A", 'say "no"', "back\\slash", "", "{brace},comma", "ünï"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[], %s::bigint[]", [pg_array(labels), pg_array(["1", "22"])])
        assert cursor.fetchone() == (labels, [1, 22])
