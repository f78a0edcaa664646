"""The frozen roll of a ballot (12.3, 12.12), and what happened to its Parties' rights while the
vote was open (54.3-54.4, Clause 4, 12.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from panel.audit import audit_record
from panel.models import (
    CATEGORIES_WITH_N,
    Category,
    PartyCategoryMembership,
    Suspension,
    User,
)
from panel.selectors import Purpose, groups_of

from ..audit import VotingAction
from ..cast_rules import RIGHT_LOST_RULES, LostRight
from ..models import Ballot, RightLost, RollEntry, RollMember, RollRightLost


def _no_n_warning(category: Category, group_name: str, party_name: str) -> str:
    data = "CVA sites in its Party Details" if category == Category.CVA else "metering snapshot"
    return (
        f"{party_name} ({group_name}, {category.label}) has no {data} on or before the day of the "
        "vote: its N counts as 0 (12.12)."
    )


def freeze_roll(
    ballot: Ballot, eligible: Sequence[str], purpose: Purpose, by: User | None = None
) -> list[RollEntry]:
    """Write the roll: each eligible category's Groups on the day of the vote, with N (12.3, 12.12).

    Suspended Parties are not members (54.4); a Group left with no member is not on the roll.
    IDNO and OTSO Parties are kept or dropped by their own eligibility. Each member records the
    snapshot that gave its N; a Party with none is a warning for the Secretariat, kept on the
    ballot (`roll_warnings`) and audited.
    """
    entries: list[RollEntry] = []
    members: list[list[Any]] = []
    warnings: list[str] = []
    for category in Category:
        if category == Category.IDNO_OTSO:
            allowed = {s for s in ("IDNO", "OTSO") if s in eligible}
        else:
            allowed = {""} if category.value in eligible else set()
        if not allowed:
            continue
        for group in groups_of(category, ballot.roll_date, purpose):
            kept = [
                m for m in group.members if category != Category.IDNO_OTSO or m.idno_otso in allowed
            ]
            if not kept:
                continue
            has_n = category in CATEGORIES_WITH_N
            n = sum(m.n or 0 for m in kept) if has_n else None
            if has_n:
                warnings += [
                    _no_n_warning(category, group.name, m.name) for m in kept if not m.n_source
                ]
            entries.append(
                RollEntry(
                    ballot=ballot,
                    category=category,
                    group_key=group.key,
                    group_name=group.name,
                    n=n,
                )
            )
            members.append(kept)
    RollEntry.objects.bulk_create(entries)
    RollMember.objects.bulk_create(
        RollMember(
            roll_entry=entry,
            party_id=m.party_id,
            idno_otso=m.idno_otso,
            n=m.n,
            snapshot_id=m.snapshot_id,
            n_source=m.n_source,
        )
        for entry, kept in zip(entries, members, strict=True)
        for m in kept
    )
    if warnings:
        ballot.roll_warnings = warnings
        Ballot.objects.filter(pk=ballot.pk).update(roll_warnings=warnings)
        audit_record(
            actor=by,
            action=VotingAction.ROLL_WARNING,
            target=ballot,
            data={"warnings": warnings},
        )
    return entries


def _suspended(day: dt.date, since: dt.date | None = None) -> Exists:
    """The Party of the outer roll member is suspended on `day` (or on any day from `since`)."""
    rows = Suspension.objects.filter(party_id=OuterRef("party_id"), valid_from__lte=day)
    return Exists(rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=since or day)))


def _in_category(day: dt.date) -> Exists:
    """The Party of the outer roll member holds the roll Group's category on `day`."""
    return Exists(
        PartyCategoryMembership.objects.on(day).filter(
            party_id=OuterRef("party_id"),
            category=OuterRef("roll_entry__category"),
            idno_otso=OuterRef("idno_otso"),
        )
    )


def _lost_q(day: dt.date, since: dt.date | None = None) -> dict[str, Any]:
    """Annotations on RollMember rows: which right its Party has lost on `day`."""
    return {"lost_suspended": _suspended(day, since), "lost_category": ~_in_category(day)}


