"""Services of the change process: every write goes through one of these.

Each checks who may act (`panel.access`), validates, writes in one transaction with its audit
record (`changes.audit.ChangeAction`) and owes its e-mail through `panel.mail`. Moving a proposal
is always `proposal_transition` (`steps`), or a named service that calls it; the steps, who may
take them and their rules are in `changes.states.machine`.
"""

from .alternatives import (
    alternative_put_forward,
    alternative_withdraw,
    change_report_add_alternative,
)
from .appeals import appeal_decide, appeal_interim_directions, appeal_lodge
from .authority import proposal_authority_decide, proposal_authority_direct
from .consultations import (
    consultation_close,
    consultation_open,
    consultation_respond,
    consultation_response_void,
    consultation_summarise,
)
from .documents import Upload, document_withdraw, documents_attach, proposal_attach_document
from .groups import (
    MemberSpec,
    working_group_add_meeting,
    working_group_add_member,
    working_group_create,
    working_group_dissolve,
    working_group_meeting_void,
    working_group_record_minutes,
    working_group_remove_member,
    working_group_replace_nominee,
)
from .implementation import (
    implementation_action_done,
    implementation_date_direct,
    implementation_plan_set,
)
from .proposals import (
    ensure_may_raise,
    party_standing_problem,
    proposal_draft_delete,
    proposal_save_draft,
    proposal_submit,
)
from .reports import (
    change_report_create,
    change_report_exempt_wait,
    change_report_send_to_authority,
    earliest_vote_date,
)
from .responding import (
    consultation_allow_late,
    consultation_invite,
    consultation_save_draft,
    consultation_submit,
)
from .reviews import proposal_flag_scr, scr_create, scr_end
from .steps import proposal_transition
from .votes import proposal_vote_declared, proposal_voting_opened
from .withdrawal import proposal_adopt, proposal_backstop_withdraw, proposal_withdraw

__all__ = [
    "Upload",
    "documents_attach",
    "MemberSpec",
    "alternative_put_forward",
    "alternative_withdraw",
    "appeal_decide",
    "appeal_interim_directions",
    "appeal_lodge",
    "change_report_add_alternative",
    "change_report_create",
    "change_report_exempt_wait",
    "change_report_send_to_authority",
    "consultation_close",
    "consultation_allow_late",
    "consultation_invite",
    "consultation_open",
    "consultation_save_draft",
    "consultation_submit",
    "consultation_respond",
    "consultation_response_void",
    "consultation_summarise",
    "document_withdraw",
    "earliest_vote_date",
    "ensure_may_raise",
    "implementation_action_done",
    "implementation_date_direct",
    "implementation_plan_set",
    "party_standing_problem",
    "proposal_adopt",
    "proposal_attach_document",
    "proposal_authority_decide",
    "proposal_authority_direct",
    "proposal_backstop_withdraw",
    "proposal_flag_scr",
    "proposal_draft_delete",
    "proposal_save_draft",
    "proposal_submit",
    "proposal_transition",
    "proposal_vote_declared",
    "proposal_voting_opened",
    "proposal_withdraw",
    "scr_create",
    "scr_end",
    "working_group_add_meeting",
    "working_group_add_member",
    "working_group_create",
    "working_group_dissolve",
    "working_group_meeting_void",
    "working_group_record_minutes",
    "working_group_remove_member",
    "working_group_replace_nominee",
]
