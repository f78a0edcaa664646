"""The states of a Change Proposal (Clauses 9-11, 13, 14) and the sets of them the rules name."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted: Secretariat check"
    REFUSED_INCOMPLETE = "refused_incomplete", "Refused by the Secretariat (incomplete)"
    WITH_PANEL = "with_panel", "Referred to the Panel"
    REFUSED = "refused", "Refused by the Panel"
    REFERRED_TO_AUTHORITY = "referred_to_authority", "Refusal referred to the Authority"
    DEFINITION = "definition", "Definition Procedure (Working Group)"
    REPORT_PHASE = "report_phase", "Report Phase: Change Report in preparation"
    REPORT_ISSUED = "report_issued", "Change Report with the Panel"
    AWAITING_VOTE = "awaiting_vote", "Submitted to the Voting Procedure"
    VOTING = "voting", "Voting open"
    DATE_REASSESSMENT = "date_reassessment", "Implementation date re-assessed (14.3)"
    AWAITING_AUTHORITY = "awaiting_authority", "Awaiting Authority decision"
    ACCEPTED_APPEAL_WINDOW = "accepted_appeal_window", "Accepted: appeal window open"
    REJECTED_APPEAL_WINDOW = "rejected_appeal_window", "Rejected: appeal window open"
    UNDER_APPEAL = "under_appeal", "Under appeal to the Authority"
    APPROVED = "approved", "Approved: awaiting implementation plan"
    IMPLEMENTING = "implementing", "Implementation in progress"
    IMPLEMENTED = "implemented", "Implemented"
    REJECTED = "rejected", "Rejected"
    SCR_SUSPENDED = "scr_suspended", "Suspended (Significant Code Review)"
    WITHDRAWN = "withdrawn", "Withdrawn: open for adoption"
    LEFT_PROCESS = "left_process", "Withdrawn: left the process"


class RefusalGround(models.TextChoices):
    DUPLICATE = "duplicate", "Same effect as an earlier proposal (10.13)"
    OUT_OF_SCOPE = "out_of_scope", "Outside the scope of the Agreement (10.14)"
    SCR = "scr", "Within a Significant Code Review (10.22)"


# States in which a Change Proposal must carry a deadline (a CheckConstraint on the model).
NEEDS_DEADLINE = frozenset(
    {
        State.SUBMITTED,
        State.WITH_PANEL,
        State.REFERRED_TO_AUTHORITY,
        State.ACCEPTED_APPEAL_WINDOW,
        State.REJECTED_APPEAL_WINDOW,
        State.WITHDRAWN,
    }
)
# Where a proposal is in the Assessment Process and may be withdrawn (11.29).
LIVE = frozenset(
    {
        State.SUBMITTED,
        State.WITH_PANEL,
        State.REFERRED_TO_AUTHORITY,
        State.DEFINITION,
        State.REPORT_PHASE,
        State.REPORT_ISSUED,
        State.AWAITING_VOTE,
        State.DATE_REASSESSMENT,
        State.AWAITING_AUTHORITY,
        State.SCR_SUSPENDED,
    }
)
IN_ASSESSMENT = frozenset(
    {
        State.DEFINITION,
        State.REPORT_PHASE,
        State.REPORT_ISSUED,
        State.AWAITING_VOTE,
        State.VOTING,
        State.DATE_REASSESSMENT,
        State.SCR_SUSPENDED,
    }
)
# Before the Change Report is approved for the vote (11.21: the Authority's Part opinion).
BEFORE_VOTE = frozenset(
    {State.WITH_PANEL, State.DEFINITION, State.REPORT_PHASE, State.REPORT_ISSUED}
)
TERMINAL = frozenset(
    {State.REFUSED_INCOMPLETE, State.REFUSED, State.IMPLEMENTED, State.REJECTED, State.LEFT_PROCESS}
)
# Register: proposals that are in the process (the Change Register lists these, 11.26).
ON_REGISTER = frozenset(set(State) - {State.DRAFT})

# The stages a proposal's assessment timetable covers (11.10-11.13).
ASSESSMENT_TIMETABLE_STATES = (State.DEFINITION, State.REPORT_PHASE, State.REPORT_ISSUED)
