"""Ballots and their questions (12.4-12.6, 13.1): the window, the matter, the head of the vote
log. The same machinery serves Panel elections (6.2): a Ballot of kind ELECTION with a Question
whose options are the candidates, counted unweighted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


class BallotKind(models.TextChoices):
    PARTY_VOTE = "PARTY_VOTE", "Party vote on a Change Proposal (Clause 12)"
    ELECTION = "ELECTION", "Panel election (Clause 6)"


class BallotStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed, awaiting declaration"
    DECLARED = "declared", "Declared"
    # The log and the current votes disagree, or the chain is broken: nothing is declared or
    # published until the Secretariat records a decision on the faults (voting.services.integrity).
    BLOCKED = "blocked", "Cannot be declared"


class Matter(models.TextChoices):
    PART1 = "part1", "Part 1 Matter"
    PART2 = "part2", "Part 2 Matter"


# Eligibility as set on the Change Report: IDNO and OTSO Parties can be eligible separately.
ELIGIBLE_CHOICES = ("DNO", "IDNO", "OTSO", "SUPPLIER", "CVA", "GAS_SUPPLIER", "SIP")


class Ballot(models.Model):
    """One vote: its questions, its window and its frozen roll (12.4-12.6)."""

    kind = models.CharField(
        max_length=16, choices=BallotKind.choices, default=BallotKind.PARTY_VOTE
    )
    reference = models.CharField(
        max_length=32, db_index=True, help_text="The Change Proposal reference, e.g. DCP 417."
    )
    title = models.CharField(max_length=300)
    proposal = models.ForeignKey(
        "changes.ChangeProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    change_report = models.ForeignKey(
        "changes.ChangeReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    matter = models.CharField(max_length=8, choices=Matter.choices, blank=True)
    eligible = models.JSONField(
        default=list, help_text="Eligible categories; IDNO and OTSO are listed separately."
    )
    roll_date = models.DateField(help_text="The day of the vote: Groups and N as on it (12.12).")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    reminder_days = models.JSONField(
        default=list, blank=True, help_text="Working Days before the close to remind Groups."
    )
    status = models.CharField(
        max_length=16, choices=BallotStatus.choices, default=BallotStatus.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tally_error = models.TextField(blank=True)
    close_reason = models.TextField(
        blank=True, help_text="Why the Secretariat closed the vote itself (the schedule was late)."
    )
    window_direction = models.CharField(
        max_length=300,
        blank=True,
        help_text="The Authority's direction allowing a window shorter than 5 Working Days.",
    )
    faults = models.JSONField(
        default=list,
        blank=True,
        help_text="The entries at fault when the log and the votes disagree (status blocked).",
    )
    roll_warnings = models.JSONField(
        default=list, blank=True, help_text="Parties on the roll with no N snapshot at the open."
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    # The head of the vote log: locked with the row so two casts never share a previous hash.
    chain_length = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_opening",
                violation_error_message="The voting window must close after it opens.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in BallotStatus]),
                name="ballot_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind=BallotKind.PARTY_VOTE) | ~Q(matter=""),
                name="party_vote_has_matter",
                violation_error_message="A Party vote is on a Part 1 or a Part 2 Matter.",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="void_has_reason",
                violation_error_message="Say why the vote is void.",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(status="open"),
                name="one_open_ballot_per_reference",
                violation_error_message="This proposal already has an open vote.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def is_accepting(self, now: Any) -> bool:
        return self.status == BallotStatus.OPEN and self.opens_at <= now < self.closes_at


class QuestionKind(models.TextChoices):
    VARIATION = "variation", "The proposed variation"
    DATE = "date", "The proposed implementation date"
    ELECTION = "election", "Election of a Panel member"


REJECT = "reject"
ACCEPT = "accept"


def normalise_choice(options: list[str], choice: str) -> str | None:
    """The stored label for a choice among a question's `options`, or None if not offered."""
    choice = (choice or "").strip()
    if choice.lower() == REJECT:
        return REJECT
    if choice in options:
        return choice
    if choice.lower() == ACCEPT and len(options) == 1:
        return options[0]
    return None


class Question(models.Model):
    """One question of a ballot (12.6): accept/reject, or reject all / accept exactly one option.

    `options` are the labels on the ballot: ["proposal"] or ["proposal", "A", "B"] for the
    variation with alternatives (11.23, 13.3); ["proposal"] for the date; the candidates for an
    election. A choice is "reject" or one label ("accept" means the only label when there is one).
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    options = models.JSONField(default=list)
    option_texts = models.JSONField(default=dict, blank=True)
    implementation_date = models.DateField(null=True, blank=True)
    weighted = models.BooleanField(default=True, help_text="False for elections (6.2).")

    class Meta:
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ballot.reference}: {self.text}"

    def normalise_choice(self, choice: str) -> str | None:
        """The stored label for a choice, or None if the ballot does not offer it."""
        return normalise_choice(self.options, choice)

    def choice_label(self, choice: str) -> str:
        if choice == REJECT:
            return "Reject" if len(self.options) == 1 else "Reject all"
        if len(self.options) == 1 and self.kind != QuestionKind.ELECTION:
            return "Accept"
        if self.kind == QuestionKind.ELECTION:
            return f"Vote for {self.option_texts.get(choice, choice)}"  # a candidate (6.2.5)
        return f"Accept {self.option_texts.get(choice, choice)}"
