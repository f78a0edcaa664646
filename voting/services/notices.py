"""The text of the e-mails the voting system sends: receipts, reminders, the 13.8 notice."""

from __future__ import annotations

from django.conf import settings

from ..models import Ballot, Declaration, Question, RollEntry, VoteLogEntry
from ..wording import when

OUTCOME_WORDS = {
    "recommend_accept": "the Parties recommend to the Authority that the proposal be accepted",
    "recommend_reject": "the Parties recommend to the Authority that the proposal be rejected",
    "accepted": "accepted",
    "rejected": "rejected",
}
COMBINED_WORDS = {
    "accepted": "the variation and the implementation date are both accepted",
    "revote_date": (
        "the variation is accepted but the implementation date is rejected: only a newly "
        "proposed implementation date will be assessed and voted on (14.3)"
    ),
    "rejected": "the variation is rejected, so the proposal is rejected (14.4)",
}


def vote_page_url(ballot: Ballot) -> str:
    return f"{settings.SITE_URL}/changes/{ballot.reference.replace(' ', '-')}/vote/"


def receipt_text(
    entry: VoteLogEntry, questions: dict[int, Question] | None = None
) -> tuple[str, str]:
    """The receipt e-mail; `questions` (by id) saves a query when the caller has them."""
    ballot = entry.ballot
    if questions is None:
        questions = {q.pk: q for q in Question.objects.filter(ballot=ballot)}
    lines = [
        f"Your vote on {ballot.reference} for {entry.payload['group']} was recorded at "
        f"{when(entry.recorded_at)}.",
        "",
    ]
    for answer in entry.payload["answers"]:
        q = questions[answer["question"]]
        lines.append(f"- {q.text}: {q.choice_label(answer['choice'])}")
    lines += [
        "",
        f"Receipt code: {entry.entry_hash}",
        f"Check it at {settings.SITE_URL}/votes/verify/?receipt={entry.entry_hash}",
        f"You may change the vote until {when(ballot.closes_at)}; the latest vote stands.",
    ]
    return f"{ballot.reference}: your vote receipt", "\n".join(lines) + "\n"


def reminder_text(entry: RollEntry, days: int) -> tuple[str, str]:
    ballot = entry.ballot
    body = (
        f"{entry.group_name} ({entry.get_category_display()}) has not yet voted on "
        f"{ballot.reference}. Voting closes at {when(ballot.closes_at)} "
        f"({days} Working Day{'s' if days != 1 else ''} from the reminder).\n\n"
        f"Vote at {settings.SITE_URL}/my/votes/{ballot.pk}/\n"
    )
    return f"{ballot.reference}: voting closes soon", body


def declaration_notice_text(declaration: Declaration) -> tuple[str, str]:
    ballot = declaration.ballot
    lines = [
        f"Notice of declaration under Clause 13.8 of the DCUSA: {ballot.reference}.",
        f"Voting closed at {when(ballot.closed_at or ballot.closes_at)}.",
        "",
    ]
    if declaration.variation_outcome:
        option = f" ({declaration.selected_option})" if declaration.selected_option else ""
        lines.append(
            f"The proposed variation{option}: {OUTCOME_WORDS.get(declaration.variation_outcome, declaration.variation_outcome)}."
        )
        if declaration.variation_deemed_part1:
            lines.append("Under Clause 13.7 the proposal is deemed to relate to a Part 1 Matter.")
    if declaration.date_outcome:
        lines.append(
            f"The proposed implementation date: {OUTCOME_WORDS.get(declaration.date_outcome, declaration.date_outcome)}."
        )
    if declaration.combined_outcome:
        lines.append(f"Together: {COMBINED_WORDS[declaration.combined_outcome]}.")
    if declaration.recommendation:
        lines.append("This is a recommendation; the Authority determines the proposal (13.9).")
    lines += ["", f"Results by Party Category and how each Group voted: {vote_page_url(ballot)}"]
    return f"{ballot.reference}: declaration of the Party vote", "\n".join(lines) + "\n"
