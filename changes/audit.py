"""The audited events of the change process: one name each (AuditRecord.action).

Every `audit_record` call in `changes` passes a member of `ChangeAction`, and every filter on
`AuditRecord.action` uses one. A step of the state machine is audited as
`change_proposal.<step>` (`ChangeAction.for_step`); an Authority decision recorded with a step as
`authority_decision.<step>` (`ChangeAction.for_authority_decision`).
"""

from __future__ import annotations

from enum import StrEnum


class ChangeAction(StrEnum):
    # -- drafts and documents (10.3-10.4)
    PROPOSAL_DRAFT_CREATED = "change_proposal.draft_created"
    PROPOSAL_DRAFT_SAVED = "change_proposal.draft_saved"
    PROPOSAL_DRAFT_DELETED = "change_proposal.draft_deleted"
    PROPOSAL_FROM_ISSUE = "change_proposal.from_issue"
    DOCUMENT_UPLOADED = "change_document.uploaded"
    DOCUMENT_WITHDRAWN = "change_document.withdrawn"
    # -- the steps of the state machine (changes.states.machine)
    PROPOSAL_SUBMIT = "change_proposal.submit"
    PROPOSAL_REFER_TO_PANEL = "change_proposal.refer_to_panel"
    PROPOSAL_REFUSE_INCOMPLETE = "change_proposal.refuse_incomplete"
    PROPOSAL_PANEL_OVERRULE_REFUSAL = "change_proposal.panel_overrule_refusal"
    PROPOSAL_SCR_FLAG = "change_proposal.scr_flag"
    PROPOSAL_SCR_DIRECTION = "change_proposal.scr_direction"
    PROPOSAL_PANEL_ACCEPT = "change_proposal.panel_accept"
    PROPOSAL_PANEL_REFUSE = "change_proposal.panel_refuse"
    PROPOSAL_ASK_AUTHORITY = "change_proposal.ask_authority"
    PROPOSAL_AUTHORITY_DIRECT_ACCEPTANCE = "change_proposal.authority_direct_acceptance"
    PROPOSAL_AUTHORITY_DECLINE = "change_proposal.authority_decline"
    PROPOSAL_VARY_TIMETABLE = "change_proposal.vary_timetable"
    PROPOSAL_VETO_TIMETABLE_VARIATION = "change_proposal.veto_timetable_variation"
    PROPOSAL_AUTHORITY_TIMETABLE_DIRECTION = "change_proposal.authority_timetable_direction"
    PROPOSAL_AUTHORITY_PART_OPINION = "change_proposal.authority_part_opinion"
    PROPOSAL_DEFINITION_COMPLETE = "change_proposal.definition_complete"
    PROPOSAL_ISSUE_CHANGE_REPORT = "change_proposal.issue_change_report"
    PROPOSAL_SEND_BACK = "change_proposal.send_back"
    PROPOSAL_SUBMIT_TO_VOTE = "change_proposal.submit_to_vote"
    PROPOSAL_VOTING_OPEN = "change_proposal.voting_open"
    PROPOSAL_VOTE_DECLARED_RECOMMENDATION = "change_proposal.vote_declared_recommendation"
    PROPOSAL_VOTE_DECLARED_ACCEPTED = "change_proposal.vote_declared_accepted"
    PROPOSAL_VOTE_DECLARED_REJECTED = "change_proposal.vote_declared_rejected"
    PROPOSAL_VOTE_DECLARED_DATE_REJECTED = "change_proposal.vote_declared_date_rejected"
    PROPOSAL_AUTHORITY_ACCEPT = "change_proposal.authority_accept"
    PROPOSAL_AUTHORITY_REJECT = "change_proposal.authority_reject"
    PROPOSAL_AUTHORITY_SEND_BACK = "change_proposal.authority_send_back"
    PROPOSAL_APPEAL_LODGED = "change_proposal.appeal_lodged"
    PROPOSAL_APPEAL_WINDOW_CLOSE = "change_proposal.appeal_window_close"
    PROPOSAL_APPEAL_SCREENED_OUT = "change_proposal.appeal_screened_out"
    PROPOSAL_APPEAL_DISMISSED = "change_proposal.appeal_dismissed"
    PROPOSAL_APPEAL_QUASHED = "change_proposal.appeal_quashed"
    PROPOSAL_APPEAL_SENT_BACK = "change_proposal.appeal_sent_back"
    PROPOSAL_IMPLEMENTATION_PLAN_SET = "change_proposal.implementation_plan_set"
    PROPOSAL_IMPLEMENTATION_DATE_DIRECTED = "change_proposal.implementation_date_directed"
    PROPOSAL_MARK_IMPLEMENTED = "change_proposal.mark_implemented"
    PROPOSAL_WITHDRAW = "change_proposal.withdraw"
    PROPOSAL_ADOPT = "change_proposal.adopt"
    PROPOSAL_WITHDRAWAL_LAPSE = "change_proposal.withdrawal_lapse"
    PROPOSAL_BACKSTOP_WITHDRAW = "change_proposal.backstop_withdraw"
    PROPOSAL_SCR_SUSPEND = "change_proposal.scr_suspend"
    PROPOSAL_SCR_RESUME = "change_proposal.scr_resume"

    # -- Working Groups (11.14-11.18)
    WORKING_GROUP_CREATED = "working_group.created"
    WORKING_GROUP_MEMBER_ADDED = "working_group.member_added"
    WORKING_GROUP_MEMBER_LEFT = "working_group.member_left"
    WORKING_GROUP_NOMINEE_REPLACED = "working_group.nominee_replaced"
    WORKING_GROUP_MEETING_ADDED = "working_group.meeting_added"
    WORKING_GROUP_MEETING_VOIDED = "working_group.meeting_voided"
    WORKING_GROUP_MINUTES_RECORDED = "working_group.minutes_recorded"
    WORKING_GROUP_DISSOLVED = "working_group.dissolved"
    # -- consultations (11.14.1, 11.17, 11.20.6)
    CONSULTATION_OPENED = "consultation.opened"
    CONSULTATION_RESPONDED = "consultation.responded"
    CONSULTATION_DRAFT_SAVED = "consultation.draft_saved"
    CONSULTATION_SUBMITTED = "consultation.submitted"
    CONSULTATION_RESPONSE_CHANGED = "consultation.response_changed"
    CONSULTATION_LATE_ALLOWED = "consultation.late_allowed"
    CONSULTATION_INVITED = "consultation.invited"
    CONSULTATION_RESPONSE_VOIDED = "consultation.response_voided"
    CONSULTATION_CLOSED = "consultation.closed"
    CONSULTATION_SUMMARISED = "consultation.summarised"
    # -- Change Reports and alternatives (11.18-11.24)
    CHANGE_REPORT_CREATED = "change_report.created"
    CHANGE_REPORT_ALTERNATIVE_ADDED = "change_report.alternative_added"
    CHANGE_REPORT_SENT_TO_AUTHORITY = "change_report.sent_to_authority"
    CHANGE_REPORT_WAIT_EXEMPTED = "change_report.wait_exempted"
    ALTERNATIVE_PUT_FORWARD = "alternative.put_forward"
    ALTERNATIVE_WITHDRAWN = "alternative.withdrawn"
    # -- the Authority's decisions and directions, appeals (13.9-13.22, 14.9-14.11)
    AUTHORITY_AUTHORITY_ACCEPT = "authority_decision.authority_accept"
    AUTHORITY_AUTHORITY_REJECT = "authority_decision.authority_reject"
    AUTHORITY_AUTHORITY_SEND_BACK = "authority_decision.authority_send_back"
    AUTHORITY_AUTHORITY_DIRECT_ACCEPTANCE = "authority_decision.authority_direct_acceptance"
    AUTHORITY_AUTHORITY_DECLINE = "authority_decision.authority_decline"
    AUTHORITY_AUTHORITY_PART_OPINION = "authority_decision.authority_part_opinion"
    AUTHORITY_AUTHORITY_TIMETABLE_DIRECTION = "authority_decision.authority_timetable_direction"
    AUTHORITY_VETO_TIMETABLE_VARIATION = "authority_decision.veto_timetable_variation"
    AUTHORITY_SCR_DIRECTION = "authority_decision.scr_direction"
    AUTHORITY_SCR_SUSPEND = "authority_decision.scr_suspend"
    AUTHORITY_SCR_RESUME = "authority_decision.scr_resume"
    AUTHORITY_BACKSTOP_WITHDRAW = "authority_decision.backstop_withdraw"
    AUTHORITY_APPEAL_SCREENED_OUT = "authority_decision.appeal_screened_out"
    AUTHORITY_APPEAL_DISMISSED = "authority_decision.appeal_dismissed"
    AUTHORITY_APPEAL_QUASHED = "authority_decision.appeal_quashed"
    AUTHORITY_APPEAL_SENT_BACK = "authority_decision.appeal_sent_back"
    AUTHORITY_IMPLEMENTATION_DATE_DIRECTED = "authority_decision.implementation_date_directed"
    APPEAL_LODGED = "appeal.lodged"
    APPEAL_DECIDED = "appeal.decided"
    APPEAL_INTERIM_DIRECTIONS = "appeal.interim_directions"
    # -- implementation (14.6-14.7)
    IMPLEMENTATION_PLAN_SET = "implementation.plan_set"
    IMPLEMENTATION_ACTION_DONE = "implementation.action_done"
    # -- Significant Code Reviews (10.22-10.23)
    SCR_CREATED = "scr.created"
    SCR_ENDED = "scr.ended"

    @classmethod
    def for_step(cls, step: str) -> ChangeAction:
        """The event of a state machine step (ValueError for a step that does not exist)."""
        return cls(f"change_proposal.{step}")

    @classmethod
    def for_authority_decision(cls, step: str) -> ChangeAction:
        """The event of an Authority decision recorded with a step (ValueError if none)."""
        return cls(f"authority_decision.{step}")
