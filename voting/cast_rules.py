"""The rules of a cast (12.4-12.7), checked on the facts read before any lock: the answers, the
reason, an authorised voter with a second factor (12.4.5), the voter's Party still holding its
right on the day of the cast (54.3-54.4, Clause 4, 12.2, 12.3), and the window (12.4.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Category

from .models import Ballot, BallotStatus, RightLost, normalise_choice
from .wording import when

MAX_REASON = 5000


@dataclass(frozen=True)
class Window:
    """The columns of a ballot that decide whether it accepts a vote now."""

    reference: str
    status: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    voided_at: dt.datetime | None

    @classmethod
    def of(cls, ballot: Ballot) -> Window:
        return cls(
            ballot.reference,
            ballot.status,
            ballot.opens_at,
            ballot.closes_at,
            ballot.closed_at,
            ballot.voided_at,
        )


def category_label(category: str) -> str:
    try:
        return str(Category(category).label)
    except ValueError:
        return category


# The clause behind each right a Party on the roll can lose while the vote is open.
RIGHT_LOST_RULES: dict[str, str] = {
    RightLost.SUSPENDED: "54.3-54.4",
    RightLost.TERMINATED: "4",
    RightLost.CATEGORY: "12.3",
    RightLost.CMR: "12.2",
}


@dataclass(frozen=True)
class LostRight:
    """A member Party of a roll Group that has lost its right to vote, and why (RightLost)."""

    roll_member_id: int
    party_id: int
    party_name: str
    reason: str


def lost_right_words(item: LostRight, category: str) -> str:
    party = item.party_name
    if item.reason == RightLost.SUSPENDED:
        return f"{party}'s voting rights are suspended by the Panel (54.3-54.4)"
    if item.reason == RightLost.TERMINATED:
        return f"{party} is no longer a Party (Clause 4)"
    if item.reason == RightLost.CMR:
        return f"{party} is the Crowded Meter Room Coordinator, which does not vote (12.2)"
    return f"{party} no longer holds the {category_label(category)} category (12.3)"


@dataclass(frozen=True)
class CastFacts:
    """What the rules of a cast read, gathered before any lock."""

    ballot_id: int
    window: Window
    roll_entry_id: int
    roll_ballot_id: int
    category: str
    group_key: str
    group_name: str
    user_id: int | None
    authorised: bool
    second_factor: bool
    # question id -> its options on the ballot; only the questions being answered are needed
    questions: Mapping[int, list[str]]
    # the voter is the authorised voter of a member Party that still has the right today
    entitled: bool = True
    # when not entitled: what the voter's Parties lost (read only then)
    lost: tuple[LostRight, ...] = ()

    @property
    def roll_entry_label(self) -> str:
        """As str(RollEntry): 'Group name (Category)'."""
        return f"{self.group_name} ({category_label(self.category)})"


def closed_message(window: Window) -> str:
    closed = window.closed_at or window.closes_at
    return f"Voting on {window.reference} closed at {when(closed)}; your vote was not recorded."


def accepting(window: Window, now: dt.datetime) -> bool:
    return (
        window.voided_at is None
        and window.status == BallotStatus.OPEN
        and window.opens_at <= now < window.closes_at
    )


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
    if not facts.entitled:
        ensure_right_kept(facts)
    if not facts.second_factor:
        raise NotAllowed(
            "Votes are authenticated with your second factor: enter the code from your "
            "authenticator app first; your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )


def ensure_right_kept(facts: CastFacts) -> None:
    """A Group keeps its vote while one of the voter's member Parties keeps the right; refused
    when every Party the voter votes through has lost it (suspended, terminated, out of the
    category or the Crowded Meter Room Coordinator), naming the rule."""
    group = f"{facts.group_name} ({category_label(facts.category)})"
    if not facts.lost:
        raise NotAllowed(
            f"None of your Parties in {group} may vote today; your vote was not recorded.",
            field="group",
            rule="12.4.5",
        )
    first: dict[int, LostRight] = {}
    for item in facts.lost:
        first.setdefault(item.party_id, item)
    words = "; ".join(lost_right_words(item, facts.category) for item in first.values())
    raise NotAllowed(
        f"You cannot vote for {group}: {words}. Your vote was not recorded.",
        field="group",
        rule=RIGHT_LOST_RULES[facts.lost[0].reason],
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
