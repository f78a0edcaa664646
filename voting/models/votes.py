"""Votes, the hash-chained vote log (12.4.6) and how far its receipts have been sent."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from panel.models import AppendOnlyModel

from .ballots import Ballot, Question
from .roll import RollEntry


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
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
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
        # A vote is never edited or deleted; a change of vote sets `superseded_at` once (the
        # casting service), and a superseded vote never changes again.
        triggers = [
            pgtrigger.ReadOnly(name="read_only", exclude=["superseded_at"]),
            pgtrigger.Protect(
                name="superseded_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__superseded_at__isnull=False),
            ),
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.roll_entry} on {self.question_id}"

    @property
    def receipt(self) -> str:
        return self.log_entry.entry_hash
