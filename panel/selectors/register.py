"""Reads of the register that pages, the API and the voting capability share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import QuerySet

from ..models import (
    CATEGORIES_WITH_N,
    Affiliation,
    Category,
    CvaSite,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    Suspension,
    User,
)


class Purpose(StrEnum):
    """Why Groups are formed: DNO Parties vote alone in change votes (12.3), not in elections (6.2)."""

    CHANGE_VOTE = "change_vote"
    ELECTION = "election"


@dataclass(frozen=True)
class GroupMember:
    party_id: int
    short_code: str
    name: str
    idno_otso: str = ""
    n: int | None = None
    # Where N came from (12.12): the metering snapshot's id, and in words; "" when none was found.
    snapshot_id: int | None = None
    n_source: str = ""


@dataclass(frozen=True)
class NSource:
    """A Party's N on a day and where it came from (12.12)."""

    n: int
    snapshot_id: int | None
    source: str


@dataclass(frozen=True)
class Group:
    """A Party with its Affiliates in the same category (definition of Group; 12.3).

    `key` is stable across dates for the same corporate group (or lone Party), so a frozen
    roll and later reads agree. `suspended_members` are Parties of the group whose rights are
    suspended on the day (54.4): they are treated as if they were not Parties, so they are not
    members and their N does not count; a Group whose every Party is suspended does not vote.
    """

    key: str
    name: str
    category: str
    members: tuple[GroupMember, ...]
    suspended_members: tuple[GroupMember, ...] = field(default=())
    n: int | None = None

    @property
    def can_vote(self) -> bool:
        return bool(self.members)

    @property
    def party_ids(self) -> tuple[int, ...]:
        return tuple(m.party_id for m in self.members)


def parties_in_category(category: str, on: dt.date) -> QuerySet[PartyCategoryMembership]:
    """The category's Parties on a day; never the Crowded Meter Room Coordinator (12.2)."""
    return (
        PartyCategoryMembership.objects.on(on)
        .filter(category=category, party__in=parties_on(on))
        .exclude(party__is_crowded_meter_room_coordinator=True)
        .select_related("party")
    )


def suspended_party_ids(on: dt.date) -> set[int]:
    return set(Suspension.objects.on(on).values_list("party_id", flat=True))


def metering_n(category: str, party_ids: list[int], on: dt.date) -> dict[int, int]:
    """N per Party on a day (12.11-12.12); see `metering_sources`."""
    return {pid: found.n for pid, found in metering_sources(category, party_ids, on).items()}


def metering_sources(category: str, party_ids: list[int], on: dt.date) -> dict[int, NSource]:
    """N per Party on a day with its source (12.11-12.12); one query. A Party with no data on
    the day is absent (its N is then 0, which the Secretariat is warned about at the open).

    DNO and Supplier: the latest metering snapshot received on or before the day.
    CVA: the sum over the Party's sites valid on the day of max(export, import) capacity.
    Other categories have no N (their votes are always shared equally, 12.9).
    """
    if category not in CATEGORIES_WITH_N or not party_ids:
        return {}
    if category == Category.CVA:
        totals: dict[int, int] = defaultdict(int)
        for site in CvaSite.objects.on(on).filter(party_id__in=party_ids):
            totals[site.party_id] += site.n_contribution
        words = f"CVA sites in Party Details on {on:%-d %b %Y}"
        return {pid: NSource(n, None, words) for pid, n in totals.items()}
    latest: dict[int, NSource] = {}
    rows = (
        MeteringSnapshot.objects.filter(
            category=category, party_id__in=party_ids, received_on__lte=on
        )
        .order_by("party_id", "-received_on", "-created_at", "-pk")
        .values_list("party_id", "metering_points", "pk", "received_on", "source")
    )
    for party_id, points, pk, received_on, source in rows:
        if party_id not in latest:
            words = f"metering data received {received_on:%-d %b %Y} (file {source})"
            latest[party_id] = NSource(points, pk, words[:200])
    return latest


def groups_of(category: str, on: dt.date, purpose: Purpose = Purpose.CHANGE_VOTE) -> list[Group]:
    """The Groups of a category on a day, for a change vote or a Panel election.

    Three queries whatever the number of Parties (memberships, affiliations, suspensions)
    plus one for N.
    """
    category = Category(category)
    memberships = list(parties_in_category(category, on))
    party_ids = [m.party_id for m in memberships]
    corporate = dict(
        Affiliation.objects.on(on)
        .filter(party_id__in=party_ids)
        .values_list("party_id", "corporate_group_id")
    )
    corporate_names = dict(
        Affiliation.objects.on(on)
        .filter(party_id__in=party_ids)
        .values_list("corporate_group_id", "corporate_group__name")
    )
    suspended = suspended_party_ids(on)
    n_by_party = metering_sources(category, party_ids, on)
    has_n = category in CATEGORIES_WITH_N

    buckets: dict[str, list[PartyCategoryMembership]] = defaultdict(list)
    for membership in memberships:
        group_id = corporate.get(membership.party_id)
        alone = group_id is None or (category == Category.DNO and purpose == Purpose.CHANGE_VOTE)
        key = f"party:{membership.party_id}" if alone else f"corporate:{group_id}"
        buckets[key].append(membership)

    groups: list[Group] = []
    for key, rows in buckets.items():
        members: list[GroupMember] = []
        suspended_members: list[GroupMember] = []
        for row in sorted(rows, key=lambda r: r.party.name):
            found = n_by_party.get(row.party_id)
            member = GroupMember(
                party_id=row.party_id,
                short_code=row.party.short_code,
                name=row.party.name,
                idno_otso=row.idno_otso,
                n=(found.n if found else 0) if has_n else None,
                snapshot_id=found.snapshot_id if found else None,
                n_source=found.source if found else "",
            )
            (suspended_members if row.party_id in suspended else members).append(member)
        if key.startswith("corporate:"):
            name = corporate_names[int(key.split(":")[1])]
        else:
            name = rows[0].party.name
        total = sum(m.n or 0 for m in members) if has_n else None
        groups.append(
            Group(
                key=f"{category}:{key}",
                name=name,
                category=category,
                members=tuple(members),
                suspended_members=tuple(suspended_members),
                n=total,
            )
        )
    groups.sort(key=lambda g: g.name)
    return groups


def visible_metering_party_ids(user: User | None) -> set[int] | None:
    """Which Parties' N a user may see: None means all (Secretariat, Authority)."""
    if user is None or not user.is_authenticated:
        return set()
    if user.sees_all_metering_data:
        return None
    return user.represented_party_ids()


def can_see_group_n(user: User | None, group: Group) -> bool:
    visible = visible_metering_party_ids(user)
    if visible is None:
        return True
    return bool(visible & set(group.party_ids))


def parties_on(day: dt.date) -> QuerySet[Party]:
    """The Parties on a day: acceded on or before it and not terminated before it."""
    return Party.objects.filter(accession_date__lte=day).exclude(termination_date__lt=day)


def party_notice_emails(day: dt.date) -> list[str]:
    """Where notices to every Party go (Schedule 11 notice e-mail), for the Parties on the day."""
    emails = parties_on(day).exclude(notice_email="").values_list("notice_email", flat=True)
    return sorted(set(emails))


def public_parties(on: dt.date) -> QuerySet[Party]:
    """Parties as listed on the Website (Schedule 14): no N, no contact details (57.1)."""
    return parties_on(on).prefetch_related("categories").order_by("name")
