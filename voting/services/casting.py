"""Casting and changing a Group's vote (12.4-12.7), with its receipt: the one path of every cast,
from the web form and from a Party's own system (the API, with a token or a session).

A cast is two steps:
1. `check_cast`: every rule (answers, authorised voter, the voter's Party still holding its right
   today, second factor, window) is checked on `CastFacts`, read before any lock: from the
   objects the web form has (`facts_of`), or in one query from the ballot id and the Group an API
   client names (`facts_for_api`). Whether the voter's Party still has the right (not suspended,
   not terminated, still in the category, not the CMR Coordinator) is an Exists() beside the
   authorised-voter check, in the same query; only a refusal reads what was lost and notes it on
   the roll (`RollRightLost`, in its own transaction, so the refusal does not undo it).
2. `append_cast`: one short transaction. The Group's own part first: its roll entry row is locked
   (its casts queue there, casts for other Groups go on), its live votes on the questions are
   superseded. Then the ballot's row, the head of the hash-chained vote log, is locked last: the
   window is checked again on the locked row, the log entry, the new votes, the new head and the
   audit record are written, and the transaction commits. The receipt e-mail is owed from then
   on (`ReceiptCursor`).
The ballot's lock serializes the links, so two casts never take the same previous hash; the
partial unique constraint makes a second live vote impossible whatever happens.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, JSONField, OuterRef, Subquery
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.audit import audit_record
from panel.errors import Conflict, NotAllowed
from panel.models import PartyRepresentative, User

from ..audit import VotingAction
from ..cast_rules import CastFacts, Window, accepting, check_cast, ensure_accepting
from ..chain import canonical_json, link_hash
from ..models import (
    Ballot,
    Question,
    RollEntry,
    RollMember,
    Vote,
    VoteLogEntry,
)
from .receipt_mail import receipts_send_pending
from .roll import rights_lost_note, voter_rights_lost, with_right


@dataclass(frozen=True)
class CastResult:
    receipt: str
    sequence: int
    changed: bool
    answers: list[tuple[int, str]]  # (question id, stored label), by question id
    log_entry_id: int


def _payload(
    facts: CastFacts, cleaned: list[tuple[int, str]], reason: str, now: dt.datetime
) -> dict[str, object]:
    """The canonical record of a cast that the hash chain covers (the sequence is hashed beside)."""
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


def append_cast(
    facts: CastFacts, cleaned: list[tuple[int, str]], reason: str, now: dt.datetime
) -> CastResult:
    """The locked part of a cast (see the module's docstring); refuses if the window has moved."""
    user_id = facts.user_id
    if user_id is None:  # check_cast refuses this first; never append a cast by nobody
        raise NotAllowed("Sign in as an authorised voter to vote.", field="group")
    body = canonical_json(_payload(facts, cleaned, reason, now))
    try:
        result = _append(facts, user_id, cleaned, reason, now, body)
    except IntegrityError:
        raise Conflict(SAME_MOMENT, field="group") from None
    schedule_receipts()
    return result


def _append(
    facts: CastFacts,
    user_id: int,
    cleaned: list[tuple[int, str]],
    reason: str,
    now: dt.datetime,
    body: str,
) -> CastResult:
    """Seven statements: two for the Group's own part, then five under the ballot's lock."""
    question_ids = [q for q, _ in cleaned]
    with transaction.atomic():
        # The Group's own part: its casts queue on its roll entry row.
        list(
            RollEntry.objects.select_for_update(no_key=True)
            .filter(pk=facts.roll_entry_id)
            .values_list("pk", flat=True)
        )
        changed = (
            Vote.objects.filter(
                roll_entry_id=facts.roll_entry_id,
                question_id__in=question_ids,
                superseded_at=None,
            ).update(superseded_at=now)
            > 0
        )
        # The ballot's lock, last and held to the commit: the window again, then the next link.
        locked = (
            Ballot.objects.select_for_update(no_key=True)
            .only(*_HEAD_FIELDS)
            .get(pk=facts.ballot_id)
        )
        ensure_accepting(Window.of(locked), now)
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
            action=VotingAction.VOTE_CHANGE if changed else VotingAction.VOTE_CAST,
            target=RollEntry(pk=facts.roll_entry_id),
            data={"ballot": locked.pk, "log_entry": log.pk, "questions": question_ids},
            label=facts.roll_entry_label,
        )
    return CastResult(digest, sequence, changed, cleaned, log.pk)


