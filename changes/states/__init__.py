"""The state machine of a Change Proposal (Clauses 9-11, 13, 14).

`states` (the states and the sets of them the rules name), `actors` (who may act),
`transitions` (what a step is and the checks on taking it), `effects` (what each step validates
and applies), `machine` (the one table of steps) and `deadlines` (the deadline each state starts).
This package imports no models (models import `State` from here).
"""

from .actors import Actor as Actor
from .deadlines import DeadlineDue as DeadlineDue
from .deadlines import deadline_for as deadline_for
from .deadlines import panel_consideration_due as panel_consideration_due
from .effects import REQUIRED_FOR_SUBMISSION as REQUIRED_FOR_SUBMISSION
from .effects import add_months as add_months
from .effects import missing_for_submission as missing_for_submission
from .effects import validate_timetable as validate_timetable
from .machine import TRANSITIONS as TRANSITIONS
from .machine import TRANSITIONS_BY_ACTION as TRANSITIONS_BY_ACTION
from .machine import allowed_transitions as allowed_transitions
from .machine import transition as transition
from .states import ASSESSMENT_TIMETABLE_STATES as ASSESSMENT_TIMETABLE_STATES
from .states import BEFORE_VOTE as BEFORE_VOTE
from .states import IN_ASSESSMENT as IN_ASSESSMENT
from .states import LIVE as LIVE
from .states import NEEDS_DEADLINE as NEEDS_DEADLINE
from .states import ON_REGISTER as ON_REGISTER
from .states import TERMINAL as TERMINAL
from .states import RefusalGround as RefusalGround
from .states import State as State
from .transitions import Context as Context
from .transitions import Effect as Effect
from .transitions import Target as Target
from .transitions import Transition as Transition
from .transitions import check_allowed as check_allowed