def with_right(members: QuerySet[RollMember], day: dt.date) -> QuerySet[RollMember]:
    """The roll members whose Party still has the right to vote on the day: not terminated
    (Clause 4), not the CMR Coordinator (12.2), not suspended (54.4), still in the category."""
    return (
        members.filter(~_suspended(day), _in_category(day))
        .filter(party__is_crowded_meter_room_coordinator=False)
        .exclude(party__termination_date__lt=day)
    )


def _reasons(row: Any, day: dt.date) -> list[str]:
    reasons = []
    if row.party.termination_date is not None and row.party.termination_date < day:
        reasons.append(RightLost.TERMINATED)
    if row.party.is_crowded_meter_room_coordinator:
        reasons.append(RightLost.CMR)
    if row.lost_suspended:
        reasons.append(RightLost.SUSPENDED)
    if row.lost_category:
        reasons.append(RightLost.CATEGORY)
    return [str(r) for r in reasons]


def voter_rights_lost(*, roll_entry_id: int, user_id: int, day: dt.date) -> list[LostRight]:
    """One query, read only when a cast found the voter's every Party without the right: what
    each of the voter's member Parties of the Group has lost on the day."""
    rows = (
        RollMember.objects.filter(
            roll_entry_id=roll_entry_id,
            party__representatives__user_id=user_id,
            party__representatives__authorised_voter=True,
            party__representatives__confirmed_at__isnull=False,
        )
        .select_related("party")
        .annotate(**_lost_q(day))
        .order_by("party__name")
    )
    return [
        LostRight(row.pk, row.party_id, row.party.name, reason)
        for row in rows
        for reason in _reasons(row, day)
    ]


def rights_lost_note(
    *, ballot_id: int, lost: Iterable[LostRight], now: dt.datetime, label: str = ""
) -> int:
    """Write (once each) what the roll members lost, in a transaction of its own so that the
    refusal of the cast that found it does not undo it; audited. Returns how many were new."""
    written = 0
    for item in lost:
        with transaction.atomic():
            note, created = RollRightLost.objects.get_or_create(
                roll_member_id=item.roll_member_id,
                reason=item.reason,
                defaults={
                    "ballot_id": ballot_id,
                    "noted_at": now,
                    "detail": f"{item.party_name}: {RightLost(item.reason).label}",
                },
            )
            if created:
                written += 1
                audit_record(
                    actor=None,
                    action=VotingAction.ROLL_RIGHT_LOST,
                    target=note,
                    data={
                        "ballot": ballot_id,
                        "party": item.party_id,
                        "reason": item.reason,
                        "rule": RIGHT_LOST_RULES[item.reason],
                    },
                    label=f"{item.party_name}{' in ' + label if label else ''}",
                )
    return written


def rights_lost_at_close(ballot: Ballot, now: dt.datetime) -> list[dict[str, Any]]:
    """Record (once) every roll member that lost its right to vote while the ballot was open and
    return the notes the declaration lists: [{"group", "category", "party", "reason", "rule"}].

    Three reads whatever the size of the roll (the members with what they lost, the notes
    already made, the notes), then a write per new note.
    """
    end = min(now, ballot.closed_at or ballot.closes_at, ballot.closes_at)
    day = timezone.localdate(end)
    since = timezone.localdate(ballot.opens_at)
    rows = (
        RollMember.objects.filter(roll_entry__ballot=ballot)
        .select_related("party", "roll_entry")
        .annotate(**_lost_q(day, since))
    )
    lost = [
        LostRight(row.pk, row.party_id, row.party.name, reason)
        for row in rows
        for reason in _reasons(row, day)
    ]
    if lost:
        known = set(
            RollRightLost.objects.filter(ballot=ballot).values_list("roll_member_id", "reason")
        )
        fresh = [item for item in lost if (item.roll_member_id, item.reason) not in known]
        rights_lost_note(ballot_id=ballot.pk, lost=fresh, now=now)
    notes = (
        RollRightLost.objects.filter(ballot=ballot)
        .select_related("roll_member__party", "roll_member__roll_entry")
        .order_by("roll_member__roll_entry__category", "roll_member__roll_entry__group_name", "pk")
    )
    return [
        {
            "group": note.roll_member.roll_entry.group_name,
            "category": note.roll_member.roll_entry.category,
            "party": note.roll_member.party.name,
            "reason": RightLost(note.reason).label,
            "rule": RIGHT_LOST_RULES[note.reason],
        }
        for note in notes
    ]
