"""The panel app's models, one module per concept; every model is re-exported here.

people (users and roles), parties (the register), metering (N data), suspensions (54.3-54.4),
closure_days (Working Day calendar), records (audit trail, outbox), seats (Panel offices),
meetings, resolutions, sig (the Standing Issues Group).
"""

from .closure_days import ClosureDay
from .enrolment import EnrolmentCode
from .meetings import (
    AgendaItem,
    MeetingAttendance,
    MeetingObserver,
    MeetingPaper,
    MinutesObjection,
    PanelMeeting,
    PanelMinutes,
)
from .metering import CvaSite, MeteringSnapshot
from .notice_bodies import REQUIRED_NOTICE_BODIES, NoticeBody, NoticeBodyKind
from .parties import (
    CATEGORIES_WITH_N,
    Affiliation,
    Category,
    CorporateGroup,
    IdnoOtso,
    Party,
    PartyCategoryMembership,
    PartyRepresentative,
    PeriodQuerySet,
)
from .people import Role, User
from .records import AppendOnlyModel, AuditRecord, OutgoingMail
from .resolutions import (
    CLAUSE_54_KINDS,
    Resolution,
    ResolutionConflict,
    ResolutionKind,
    ResolutionVote,
)
from .seats import (
    SEATS,
    AppointedUnder,
    Constituency,
    EndReason,
    NonVotingAppointment,
    NonVotingBody,
    OfficeRole,
    PanelAppointment,
    PanelAppointmentQuerySet,
    PanelChair,
    PanelVacancy,
    term_end_for,
)
from .sig import IssueForm, SigChair, SigMeeting, SigOutcome
from .suspensions import Suspension

__all__ = [
    "REQUIRED_NOTICE_BODIES",
    "NoticeBody",
    "NoticeBodyKind",
    "CATEGORIES_WITH_N",
    "CLAUSE_54_KINDS",
    "SEATS",
    "Affiliation",
    "AgendaItem",
    "AppendOnlyModel",
    "AppointedUnder",
    "AuditRecord",
    "Category",
    "ClosureDay",
    "EnrolmentCode",
    "Constituency",
    "CorporateGroup",
    "CvaSite",
    "EndReason",
    "IdnoOtso",
    "IssueForm",
    "MeetingAttendance",
    "MeetingObserver",
    "MeetingPaper",
    "MeteringSnapshot",
    "MinutesObjection",
    "NonVotingAppointment",
    "NonVotingBody",
    "OfficeRole",
    "OutgoingMail",
    "PanelAppointment",
    "PanelAppointmentQuerySet",
    "PanelChair",
    "PanelMeeting",
    "PanelMinutes",
    "PanelVacancy",
    "Party",
    "PartyCategoryMembership",
    "PartyRepresentative",
    "PeriodQuerySet",
    "Resolution",
    "ResolutionConflict",
    "ResolutionKind",
    "ResolutionVote",
    "Role",
    "SigChair",
    "SigMeeting",
    "SigOutcome",
    "Suspension",
    "User",
    "term_end_for",
]
