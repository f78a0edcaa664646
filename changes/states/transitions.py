"""What a step of the change process is: where it moves a proposal from and to, who may take it,
the clause, and the effect that validates and applies its data; and the checks on taking it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from panel.calendar import WorkingDayCalendar
from panel.errors import Conflict, DomainError, NotAllowed

from .actors import Actor
from .states import State


@dataclass
class Context:
    proposal: Any
    user: Any
    data: dict[str, Any]
    reason: str
    today: dt.date
    calendar: WorkingDayCalendar
    from_state: State
    transition: Transition

    def fail(self, message: str, *, field: str | None = None) -> DomainError:
        t = self.transition
        return DomainError(
            f"{self.proposal.reference}: {message} ({t.clause}).", field=field, rule=t.clause
        )


Effect = Callable[[Context], None]
Target = State | Callable[[Any], State]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # completes "only X may ..."
    moves: Mapping[State, Target]
    who: tuple[Actor, ...]
    clause: str
    effect: Effect | None = None
    reason_required: bool = False
    notice: str = ""  # the notice owed (changes.services.notices, templates/mail/changes/)

    @property
    def sources(self) -> frozenset[State]:
        return frozenset(self.moves)

    def target_for(self, proposal: Any, from_state: State) -> State:
        target = self.moves[from_state]
        return target(proposal) if callable(target) else target

    def who_label(self) -> str:
        names = [a.value for a in self.who if a is not Actor.SYSTEM]
        return " or ".join(names) if names else Actor.SYSTEM.value


def check_allowed(t: Transition, *, proposal: Any, user: Any) -> State:
    """The state reached, or a Conflict (wrong state) / NotAllowed (wrong person) naming the rule."""
    state = State(proposal.status)
    if state not in t.moves:
        allowed = ", ".join(f"'{s.label}'" for s in sorted(t.sources))
        raise Conflict(
            f"{proposal.reference} is '{state.label}'; {t.who_label()} may {t.label} only when "
            f"it is {allowed} ({t.clause}).",
            rule=t.clause,
        )
    if not any(actor.allows(user, proposal) for actor in t.who):
        raise NotAllowed(
            f"{proposal.reference} is '{state.label}'; only {t.who_label()} may {t.label} "
            f"({t.clause}).",
            rule=t.clause,
        )
    return state
