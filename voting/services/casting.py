"""Casting and changing a Group's vote (12.4-12.7), with its receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from panel.audit import audit_record
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import User

from ..models import Ballot, BallotStatus, Question, RollEntry, Vote, VoteLogEntry
from ..receipts import chain_hash
from ..selectors import is_authorised_voter_of

MAX_REASON = 5000


@dataclass(frozen=True)
class CastResult:
    votes: list[Vote]
    receipt: str
    sequence: int
    changed: bool


def when(moment: dt.datetime) -> str:
    """'17:00 on 3 March 2027' in UK time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def closed_message(ballot: Ballot) -> str:
    closed = ballot.closed_at or ballot.closes_at
    return f"Voting on {ballot.reference} closed at {when(closed)}; your vote was not recorded."


def ensure_accepting(ballot: Ballot, now: dt.datetime) -> None:
    if ballot.voided_at is not None:
        raise Conflict(
            f"The vote on {ballot.reference} is void; your vote was not recorded.", field="ballot"
        )
    if ballot.status != BallotStatus.OPEN or now >= ballot.closes_at:
        raise Conflict(closed_message(ballot), field="ballot", rule="12.4.1")
    if now < ballot.opens_at:
        raise Conflict(
            f"Voting on {ballot.reference} opens at {when(ballot.opens_at)}; "
            "your vote was not recorded.",
            field="ballot",
        )


def ensure_can_vote(
    *, ballot: Ballot, roll_entry: RollEntry, user: User, second_factor: bool
) -> None:
    """Only a confirmed authorised voter of a member Party, verified by a second factor (12.4.5).

    One query: does a member Party of this roll Group have the user as a confirmed authorised
    voter?
    """
    if not (user and user.is_authenticated):
        raise NotAllowed("Sign in as an authorised voter to vote.", field="group")
    if roll_entry.ballot_id != ballot.pk:
        raise NotAllowed("That Group is not on the roll of this vote.", field="group")
    if not is_authorised_voter_of(user, roll_entry):
        raise NotAllowed(
            f"You are not a confirmed authorised voter of any Party in {roll_entry.group_name} "
            f"({roll_entry.get_category_display()}); your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )
    if not second_factor:
        raise NotAllowed(
            "Votes are authenticated with your second factor: enter the code from your "
            "authenticator app first; your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )


def _ballot_questions(ballot: Ballot) -> list[Question]:
    """The ballot's questions, from a prefetch when the caller made one (no query then)."""
    cache = getattr(ballot, "_prefetched_objects_cache", {})
    if "questions" in cache:
        return list(cache["questions"])
    return list(Question.objects.filter(ballot=ballot))


def _clean_answers(ballot: Ballot, answers: Mapping[int, str]) -> dict[Question, str]:
    if not answers:
        raise DomainError("Answer at least one question.", field="question")
    questions = {q.pk: q for q in _ballot_questions(ballot)}
    cleaned: dict[Question, str] = {}
    for qid, choice in answers.items():
        question = questions.get(int(qid))
        if question is None:
            raise DomainError("That question is not on this ballot.", field="question")
        label = question.normalise_choice(choice)
        if label is None:
            offered = ", ".join(["reject", *question.options])
            raise DomainError(
                f"'{choice}' is not a choice on this question; choose one of: {offered}.",
                field="choice",
            )
        cleaned[question] = label
    return cleaned


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


def vote_cast(
    *,
    ballot: Ballot,
    roll_entry: RollEntry,
    by: User,
    answers: Mapping[int, str],
    reason: str = "",
    second_factor: bool,
) -> CastResult:
    """Record a Group's vote on one or more questions; a later cast supersedes the earlier one.

    Every read and check (answers, authorised voter, second factor, window) happens before any
    lock. Then one short transaction locks the ballot row, the head of the vote log (FOR NO KEY
    UPDATE, so rows that only reference the ballot are not blocked), re-checks the window against
    the locked row, supersedes the Group's live votes with one UPDATE, appends the log entry,
    inserts the new votes, moves the head and writes the audit record. The lock serializes every
    cast on the ballot, so two casts never take the same previous hash (and one Group's casts
    queue up); the partial unique constraint makes a second live vote impossible whatever happens.
    """
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.", field="reason")
    cleaned = _clean_answers(ballot, answers)
    ensure_can_vote(ballot=ballot, roll_entry=roll_entry, user=by, second_factor=second_factor)
    ensure_accepting(ballot, timezone.now())  # refuse early, without a lock; re-checked below
    ordered = sorted(cleaned.items(), key=lambda item: item[0].pk)
    question_ids = [q.pk for q, _ in ordered]
    try:
        with transaction.atomic():
            locked = (
                Ballot.objects.select_for_update(no_key=True).only(*_HEAD_FIELDS).get(pk=ballot.pk)
            )
            now = timezone.now()
            ensure_accepting(locked, now)
            changed = (
                Vote.objects.filter(
                    roll_entry=roll_entry, question_id__in=question_ids, superseded_at=None
                ).update(superseded_at=now)
                > 0
            )
            sequence = locked.chain_length + 1
            payload = {
                "ballot": locked.pk,
                "reference": locked.reference,
                "sequence": sequence,
                "category": roll_entry.category,
                "group": roll_entry.group_key,
                "roll_entry": roll_entry.pk,
                "answers": [{"question": q.pk, "choice": label} for q, label in ordered],
                "reason": reason,
                "cast_by": by.pk,
                "cast_at": now.isoformat(),
            }
            digest = chain_hash(locked.chain_head, payload)
            log = VoteLogEntry.objects.create(
                ballot_id=locked.pk,
                sequence=sequence,
                previous_hash=locked.chain_head,
                entry_hash=digest,
                payload=payload,
                recorded_at=now,
            )
            votes = Vote.objects.bulk_create(
                Vote(
                    ballot_id=locked.pk,
                    question=q,
                    roll_entry=roll_entry,
                    choice=label,
                    reason=reason,
                    cast_by=by,
                    cast_at=now,
                    log_entry=log,
                )
                for q, label in cleaned.items()
            )
            Ballot.objects.filter(pk=locked.pk).update(chain_length=sequence, chain_head=digest)
            # The audit trail says who cast for which Group, never the choice (secret until 13.4).
            audit_record(
                actor=by,
                action="vote.change" if changed else "vote.cast",
                target=roll_entry,
                data={"ballot": locked.pk, "receipt": digest, "questions": question_ids},
            )
            from ..tasks import send_vote_receipt

            transaction.on_commit(lambda: send_vote_receipt.delay(log.pk))
    except IntegrityError:
        raise Conflict(
            "Another vote for this Group was being recorded at the same moment; "
            "reload the page to see the Group's vote and try again.",
            field="group",
        )
    return CastResult(votes=votes, receipt=digest, sequence=sequence, changed=changed)
