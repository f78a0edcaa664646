"""The life of a Change Proposal (Clauses 9-11, 13, 14), one module per concept.

`ChangeProposal.status` is assigned only by `changes.services.proposals.proposal_transition`,
which consults `changes.states`. The Change Register and the timeline read `ProposalEvent`.
"""

from .consultations import (
    Consultation as Consultation,
)
from .consultations import (
    ConsultationAnswer as ConsultationAnswer,
)
from .consultations import (
    ConsultationInvitation as ConsultationInvitation,
)
from .consultations import (
    ConsultationQuestion as ConsultationQuestion,
)
from .consultations import (
    ConsultationResponse as ConsultationResponse,
)
from .decisions import (
    AppealRecord as AppealRecord,
)
from .decisions import (
    AuthorityDecision as AuthorityDecision,
)
from .documents import (
    ChangeDocument as ChangeDocument,
)
from .events import (
    Deadline as Deadline,
)
from .events import (
    ProposalEvent as ProposalEvent,
)
from .groups import (
    WorkingGroup as WorkingGroup,
)
from .groups import (
    WorkingGroupMeeting as WorkingGroupMeeting,
)
from .groups import (
    WorkingGroupMember as WorkingGroupMember,
)
from .implementation import (
    ImplementationAction as ImplementationAction,
)
from .implementation import (
    ImplementationDateChange as ImplementationDateChange,
)
from .implementation import (
    ImplementationPlan as ImplementationPlan,
)
from .proposals import (
    AUTHORITY_CHANGE_KINDS as AUTHORITY_CHANGE_KINDS,
)
from .proposals import (
    ELIGIBLE_CATEGORY_CODES as ELIGIBLE_CATEGORY_CODES,
)
from .proposals import (
    ChangeProposal as ChangeProposal,
)
from .proposals import (
    ChangeProposalQuerySet as ChangeProposalQuerySet,
)
from .proposals import (
    Objective as Objective,
)
from .proposals import (
    ProposerKind as ProposerKind,
)
from .register import (
    DeadlineDigest as DeadlineDigest,
)
from .register import (
    RegisterCopy as RegisterCopy,
)
from .reports import (
    AlternativeVariation as AlternativeVariation,
)
from .reports import (
    ChangeReport as ChangeReport,
)
from .reviews import (
    SignificantCodeReview as SignificantCodeReview,
)
from .voids import (
    Voidable as Voidable,
)
from .voids import (
    VoidableManager as VoidableManager,
)
