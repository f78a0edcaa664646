"""The audited events of the voting app: one name per event, as stored in AuditRecord.action."""

from __future__ import annotations

from enum import StrEnum


class VotingAction(StrEnum):
    BALLOT_OPEN = "ballot.open"
    BALLOT_CLOSE = "ballot.close"
    BALLOT_VOID = "ballot.void"
    BALLOT_DECLARE = "ballot.declare"
    BALLOT_TALLY_ERROR = "ballot.tally_error"
    # The proposal could not move on the declaration (or the opening): nothing was declared.
    BALLOT_NOT_DECLARED = "ballot.not_declared"
    DECLARATION_NOTICE = "declaration.notice"
    # The log is the vote: checks, blocked declarations and the Secretariat's decisions on them.
    BALLOT_CHECK_FAILED = "ballot.check_failed"
    BALLOT_BLOCKED = "ballot.blocked"
    BALLOT_FAULT_DECIDED = "ballot.fault_decided"
    # A cast refused because the Party lost its right to vote while the vote was open.
    ROLL_RIGHT_LOST = "roll.right_lost"
    # Opening a vote found Parties on the roll with no N snapshot.
    ROLL_WARNING = "roll.warning"
    # A required 13.8 recipient has no recorded address.
    NOTICE_RECIPIENT_MISSING = "declaration.recipient_missing"
    VOTE_CAST = "vote.cast"
    VOTE_CHANGE = "vote.change"
    ELECTION_CREATE = "election.create"
    ELECTION_NOMINATE = "election.nominate"
    ELECTION_ROUND_OPEN = "election.round.open"
    ELECTION_CANDIDATES_NOTIFIED = "election.candidates_notified"
    ELECTION_COUNT = "election.count"
    ELECTION_PUBLISH = "election.publish"
