"""Casting and changing a Group's vote (12.4-12.7), with its receipt.

A cast is two steps:
1. `check_cast`: every rule (answers, authorised voter, second factor, window) is checked on
   `CastFacts`, read before any lock (by `vote_cast` from the objects it is given; a cast with a
   token reads them in the same statement as its append: `voting.services.token_casting`).
2. `append_cast`: one short transaction supersedes the Group's live votes, inserts the new ones
   and the audit record, locks the ballot row (the head of the hash-chained vote log), re-checks
   the window on the locked row, appends the log entry and moves the head; the receipt e-mail is
   owed from then on (`ReceiptCursor`). On PostgreSQL this is one call of the stored function
   `voting_append_cast` (migration 0003): one round trip, the Group's own writes before the
   ballot's lock (its casts queue on its roll entry row), so the ballot is locked only for the
   link of the chain. Elsewhere (the SQLite demo) the same steps run through the ORM under
   `select_for_update`, the ballot locked first. Both are tested against the same behaviour on
   PostgreSQL.
The ballot's lock serializes the links, so two casts never take the same previous hash; the
partial unique constraint makes a second live vote impossible whatever happens.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import User

from ..cast_facts import CastFacts, Window, category_label, pg_array
from ..models import (
    Ballot,
    BallotStatus,
    Question,
    RollEntry,
    Vote,
    VoteLogEntry,
    normalise_choice,
)
from ..receipts import canonical_json, link_hash
from ..selectors import is_authorised_voter_of

MAX_REASON = 5000

# Run the locked part as the stored function where there is one (PostgreSQL); tests turn this off
# to run the ORM steps on PostgreSQL too.
APPEND_IN_DATABASE = True


@dataclass(frozen=True)
class CastResult:
    receipt: str
    sequence: int
    changed: bool
    answers: list[tuple[int, str]]  # (question id, stored label), by question id
    log_entry_id: int


def when(moment: dt.datetime) -> str:
    """'17:00 on 3 March 2027' in UK time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def closed_message(window: Window) -> str:
    closed = window.closed_at or window.closes_at
    return f"Voting on {window.reference} closed at {when(closed)}; your vote was not recorded."


def ensure_accepting(window: Window, now: dt.datetime) -> None:
    if window.voided_at is not None:
        raise Conflict(
            f"The vote on {window.reference} is void; your vote was not recorded.", field="ballot"
        )
    if window.status != BallotStatus.OPEN or now >= window.closes_at:
        raise Conflict(closed_message(window), field="ballot", rule="12.4.1")
    if now < window.opens_at:
        raise Conflict(
            f"Voting on {window.reference} opens at {when(window.opens_at)}; "
            "your vote was not recorded.",
            field="ballot",
        )


