"""Ballots, the frozen roll, votes, the hash-chained vote log and the declaration.

Clauses 12.1-12.7 (the Voting Procedure and the system of 12.4), 12.12 (N as of the vote),
12.17, 13.1-13.8 (the Change Decision and its declaration). The same one-vote-per-Group
machinery serves Panel elections (6.2): a Ballot of kind ELECTION with a Question whose options
are the candidates, counted unweighted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import AppendOnlyModel, Category


class BallotKind(models.TextChoices):
    PARTY_VOTE = "PARTY_VOTE", "Party vote on a Change Proposal (Clause 12)"
    ELECTION = "ELECTION", "Panel election (Clause 6)"


class BallotStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed, awaiting declaration"
    DECLARED = "declared", "Declared"


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


class RollEntry(models.Model):
    """A Group on the frozen roll of a ballot, with N as of the vote (12.3, 12.12).

    Written once when the ballot opens; later register changes do not touch it.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="roll")
    category = models.CharField(max_length=16, choices=Category.choices)
    group_key = models.CharField(max_length=100)
    group_name = models.CharField(max_length=200)
    n = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ballot", "category", "group_name"]
        verbose_name_plural = "roll entries"
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "category", "group_key"], name="one_roll_entry_per_group"
            )
        ]
        # A cast may name its Group by key (the API): found without reading the whole roll.
        indexes = [models.Index(fields=["ballot", "group_key"], name="roll_entry_by_group_key")]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.get_category_display()})"


class RollMember(models.Model):
    """A member Party of a roll Group on the day of the vote; its voters may vote for the Group."""

    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="members")
    party = models.ForeignKey("panel.Party", on_delete=models.PROTECT, related_name="+")
    idno_otso = models.CharField(max_length=4, blank=True)
    n = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll_entry", "party"], name="one_member_row_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.party_id} in {self.roll_entry}"


class VoteLogEntry(AppendOnlyModel):
    """The append-only, hash-chained log of casts (12.4: secure, not interfered with).

    entry_hash = sha256(previous_hash + "\\n" + sequence + "\\n" + canonical payload JSON); it is
    the receipt code (voting.receipts).
    """

    # Indexed by the unique (ballot, sequence) and (entry_hash) constraints only: every cast
    # writes one entry, so no index that no read needs.
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="log", db_index=False)
    sequence = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64)
    payload = models.JSONField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["ballot", "sequence"]
        verbose_name = "vote log entry"
        verbose_name_plural = "vote log entries"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "sequence"], name="one_log_entry_per_seq"),
            models.UniqueConstraint(fields=["entry_hash"], name="one_log_entry_per_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot.reference} #{self.sequence}"


class ReceiptCursor(models.Model):
    """How far along a ballot's vote log the receipt e-mails have been sent.

    Casting writes nothing for its receipt: every log entry after `sent_through` is owed one. The
    scheduled job `voting.tasks.send_pending_receipts` sends them in sequence order and moves the
    cursor in the same transaction, so a vote is never recorded without its receipt being owed,
    and a broker or mail outage loses no receipt (the next run sends it).
    """

    ballot = models.OneToOneField(
        Ballot, on_delete=models.CASCADE, primary_key=True, related_name="receipt_cursor"
    )
    sent_through = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"receipts of {self.ballot_id} sent through #{self.sent_through}"


class Vote(models.Model):
    """A Group's answer to one question; a change of vote supersedes, never overwrites."""

    # A change of vote inserts a row and updates the superseded one in every index, so only the
    # indexes that reads use: (ballot, superseded_at), the live-vote constraint on (question,
    # roll_entry), roll_entry and log_entry.
    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=100)
    reason = models.TextField(blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    cast_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    log_entry = models.ForeignKey(VoteLogEntry, on_delete=models.PROTECT, related_name="votes")

    class Meta:
        ordering = ["ballot", "roll_entry", "question", "cast_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "roll_entry"],
                condition=Q(superseded_at=None),
                name="one_live_vote_per_question_group",
                violation_error_message="This Group already has a vote on this question.",
            )
        ]
        indexes = [models.Index(fields=["ballot", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.roll_entry} on {self.question_id}"

    @property
    def receipt(self) -> str:
        return self.log_entry.entry_hash


class Declaration(AppendOnlyModel):
    """The Secretariat's declaration (13.4.3): made once per ballot, never edited or deleted."""

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="declaration")
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    variation_outcome = models.CharField(max_length=32, blank=True)
    selected_option = models.CharField(max_length=100, blank=True)
    variation_deemed_part1 = models.BooleanField(default=False)
    date_outcome = models.CharField(max_length=32, blank=True)
    date_deemed_part1 = models.BooleanField(default=False)
    combined_outcome = models.CharField(
        max_length=16, blank=True, help_text="accepted, revote_date or rejected (14.3-14.4)."
    )
    combined_clause = models.CharField(max_length=8, blank=True)
    recommendation = models.BooleanField(
        default=False, help_text="A Part 1 (or deemed Part 1) recommendation to the Authority."
    )
    cases = models.JSONField(help_text="The tally-contract input per question (contains N).")
    results = models.JSONField(help_text="The tally-contract result per question.")
    workings = models.JSONField(help_text="The full workings per question (contains N).")
    chain_head = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-declared_at"]

    def __str__(self) -> str:
        return f"Declaration on {self.ballot}"

    @property
    def deemed_part1(self) -> bool:
        return self.variation_deemed_part1 or self.date_deemed_part1


class Reminder(models.Model):
    """A reminder sent to a Group that had not voted: at most one per Group per day-mark."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="reminders")
    roll_entry = models.ForeignKey(RollEntry, on_delete=models.PROTECT, related_name="+")
    working_days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["roll_entry", "working_days_before"], name="one_reminder_per_mark"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.roll_entry} ({self.working_days_before} WD before close)"


from .elections import *  # noqa: E402,F401,F403
