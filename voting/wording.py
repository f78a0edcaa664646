"""How the voting system writes things for people: moments (UK time), percentages, outcomes,
Party Categories, choices and the thresholds of 13.5-13.6. Never a code on a page."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.utils import timezone

from panel.models import Category

from .workings import exact, percent


def when(moment: dt.datetime) -> str:
    """'17:00 on 3 March 2027' in UK time."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def percent_words(value: Fraction) -> str:
    """'75%', '2.5%', or where six decimals are not exact '66.666667% (exactly 2/3)'."""
    text = percent(value)
    short = text.rstrip("0").rstrip(".")
    if Fraction(text) == value * 100:
        return f"{short}%"
    return f"{text}% (exactly {exact(value)})"


def percent_short(value: Fraction) -> str:
    """'75%' or '66.666667%': the six-decimal rounding without trailing zeros."""
    return f"{percent(value).rstrip('0').rstrip('.')}%"


def category_words(code: str) -> str:
    """'IDNO/OTSO Parties' for 'IDNO_OTSO'."""
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def option_words(label: str) -> str:
    """'the proposal' or 'Alternative A' (11.23, 13.3)."""
    return "the proposal" if label == "proposal" else f"Alternative {label}"


def passes_words(passes: bool) -> str:
    return "passes" if passes else "does not pass"


OUTCOME_WORDS = {
    "recommend_accept": "Recommended for acceptance (Part 1: the Authority decides)",
    "recommend_reject": "Recommended for rejection (Part 1: the Authority decides)",
    "accepted": "Accepted",
    "rejected": "Rejected",
}

COMBINED_WORDS = {
    "accepted": "Variation and implementation date accepted",
    "revote_date": (
        "Variation accepted, implementation date rejected: a new date goes to a vote (14.3)"
    ),
    "rejected": "Variation rejected: the proposal is rejected (14.4)",
}

DEEMED_PART1_WORDS = (
    "Deemed a Part 1 Matter (13.7): the Parties are deemed to recommend rejection; the Authority "
    "decides"
)


def outcome_words(outcome: str, deemed_part1: bool = False) -> str:
    """The outcome of one question in words (13.5-13.7)."""
    return DEEMED_PART1_WORDS if deemed_part1 else OUTCOME_WORDS.get(outcome, outcome)


def thresholds_words(matter: str) -> str:
    """The tests a Party vote applies (13.5 for Part 1, 13.6-13.7 for Part 2), in words."""
    if matter == "part1":
        return (
            "Part 1 Matter (13.5): an option passes in a Party Category when more than 50% of the "
            "Weighted Votes are to accept it; the Parties recommend it when it passes in more "
            "than half of the counted Party Categories. The Authority decides."
        )
    return (
        "Part 2 Matter (13.6): an option passes in a Party Category when more than 65% of the "
        "Groups that voted accept it and more than 65% of the Weighted Votes are to accept it; "
        "it is accepted when it passes in more than half of the counted Party Categories. A "
        "Party Category in which no Group voted is not counted (12.17)."
    )


BLOCKED_WORDS = (
    "This vote cannot be declared yet: the vote log and the recorded votes disagree, and the "
    "Secretariat must decide on the faults before any result is declared."
)

STATUS_WORDS = {
    "open": "Open",
    "closed": "Closed, awaiting the declaration",
    "declared": "Declared",
    "blocked": "Cannot be declared yet",
    "void": "Void",
}
