"""Panel resolutions that move a Change Proposal (7.19-7.23 with 10.12, 11.14, 11.22, 14.6).

The panel app records a resolution and, when it passes, calls the handler registered here inside
the same transaction (the panel app never imports changes). Each handler drives the one state
machine through the changes services, as the Secretariat that recorded the Panel's decision, on
the day the Panel decided. Anything the services refuse rolls the resolution back, with the
rule's words and a line saying the resolution was not recorded.

Payloads (`Resolution.payload`); the proposal is `target_ids[0]` (its id) or `payload["proposal"]`
(its reference, "DCP 417"):
- PART_DETERMINATION: {"part": 2, "definition_procedure": true, "urgent": false,
  "timetable": [{"stage": ..., "planned": "YYYY-MM-DD"}, ...]}
- WORKING_GROUP: {"name": ..., "terms_of_reference": ..., "chair_name": ...,
  "members": [{"name": ..., "organisation": ..., "party": id, "user": id,
  "is_proposer_nominee": false}, ...]}; {"standing": true} and no proposal for a standing group
- SEND_BACK: {"reason": ...} (else the resolution's text or title)
- SUBMIT_TO_VOTE: {} (the 7-day wait of 11.22.2 still applies)
- IMPLEMENTATION_TIMETABLE: {"implementation_date": "YYYY-MM-DD",
  "actions": [{"description": ..., "due_on": "YYYY-MM-DD"}, ...]}
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from panel.errors import Conflict, DomainError
from panel.models import Party, Resolution, ResolutionKind, User
from panel.services import register_resolution_handler

from .models import ChangeProposal
from .services import (
    MemberSpec,
    implementation_plan_set,
    proposal_transition,
    working_group_create,
)

_REFERENCE = re.compile(r"^\s*(?:DCP\s*)?(\d+)\s*$", re.IGNORECASE)


# -- reading the resolution -----------------------------------------------------------------


@contextmanager
def _carrying_out(resolution: Resolution) -> Iterator[None]:
    """A refusal keeps its kind (400/403/409), field and rule, and says the resolution is void."""
    try:
        yield
    except DomainError as exc:
        raise type(exc)(
            f"{exc.message} The resolution ({resolution.reference}) was not recorded.",
            field=exc.field,
            rule=exc.rule,
        ) from exc


def _payload(resolution: Resolution) -> dict[str, Any]:
    payload = resolution.payload or {}
    if not isinstance(payload, dict):
        raise DomainError("The resolution's payload must be a JSON object.", field="payload")
    return payload


def _actor(resolution: Resolution) -> User:
    if not resolution.passed:
        raise Conflict(f"{resolution.reference} did not pass: it changes nothing (7.19).")
    if resolution.recorded_by is None:
        raise DomainError(
            "A Panel decision on a Change Proposal is recorded by the Secretariat: "
            "say who recorded it.",
            field="recorded_by",
        )
    return resolution.recorded_by


def _by_reference(value: Any) -> ChangeProposal:
    match = _REFERENCE.match(str(value))
    if match is None:
        raise DomainError(
            f"'{value}' is not a Change Proposal reference (e.g. DCP 417).", field="proposal"
        )
    number = int(match.group(1))
    found = ChangeProposal.objects.filter(number=number).first()
    if found is None:
        raise DomainError(f"There is no DCP {number}.", field="proposal")
    return found


def _proposal(resolution: Resolution, *, required: bool = True) -> ChangeProposal | None:
    """The one Change Proposal the resolution is about: by id (target ids) or reference."""
    ids = list(resolution.target_ids or [])
    named = _payload(resolution).get("proposal")
    if len(ids) > 1:
        raise DomainError(
            "A resolution on a Change Proposal names one proposal: take one resolution each.",
            field="target_ids",
        )
    found: ChangeProposal | None = None
    if ids:
        if not isinstance(ids[0], int):
            raise DomainError("Target ids are Change Proposal ids (numbers).", field="target_ids")
        found = ChangeProposal.objects.filter(pk=ids[0]).first()
        if found is None:
            raise DomainError(f"No Change Proposal has id {ids[0]}.", field="target_ids")
    if named not in (None, ""):
        by_reference = _by_reference(named)
        if found is not None and found.pk != by_reference.pk:
            raise DomainError(
                f"The target id is {found.reference} but the payload names "
                f"{by_reference.reference}.",
                field="proposal",
            )
        found = by_reference
    if found is None and required:
        raise DomainError(
            "Name the Change Proposal the resolution is about: its id in the target ids, or "
            'its reference in the payload ({"proposal": "DCP 417"}).',
            field="target_ids",
        )
    return found


def _reason(resolution: Resolution) -> str:
    why = str(_payload(resolution).get("reason") or resolution.text or resolution.title).strip()
    return f"{why} (Panel resolution {resolution.reference})"


def _date(payload: dict[str, Any], key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(payload[key]))
    except (KeyError, ValueError) as exc:
        raise DomainError(f"Give '{key}' as a date (YYYY-MM-DD).", field=key) from exc


def _move(resolution: Resolution, action: str, **data: Any) -> ChangeProposal:
    proposal = _proposal(resolution)
    assert proposal is not None
    return proposal_transition(
        proposal=proposal,
        action=action,
        by=_actor(resolution),
        reason=_reason(resolution),
        today=resolution.decided_on,
        resolution=resolution.reference,
        **data,
    )


# -- the handlers -----------------------------------------------------------------------------


def carry_out_part_determination(resolution: Resolution) -> str:
    """Accept into the Assessment Process: Part 1 or 2, Definition Procedure, timetable (11.3-11.11)."""
    payload = _payload(resolution)
    data = {
        key: payload[key]
        for key in ("part", "definition_procedure", "urgent", "timetable")
        if key in payload
    }
    with _carrying_out(resolution):
        p = _move(resolution, "panel_accept", **data)
    route = (
        "the Definition Procedure (Working Group)"
        if p.definition_procedure
        else "the Report Phase without a Definition Procedure"
    )
    urgent = " Urgent" if p.urgent else ""
    return (
        f"{p.reference} accepted into the Assessment Process as a{urgent} Part {p.part} Matter, "
        f"to {route} (resolution {resolution.reference})."
    )


def _members(raw: Any) -> list[MemberSpec]:
    if not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
        raise DomainError(
            'List the members: [{"name": ..., "organisation": ...}, ...] (11.15).', field="members"
        )
    party_ids = {m["party"] for m in raw if m.get("party")}
    user_ids = {m["user"] for m in raw if m.get("user")}
    parties = Party.objects.in_bulk(party_ids)
    users = User.objects.in_bulk(user_ids)
    unknown = [str(i) for i in party_ids if i not in parties]
    unknown += [f"user {i}" for i in user_ids if i not in users]
    if unknown:
        raise DomainError(f"Unknown Party or user ids: {', '.join(unknown)}.", field="members")
    specs = []
    for m in raw:
        name, organisation = str(m.get("name", "")).strip(), str(m.get("organisation", "")).strip()
        if not name or not organisation:
            raise DomainError("Each member needs a name and an organisation.", field="members")
        specs.append(
            MemberSpec(
                name=name,
                organisation=organisation,
                party=parties.get(m.get("party")),
                user=users.get(m.get("user")),
                is_proposer_nominee=bool(m.get("is_proposer_nominee", False)),
            )
        )
    return specs


def carry_out_working_group(resolution: Resolution) -> str:
    """Establish a Working Group with its terms of reference and members (11.14-11.15, 7.24)."""
    payload = _payload(resolution)
    with _carrying_out(resolution):
        standing = bool(payload.get("standing", False))
        proposal = _proposal(resolution, required=not standing)
        name = str(payload.get("name") or "").strip()
        if not name:
            name = f"{proposal.reference} Working Group" if proposal else ""
        if not name:
            raise DomainError("Name the standing Working Group.", field="name")
        group = working_group_create(
            by=_actor(resolution),
            proposal=proposal,
            name=name,
            terms_of_reference=str(payload.get("terms_of_reference") or ""),
            members=_members(payload.get("members")),
            chair_name=str(payload.get("chair_name") or ""),
            standing=standing and proposal is None,
            created_on=resolution.decided_on,
        )
    n = group.members.count()
    what = f"for {proposal.reference}" if proposal else "as a standing Working Group"
    return f"{group.name} set up {what} with {n} members (resolution {resolution.reference})."


def carry_out_send_back(resolution: Resolution) -> str:
    """The Panel sends the Change Report back to the Working Group, or a new one (11.22.1)."""
    with _carrying_out(resolution):
        p = _move(resolution, "send_back")
    group = p.working_groups.filter(dissolved_on__isnull=True).first()
    to = f"to {group.name}" if group else "for a Working Group (none is live: set one up)"
    return f"{p.reference}'s Change Report sent back {to} (resolution {resolution.reference})."


def carry_out_submit_to_vote(resolution: Resolution) -> str:
    """Submit the Change Report to the Voting Procedure; the 7-day wait still applies (11.22.2)."""
    with _carrying_out(resolution):
        p = _move(resolution, "submit_to_vote")
    return f"{p.reference} submitted to the vote (resolution {resolution.reference})."


def _actions(raw: Any) -> list[tuple[str, dt.date]]:
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise DomainError(
            'List the actions: [{"description": ..., "due_on": "YYYY-MM-DD"}, ...] (14.6).',
            field="actions",
        )
    actions = []
    for a in raw:
        description = str(a.get("description", "")).strip()
        if not description:
            raise DomainError("Describe each implementation action (14.6).", field="actions")
        actions.append((description, _date(a, "due_on")))
    return actions


def carry_out_implementation_timetable(resolution: Resolution) -> str:
    """The actions required to implement, with a timetable for each (14.6)."""
    payload = _payload(resolution)
    with _carrying_out(resolution):
        proposal = _proposal(resolution)
        assert proposal is not None
        plan = implementation_plan_set(
            proposal=proposal,
            by=_actor(resolution),
            implementation_date=_date(payload, "implementation_date"),
            actions=_actions(payload.get("actions")),
            set_on=resolution.decided_on,
        )
    n = plan.actions.filter(superseded_on=None).count()
    return (
        f"{proposal.reference}: implementation plan of {n} action{'s' if n != 1 else ''} set "
        f"for {plan.implementation_date:%d %B %Y} (resolution {resolution.reference})."
    )


HANDLERS: dict[str, Callable[[Resolution], str]] = {
    ResolutionKind.PART_DETERMINATION: carry_out_part_determination,
    ResolutionKind.WORKING_GROUP: carry_out_working_group,
    ResolutionKind.SEND_BACK: carry_out_send_back,
    ResolutionKind.SUBMIT_TO_VOTE: carry_out_submit_to_vote,
    ResolutionKind.IMPLEMENTATION_TIMETABLE: carry_out_implementation_timetable,
}


def register_resolution_handlers() -> None:
    """Called from ChangesConfig.ready(); safe to call again (a later call replaces)."""
    for kind, handler in HANDLERS.items():
        register_resolution_handler(kind, handler)
