"""The voting app's records, by concept: ballots and questions, the frozen roll, votes and the
vote log, declarations and reminders, Panel elections."""

from .ballots import ACCEPT as ACCEPT
from .ballots import ELIGIBLE_CHOICES as ELIGIBLE_CHOICES
from .ballots import REJECT as REJECT
from .ballots import Ballot as Ballot
from .ballots import BallotKind as BallotKind
from .ballots import BallotStatus as BallotStatus
from .ballots import Matter as Matter
from .ballots import Question as Question
from .ballots import QuestionKind as QuestionKind
from .ballots import normalise_choice as normalise_choice
from .declarations import Declaration as Declaration
from .declarations import Reminder as Reminder
from .elections import ELECTED_CONSTITUENCIES as ELECTED_CONSTITUENCIES
from .elections import Election as Election
from .elections import ElectionResult as ElectionResult
from .elections import ElectionRound as ElectionRound
from .elections import ElectionStatus as ElectionStatus
from .elections import Nomination as Nomination
from .integrity import BallotCheck as BallotCheck
from .integrity import CheckOccasion as CheckOccasion
from .integrity import FaultDecision as FaultDecision
from .integrity import FaultOutcome as FaultOutcome
from .roll import RightLost as RightLost
from .roll import RollEntry as RollEntry
from .roll import RollMember as RollMember
from .roll import RollRightLost as RollRightLost
from .votes import ReceiptCursor as ReceiptCursor
from .votes import Vote as Vote
from .votes import VoteLogEntry as VoteLogEntry
