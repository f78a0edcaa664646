"""Reads that pages, the API and services share: the register (Parties, Groups, N) and the
Panel's business (members, meetings, minutes, resolutions, the Standing Issues Group)."""

from __future__ import annotations

from .business import (
    NOTICE_WORKING_DAYS as NOTICE_WORKING_DAYS,
)
from .business import (
    attendance_records as attendance_records,
)
from .business import (
    clause_54_disqualified as clause_54_disqualified,
)
from .business import (
    current_panel_chair as current_panel_chair,
)
from .business import (
    duly_convened as duly_convened,
)
from .business import (
    held_duly_convened_meetings as held_duly_convened_meetings,
)
from .business import (
    issue_form_as_proposal_fields as issue_form_as_proposal_fields,
)
from .business import (
    issue_forms as issue_forms,
)
from .business import (
    later_meetings as later_meetings,
)
from .business import (
    live_appointments as live_appointments,
)
from .business import (
    live_members as live_members,
)
from .business import (
    meeting_attendees as meeting_attendees,
)
from .business import (
    meeting_detail as meeting_detail,
)
from .business import (
    meeting_minutes as meeting_minutes,
)
from .business import (
    meeting_quorum as meeting_quorum,
)
from .business import (
    meetings_list as meetings_list,
)
from .business import (
    member_offices as member_offices,
)
from .business import (
    next_meeting_warning as next_meeting_warning,
)
from .business import (
    next_open_meeting as next_open_meeting,
)
from .business import (
    next_sig_meeting as next_sig_meeting,
)
from .business import (
    panel_people_emails as panel_people_emails,
)
from .business import (
    public_minutes as public_minutes,
)
from .business import (
    public_register as public_register,
)
from .business import (
    register_history as register_history,
)
from .business import (
    sig_meeting_detail as sig_meeting_detail,
)
from .business import (
    sig_meetings as sig_meetings,
)
from .business import (
    written_resolutions as written_resolutions,
)
from .register import (
    Group as Group,
)
from .register import (
    GroupMember as GroupMember,
)
from .register import (
    Purpose as Purpose,
)
from .register import (
    can_see_group_n as can_see_group_n,
)
from .register import (
    groups_of as groups_of,
)
from .register import (
    metering_n as metering_n,
)
from .register import (
    parties_in_category as parties_in_category,
)
from .register import (
    parties_on as parties_on,
)
from .register import (
    party_notice_emails as party_notice_emails,
)
from .register import (
    public_parties as public_parties,
)
from .register import (
    suspended_party_ids as suspended_party_ids,
)
from .register import (
    visible_metering_party_ids as visible_metering_party_ids,
)