def schedule_receipts() -> None:
    """With no broker (the demo, tests) send owed receipts after the commit, in this process;
    with one, the beat job `send_pending_receipts` sends them in batches every few seconds."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(receipts_send_pending)


def _voter_members(user: User) -> Any:
    """The roll members of the Group in the outer query that the user is a confirmed authorised
    voter of (12.4.5)."""
    return RollMember.objects.filter(
        roll_entry=OuterRef("pk"),
        party__in=PartyRepresentative.objects.filter(
            user=user, authorised_voter=True, confirmed_at__isnull=False
        ).values("party"),
    )


def _voter_rights(roll_entry: RollEntry, user: User) -> tuple[bool, bool]:
    """One query: (authorised voter of a member Party, and of one that still has the right)."""
    mine = _voter_members(user)
    found = (
        RollEntry.objects.filter(pk=roll_entry.pk)
        .annotate(
            authorised=Exists(mine),
            entitled=Exists(with_right(mine, timezone.localdate())),
        )
        .values_list("authorised", "entitled")
        .first()
    )
    return (bool(found[0]), bool(found[1])) if found else (False, False)


def facts_of(
    *, ballot: Ballot, roll_entry: RollEntry, user: User, second_factor: bool
) -> CastFacts:
    """CastFacts from objects already loaded: the ballot's questions (unless prefetched) and
    whether the user is an authorised voter of the Group with the right today are one query
    each."""
    signed_in = bool(user and user.is_authenticated)
    cache = getattr(ballot, "_prefetched_objects_cache", {})
    questions = (
        cache["questions"] if "questions" in cache else Question.objects.filter(ballot=ballot)
    )
    on_roll = signed_in and roll_entry.ballot_id == ballot.pk
    authorised, entitled = _voter_rights(roll_entry, user) if on_roll else (False, False)
    return CastFacts(
        ballot_id=ballot.pk,
        window=Window.of(ballot),
        roll_entry_id=roll_entry.pk,
        roll_ballot_id=roll_entry.ballot_id,
        category=roll_entry.category,
        group_key=roll_entry.group_key,
        group_name=roll_entry.group_name,
        user_id=user.pk if signed_in else None,
        authorised=authorised,
        second_factor=second_factor,
        questions={q.pk: list(q.options) for q in questions},
        entitled=entitled,
    )


def facts_for_api(
    *, ballot_id: int, group: str, user: User, question_id: int, token_client: bool
) -> tuple[CastFacts, bool] | None:
    """One query: the roll Group (by roll entry id or Group key) with its ballot's window, whether
    the user is a confirmed authorised voter of a member Party (12.4.5) and of one that still has
    the right today (54.3-54.4, Clause 4, 12.2, 12.3), the options of the
    question answered and, for a token client, whether the account has a confirmed TOTP device
    (returned beside the facts: the caller decides what counts as the second factor). None when
    the Group is not on the roll of that ballot."""
    # An id beyond the column's range names no question (a 400 from check_cast, not a 500).
    known_id = question_id if 0 < question_id < 2**63 else 0
    mine = _voter_members(user)
    qs = (
        RollEntry.objects.filter(ballot_id=ballot_id)
        .select_related("ballot")
        .annotate(
            authorised=Exists(mine),
            entitled=Exists(with_right(mine, timezone.localdate())),
            options=Subquery(
                Question.objects.filter(ballot_id=ballot_id, pk=known_id).values("options")[:1],
                output_field=JSONField(),
            ),
        )
    )
    if token_client:
        qs = qs.annotate(has_device=Exists(TOTPDevice.objects.filter(user=user, confirmed=True)))
    by_id = group.isdigit() and len(group) < 19
    entry = (
        (qs.filter(pk=int(group)) if by_id else qs.filter(group_key=group)).order_by("pk").first()
    )
    if entry is None:
        return None
    options = entry.options  # type: ignore[attr-defined]
    if isinstance(options, str):
        options = json.loads(options)
    facts = CastFacts(
        ballot_id=entry.ballot_id,
        window=Window.of(entry.ballot),
        roll_entry_id=entry.pk,
        roll_ballot_id=entry.ballot_id,
        category=entry.category,
        group_key=entry.group_key,
        group_name=entry.group_name,
        user_id=user.pk,
        authorised=bool(entry.authorised),  # type: ignore[attr-defined]
        second_factor=False,
        questions={} if options is None else {question_id: list(options)},
        entitled=bool(entry.entitled),  # type: ignore[attr-defined]
    )
    return facts, bool(getattr(entry, "has_device", False))


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
    return vote_cast_checked(facts=facts, answers=answers, reason=reason)


def vote_cast_checked(
    *, facts: CastFacts, answers: Mapping[int, str], reason: str = ""
) -> CastResult:
    """A cast from facts already read (`facts_of`, `facts_for_api`): check, then append.

    A voter whose every Party has lost its right is refused; what was lost is read then and
    noted on the roll first, in its own transaction, while the vote is open."""
    now = timezone.now()
    if facts.authorised and not facts.entitled and facts.user_id is not None:
        lost = voter_rights_lost(
            roll_entry_id=facts.roll_entry_id, user_id=facts.user_id, day=timezone.localdate(now)
        )
        if accepting(facts.window, now):
            rights_lost_note(
                ballot_id=facts.ballot_id, lost=lost, now=now, label=facts.roll_entry_label
            )
        facts = replace(facts, lost=tuple(lost))
    cleaned, reason = check_cast(facts, answers, reason, now)
    return append_cast(facts, cleaned, reason, now)
