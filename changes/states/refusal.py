"""The Panel's refusal of a proposal (10.13-10.15, 10.22): its ground, and for a duplicate the
earlier proposal with the same effect, named on the Change Register (10.13)."""

from __future__ import annotations

import re

from .deadlines import add_months
from .states import TERMINAL, RefusalGround, State
from .transitions import Context

# The states of a proposal neither accepted nor rejected under Section 1C (10.13.1).
_NOT_YET_DECIDED = frozenset(
    set(State) - TERMINAL - {State.DRAFT, State.APPROVED, State.IMPLEMENTING}
)
_DCP_RE = re.compile(r"^\s*(?:DCP)?[\s_-]*([0-9]{1,9})\s*$", re.IGNORECASE)


def _earlier_with_same_effect(ctx: Context, reference: str) -> str:
    """The proposal a duplicate repeats (10.13): submitted earlier, and at the Panel's meeting
    (the step's day) either not yet accepted or rejected, or rejected within the two months
    before it. Returns its reference ("DCP 417")."""
    p = ctx.proposal
    match = _DCP_RE.match(reference)
    if not reference.strip():
        raise ctx.fail(
            "name the earlier proposal with the same effect (e.g. DCP 401)", field="duplicate_of"
        )
    if match is None:
        raise ctx.fail(
            f"'{reference}' is not a proposal's reference: write it as DCP and its number "
            "(e.g. DCP 401)",
            field="duplicate_of",
        )
    number = int(match.group(1))
    earlier = type(p)._default_manager.filter(number=number).exclude(pk=p.pk).first()
    if earlier is None:
        raise ctx.fail(f"there is no DCP {number} on the Change Register", field="duplicate_of")
    if earlier.submitted_on is None or (p.submitted_on and earlier.submitted_on >= p.submitted_on):
        raise ctx.fail(
            f"DCP {number} was not submitted before this proposal, so it cannot be duplicated",
            field="duplicate_of",
        )
    if earlier.status in _NOT_YET_DECIDED:
        return f"DCP {number}"
    if earlier.status == State.REJECTED:
        rejected = earlier.events.filter(to_state=State.REJECTED).order_by("-on").first()
        since = add_months(ctx.today, -2)
        if rejected is not None and rejected.on >= since:
            return f"DCP {number}"
        when = f" on {rejected.on:%d %B %Y}" if rejected is not None else ""
        raise ctx.fail(
            f"DCP {number} was rejected{when}, more than two months before this meeting "
            f"({since:%d %B %Y} or later is needed); it is no ground to refuse",
            field="duplicate_of",
        )
    raise ctx.fail(
        f"DCP {number} is '{earlier.get_status_display()}': only a proposal not yet accepted or "
        "rejected, or rejected within the two months before the meeting, is a ground to refuse",
        field="duplicate_of",
    )


def panel_refuse(ctx: Context) -> None:
    p, d = ctx.proposal, ctx.data
    if p.is_authority_change_proposal:
        raise ctx.fail(
            "the Panel may not refuse a Change Proposal submitted under Clause 10.2.5 (10.14A)"
        )
    if p.authority_directed_acceptance:
        raise ctx.fail("the Authority has directed the Panel to accept this proposal (10.21)")
    ground = d.get("ground")
    if ground not in RefusalGround.values:
        raise ctx.fail(
            "a refusal names its ground: duplicate (10.13), out of scope (10.14) or "
            "Significant Code Review (10.22)",
            field="ground",
        )
    if ground == RefusalGround.DUPLICATE:
        d["duplicate_of"] = _earlier_with_same_effect(ctx, str(d.get("duplicate_of") or ""))
    if ground == RefusalGround.SCR and p.scr_direction == "outside":
        raise ctx.fail("the Authority has directed this proposal is outside the Review (10.23)")
    p.refusal_ground = ground
