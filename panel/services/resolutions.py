"""Panel resolutions at a meeting (7.19, 7.23) or in writing (7.20), and what they carry out.

Suspension, restoration and the Panel Chair are carried out here (`effects`); change-proposal
kinds by handlers the changes app registers from its AppConfig.ready()
(`register_resolution_handler`): the panel app never imports changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction

from ..audit import PanelAction, audit_record
from ..errors import DomainError
from ..models import (
    CLAUSE_54_KINDS,
    PanelMeeting,
    Party,
    Resolution,
    ResolutionConflict,
    ResolutionKind,
    ResolutionVote,
    User,
)
from ..panel_rules import (
    Decision,
    QuorumResult,
    assess_quorum,
    decide_panel_chair,
    decide_resolution,
    decide_written_resolution,
    seat_holders,
)
from ..selectors import clause_54_disqualified, meeting_attendees, member_offices
from .common import audited_save, ensure_secretariat, today
from .effects import BUILT_IN_EFFECTS
from .notices import clause_54_notify


class NoQuorum(DomainError):
    http_status = 409


def ensure_quorate(quorum: QuorumResult, *, clause_54: bool = False) -> None:
    """Refuse business without a quorum (7.10), or without one once 54.7 excludes members."""
    if quorum.quorate:
        return
    if clause_54:
        raise NoQuorum(
            "Without the Panel Members disqualified under 54.7 there is no quorum. "
            + quorum.explanation,
            rule="54.7",
        )
    raise NoQuorum(
        "No business may be transacted without a quorum (7.10). " + quorum.explanation,
        rule="7.10",
    )


# --- resolution handlers registered by higher apps ---

ResolutionHandler = Callable[[Resolution], str | None]
_HANDLERS: dict[str, ResolutionHandler] = {}


def register_resolution_handler(kind: str, handler: ResolutionHandler) -> None:
    """Let a higher app (changes) carry out a kind of resolution when it passes.

    The handler runs inside the transaction that records the resolution; raising rolls the
    resolution back. It returns a line describing what it did (stored in `Resolution.effect`).
    """
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS or kind == ResolutionKind.PANEL_CHAIR:
        raise ValueError(
            "Suspension, restoration and the Panel Chair are carried out by the panel app itself."
        )
    _HANDLERS[kind] = handler


def unregister_resolution_handler(kind: str) -> None:
    _HANDLERS.pop(kind, None)


def _next_reference(meeting: PanelMeeting | None, written_on: dt.date) -> str:
    if meeting is not None:
        n = meeting.resolutions.count() + 1
        return f"{meeting.reference} R{n}"
    n = Resolution.objects.filter(written=True, decided_on__year=written_on.year).count() + 1
    return f"Written {written_on.year}-W{n}"


def resolution_take(
    *,
    by: User,
    meeting: PanelMeeting,
    kind: str,
    title: str,
    votes: Mapping[int, str],
    text: str = "",
    payload: dict[str, Any] | None = None,
    target_ids: Sequence[int] = (),
    target_party: Party | None = None,
) -> Resolution:
    """Record a resolution with each Panel Member's vote; refused without a quorum (7.10).

    `votes` maps each Panel Member office (appointment id) present to FOR/AGAINST/ABSTAIN.
    """
    ensure_secretariat(by, doing="record a Panel resolution (7.23)")
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS and target_party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    with transaction.atomic():
        meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        offices = member_offices(meeting.meeting_date)
        attendees = meeting_attendees(meeting)
        quorum = assess_quorum(seat_holders(offices, attendees))
        ensure_quorate(quorum)
        disqualified: set[int] = set()
        if kind in CLAUSE_54_KINDS:
            assert target_party is not None
            disqualified = clause_54_disqualified(target_party.pk, meeting.meeting_date)
            quorum = assess_quorum(seat_holders(offices, attendees, disqualified))
            ensure_quorate(quorum, clause_54=True)
        acting = {h.member_id: h for h in quorum.holders}
        missing = [h.acting_name for h in quorum.holders if h.member_id not in votes]
        if missing:
            raise DomainError(
                "Record how each Panel Member present voted (7.23): missing "
                + ", ".join(missing)
                + ".",
                field="votes",
            )
        extra = set(votes) - set(acting)
        if extra:
            raise DomainError(
                "Votes were given for offices not acting at this meeting (absent, or "
                "disqualified under 54.7).",
                field="votes",
            )
        if kind == ResolutionKind.PANEL_CHAIR:
            decision = decide_panel_chair(len(offices), votes)
        else:
            decision = decide_resolution(len(acting), votes)
        resolution = _resolution_create(
            by=by,
            meeting=meeting,
            decided_on=meeting.meeting_date,
            decision=decision,
            kind=kind,
            title=title,
            text=text,
            payload=payload,
            target_ids=target_ids,
            target_party=target_party,
        )
        ResolutionVote.objects.bulk_create(
            ResolutionVote(
                resolution=resolution,
                member_id=member_id,
                cast_by_id=acting[member_id].acting_id,
                choice=choice,
            )
            for member_id, choice in votes.items()
        )
        present_ids = {a.appointment_id for a in attendees}
        ResolutionConflict.objects.bulk_create(
            ResolutionConflict(
                resolution=resolution,
                appointment_id=pk,
                note="Employed by the Breaching Party or an Affiliate: does not act (54.7).",
                excluded=True,
            )
            for pk in sorted(disqualified & present_ids)
        )
        audit_record(
            actor=by,
            action=PanelAction.RESOLUTION_TAKEN,
            target=resolution,
            data={"kind": kind, "passed": decision.passed, "votes": dict(votes)},
        )
        if decision.passed:
            _carry_out(resolution, by=by)
    return resolution


def written_resolution_take(
    *,
    by: User,
    kind: str,
    title: str,
    signed_for: Sequence[int],
    decided_on: dt.date | None = None,
    text: str = "",
    payload: dict[str, Any] | None = None,
    target_ids: Sequence[int] = (),
    target_party: Party | None = None,
    refuse_unless_all_signed: bool = False,
) -> Resolution:
    """A resolution in writing signed by or on behalf of all the Panel Members (7.20).

    `signed_for`: the Panel Member offices (appointment ids) whose signature was received.
    With `refuse_unless_all_signed` an incomplete one is refused rather than recorded as not passed.
    """
    ensure_secretariat(by, doing="record a written resolution (7.20)")
    kind = ResolutionKind(kind)
    if kind in CLAUSE_54_KINDS and target_party is None:
        raise DomainError("Name the Breaching Party (54.3).", field="target_party")
    if kind == ResolutionKind.PANEL_CHAIR:
        raise DomainError("Choose the Panel Chair at a meeting (7.1).", field="kind")
    decided_on = decided_on or today()
    with transaction.atomic():
        live = member_offices(decided_on)
        offices = [o.member_id for o in live]
        decision = decide_written_resolution(offices, signed_for)
        if refuse_unless_all_signed and not decision.passed:
            unsigned = [o.name for o in live if o.member_id not in set(signed_for)]
            raise DomainError(
                "A written resolution is valid only when signed by or on behalf of all the "
                "Panel Members (7.20): not signed by " + ", ".join(unsigned or ["anyone"]) + ".",
                field="signed_for",
                rule="7.20",
            )
        resolution = _resolution_create(
            by=by,
            meeting=None,
            decided_on=decided_on,
            decision=decision,
            kind=kind,
            title=title,
            text=text,
            payload=payload,
            target_ids=target_ids,
            target_party=target_party,
        )
        ResolutionVote.objects.bulk_create(
            ResolutionVote(resolution=resolution, member_id=pk, cast_by_id=pk, choice="FOR")
            for pk in sorted(set(signed_for) & set(offices))
        )
        audit_record(actor=by, action=PanelAction.RESOLUTION_WRITTEN, target=resolution)
        if decision.passed:
            _carry_out(resolution, by=by)
    return resolution


def _resolution_create(
    *,
    by: User,
    meeting: PanelMeeting | None,
    decided_on: dt.date,
    decision: Decision,
    kind: str,
    title: str,
    text: str,
    payload: dict[str, Any] | None,
    target_ids: Sequence[int],
    target_party: Party | None,
) -> Resolution:
    """The record of a decision taken at `meeting`, or in writing (7.20) when it is None."""
    return Resolution.objects.create(
        meeting=meeting,
        written=meeting is None,
        reference=_next_reference(meeting, decided_on),
        kind=kind,
        title=title,
        text=text,
        payload=payload or {},
        target_ids=list(target_ids),
        target_party=target_party,
        passed=decision.passed,
        present=decision.present,
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        abstentions=decision.abstentions,
        outcome=decision.outcome,
        decided_on=decided_on,
        recorded_by=by,
    )


def _carry_out(resolution: Resolution, *, by: User) -> None:
    effect_of = BUILT_IN_EFFECTS.get(resolution.kind)
    if effect_of is not None:
        effect = effect_of(resolution, by)
    else:
        handler = _HANDLERS.get(resolution.kind)
        if resolution.kind == ResolutionKind.GENERAL:
            effect = "Resolution recorded."
        elif handler is None:
            effect = (
                "Resolution recorded only: no handler is registered for "
                f"'{resolution.get_kind_display()}' resolutions."
            )
        else:
            effect = handler(resolution) or "Carried out."
    resolution.effect = effect
    audited_save(
        resolution,
        ["effect"],
        by=by,
        action=PanelAction.RESOLUTION_CARRIED_OUT,
        data={"effect": effect},
    )
    if resolution.kind in CLAUSE_54_KINDS:
        clause_54_notify(resolution, by=by)