def ensure_can_vote(facts: CastFacts) -> None:
    """Only a confirmed authorised voter of a member Party, verified by a second factor (12.4.5)."""
    if facts.user_id is None:
        raise NotAllowed("Sign in as an authorised voter to vote.", field="group")
    if facts.roll_ballot_id != facts.ballot_id:
        raise NotAllowed("That Group is not on the roll of this vote.", field="group")
    if not facts.authorised:
        raise NotAllowed(
            f"You are not a confirmed authorised voter of any Party in {facts.group_name} "
            f"({category_label(facts.category)}); your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )
    if not facts.second_factor:
        raise NotAllowed(
            "Votes are authenticated with your second factor: enter the code from your "
            "authenticator app first; your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    if "\x00" in reason:
        raise DomainError("The reason contains a NUL character; remove it.", field="reason")
    return reason


def clean_answers(
    questions: Mapping[int, list[str]], answers: Mapping[int, str]
) -> list[tuple[int, str]]:
    """(question id, stored label) for each answer, ordered by question id."""
    if not answers:
        raise DomainError("Answer at least one question.", field="question")
    cleaned: dict[int, str] = {}
    for qid, choice in answers.items():
        options = questions.get(int(qid))
        if options is None:
            raise DomainError("That question is not on this ballot.", field="question")
        label = normalise_choice(options, choice)
        if label is None:
            offered = ", ".join(["reject", *options])
            raise DomainError(
                f"'{choice}' is not a choice on this question; choose one of: {offered}.",
                field="choice",
            )
        cleaned[int(qid)] = label
    return sorted(cleaned.items())


def check_cast(
    facts: CastFacts, answers: Mapping[int, str], reason: str | None, now: dt.datetime
) -> tuple[list[tuple[int, str]], str]:
    """Every rule of a cast, before any lock: the cleaned answers and reason, or a refusal."""
    reason = clean_reason(reason)
    cleaned = clean_answers(facts.questions, answers)
    ensure_can_vote(facts)
    ensure_accepting(facts.window, now)  # refuse early, without a lock; re-checked under it
    return cleaned, reason


def _payload(
    facts: CastFacts, cleaned: list[tuple[int, str]], reason: str, now: dt.datetime
) -> dict[str, object]:
    """The canonical record of a cast that the hash chain covers (the sequence is hashed beside).

    `voting_token_cast` (migration 0005) writes the same JSON text in SQL for a token cast; a
    change here must be made there too (the chain of a token cast would not verify: tested)."""
    return {
        "ballot": facts.ballot_id,
        "reference": facts.window.reference,
        "category": facts.category,
        "group": facts.group_key,
        "roll_entry": facts.roll_entry_id,
        "answers": [{"question": q, "choice": label} for q, label in cleaned],
        "reason": reason,
        "cast_by": facts.user_id,
        "cast_at": now.isoformat(),
    }


SAME_MOMENT = "Another vote for this Group was being recorded at the same moment; reload the page "
SAME_MOMENT += "to see the Group's vote and try again."


def append_cast(
    facts: CastFacts, cleaned: list[tuple[int, str]], reason: str, now: dt.datetime
) -> CastResult:
    """The locked part of a cast (see the module's docstring); refuses if the window has moved."""
    user_id = facts.user_id
    if user_id is None:  # check_cast refuses this first; never append a cast by nobody
        raise NotAllowed("Sign in as an authorised voter to vote.", field="group")
    body = canonical_json(_payload(facts, cleaned, reason, now))
    if APPEND_IN_DATABASE and connection.vendor == "postgresql":
        result = _append_in_database(facts, cleaned, reason, now, body)
    else:
        try:
            result = _append_with_orm(facts, user_id, cleaned, reason, now, body)
        except IntegrityError:
            raise Conflict(SAME_MOMENT, field="group")
    schedule_receipts()
    return result


_APPEND = "SELECT * FROM voting_append_cast(%s, %s, %s, %s, %s::bigint[], %s::text[], %s, %s, %s)"
REFUSED_SQLSTATE = "VT001"  # raised by voting_append_cast when the ballot does not accept the cast


@contextmanager
def cast_statement(ballot_id: int, now: dt.datetime) -> Iterator[CursorWrapper]:
    """A cursor for one call of a cast's stored function, with the database's refusals worded.

    Inside a caller's transaction the call runs in a savepoint, so that a refusal leaves that
    transaction usable; otherwise the one statement is its own transaction: one round trip. A
    clash on the one-live-vote constraint is refused as a cast at the same moment; SQLSTATE VT001
    (the window moved between the check and the lock) is refused as worded from the ballot now.
    """
    scope: AbstractContextManager[object] = (
        transaction.atomic() if connection.in_atomic_block else nullcontext()
    )
    try:
        with scope, connection.cursor() as cursor:
            yield cursor
    except IntegrityError:
        raise Conflict(SAME_MOMENT, field="group") from None
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != REFUSED_SQLSTATE:
            raise
        window = Window.of(Ballot.objects.get(pk=ballot_id))
        ensure_accepting(window, now)
        raise Conflict(closed_message(window), field="ballot", rule="12.4.1") from None


def _append_in_database(
    facts: CastFacts, cleaned: list[tuple[int, str]], reason: str, now: dt.datetime, body: str
) -> CastResult:
    params = [
        facts.ballot_id,
        facts.roll_entry_id,
        facts.user_id,
        now,
        pg_array(str(q) for q, _ in cleaned),
        pg_array(label for _, label in cleaned),
        reason,
        body,
        facts.roll_entry_label[:300],
    ]
    with cast_statement(facts.ballot_id, now) as cursor:
        cursor.execute(_APPEND, params)
        row = cursor.fetchone()
    receipt, sequence, changed, log_id = row
    return CastResult(receipt, sequence, changed, cleaned, log_id)


# The columns of the ballot row that the locked part of a cast reads: the window and the chain head.
_HEAD_FIELDS = (
    "reference",
    "status",
    "opens_at",
    "closes_at",
    "closed_at",
    "voided_at",
    "chain_length",
    "chain_head",
)


def _append_with_orm(
    facts: CastFacts,
    user_id: int,
    cleaned: list[tuple[int, str]],
    reason: str,
    now: dt.datetime,
    body: str,
) -> CastResult:
    question_ids = [q for q, _ in cleaned]
    with transaction.atomic():
        locked = (
            Ballot.objects.select_for_update(no_key=True)
            .only(*_HEAD_FIELDS)
            .get(pk=facts.ballot_id)
        )
        ensure_accepting(Window.of(locked), now)
        changed = (
            Vote.objects.filter(
                roll_entry_id=facts.roll_entry_id,
                question_id__in=question_ids,
                superseded_at=None,
            ).update(superseded_at=now)
            > 0
        )
        sequence = locked.chain_length + 1
        digest = link_hash(locked.chain_head, sequence, body)
        log = VoteLogEntry.objects.create(
            ballot_id=locked.pk,
            sequence=sequence,
            previous_hash=locked.chain_head,
            entry_hash=digest,
            payload=json.loads(body),
            recorded_at=now,
        )
        Vote.objects.bulk_create(
            Vote(
                ballot_id=locked.pk,
                question_id=q,
                roll_entry_id=facts.roll_entry_id,
                choice=label,
                reason=reason,
                cast_by_id=user_id,
                cast_at=now,
                log_entry=log,
            )
            for q, label in cleaned
        )
        Ballot.objects.filter(pk=locked.pk).update(chain_length=sequence, chain_head=digest)
        # The audit trail says who cast for which Group, never the choice (secret until 13.4).
        audit_record(
            actor=User(pk=user_id),
            action="vote.change" if changed else "vote.cast",
            target=RollEntry(pk=facts.roll_entry_id),
            data={"ballot": locked.pk, "log_entry": log.pk, "questions": question_ids},
            label=facts.roll_entry_label,
        )
    return CastResult(digest, sequence, changed, cleaned, log.pk)


def schedule_receipts() -> None:
    """With no broker (the demo, tests) send owed receipts after the commit, in this process;
    with one, the beat job `send_pending_receipts` sends them in batches every few seconds."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        from ..tasks import send_pending_receipts

        transaction.on_commit(send_pending_receipts.delay)


def facts_of(
    *, ballot: Ballot, roll_entry: RollEntry, user: User, second_factor: bool
) -> CastFacts:
    """CastFacts from objects already loaded: the ballot's questions (unless prefetched) and
    whether the user is an authorised voter of the Group are one query each."""
    signed_in = bool(user and user.is_authenticated)
    cache = getattr(ballot, "_prefetched_objects_cache", {})
    questions = (
        cache["questions"] if "questions" in cache else Question.objects.filter(ballot=ballot)
    )
    return CastFacts(
        ballot_id=ballot.pk,
        window=Window.of(ballot),
        roll_entry_id=roll_entry.pk,
        roll_ballot_id=roll_entry.ballot_id,
        category=roll_entry.category,
        group_key=roll_entry.group_key,
        group_name=roll_entry.group_name,
        user_id=user.pk if signed_in else None,
        authorised=signed_in
        and roll_entry.ballot_id == ballot.pk
        and is_authorised_voter_of(user, roll_entry),
        second_factor=second_factor,
        questions={q.pk: list(q.options) for q in questions},
    )


def vote_cast(
    *,
    ballot: Ballot,
    roll_entry: RollEntry,
    by: User,
    answers: Mapping[int, str],
    reason: str = "",
    second_factor: bool,
) -> CastResult:
    """Record a Group's vote on one or more questions; a later cast supersedes the earlier one."""
    facts = facts_of(ballot=ballot, roll_entry=roll_entry, user=by, second_factor=second_factor)
    now = timezone.now()
    cleaned, reason = check_cast(facts, answers, reason, now)
    return append_cast(facts, cleaned, reason, now)
