""" "For my Parties": what a Party representative needs to see, per Party it represents, read in a
fixed number of queries whatever the number of Parties, ballots or proposals (12.4, 11.14.1,
11.29-11.31, 13.17-13.18)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from changes import pages
from changes.models import ChangeProposal, Consultation, ConsultationResponse
from changes.services.responding import respondent_parties
from changes.states import TERMINAL, State
from panel.models import Party, PartyCategoryMembership, User
from panel.models.records import OutgoingMail
from voting.models import BallotStatus, RollMember, Vote

APPEAL_WINDOWS = (State.ACCEPTED_APPEAL_WINDOW, State.REJECTED_APPEAL_WINDOW)
# How many notices the page lists: the most recent first.
RECENT_NOTICES = 10


@dataclass(frozen=True)
class VoteItem:
    """An open vote of one of the Party's Groups (12.4)."""

    ballot_pk: int
    reference: str
    title: str
    group_name: str
    closes_at: dt.datetime
    voted: bool


@dataclass(frozen=True)
class ConsultationItem:
    """An open consultation and the Party's response to it (11.14.1)."""

    pk: int
    reference: str
    slug: str
    title: str
    closes_on: dt.date
    response: str  # "draft", "submitted" or "" (none)

    @property
    def response_label(self) -> str:
        return {"draft": "Draft saved, not yet submitted", "submitted": "Submitted"}.get(
            self.response, "No response yet"
        )


@dataclass(frozen=True)
class ProposalItem:
    """A proposal with where it stands and, where there is one, its window's end."""

    reference: str
    slug: str
    title: str
    status_label: str
    next_step: str
    due_on: dt.date | None
    rule: str
    url: str = ""


@dataclass(frozen=True)
class NoticeItem:
    subject: str
    on: dt.datetime
    sent: bool


@dataclass
class PartyHome:
    party: Party
    votes: list[VoteItem] = field(default_factory=list)
    consultations: list[ConsultationItem] = field(default_factory=list)
    raised: list[ProposalItem] = field(default_factory=list)
    appeals: list[ProposalItem] = field(default_factory=list)
    adoptions: list[ProposalItem] = field(default_factory=list)
    notices: list[NoticeItem] = field(default_factory=list)


@dataclass(frozen=True)
class Home:
    parties: list[PartyHome]
    my_notices: list[NoticeItem]


def _categories(parties: list[Party], today: dt.date) -> dict[int, set[str]]:
    rows = (
        PartyCategoryMembership.objects.filter(party__in=parties, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("party_id", "category")
    )
    out: dict[int, set[str]] = defaultdict(set)
    for party_id, category in rows:
        out[party_id].add(category)
    return out


def _votes(homes: dict[int, PartyHome]) -> None:
    voted = Vote.objects.filter(roll_entry=OuterRef("roll_entry"), superseded_at=None)
    members = (
        RollMember.objects.filter(party_id__in=homes, roll_entry__ballot__status=BallotStatus.OPEN)
        .select_related("roll_entry__ballot")
        .annotate(voted=Exists(voted))
        .order_by("roll_entry__ballot__closes_at", "roll_entry__group_name")
    )
    for m in members:
        ballot = m.roll_entry.ballot
        homes[m.party_id].votes.append(
            VoteItem(
                ballot_pk=ballot.pk,
                reference=ballot.reference,
                title=ballot.title,
                group_name=m.roll_entry.group_name,
                closes_at=ballot.closes_at,
                voted=bool(m.voted),  # type: ignore[attr-defined]
            )
        )


def _consultations(homes: dict[int, PartyHome], today: dt.date) -> None:
    open_now = list(
        Consultation.objects.filter(opens_on__lte=today, closes_on__gte=today, closed_on=None)
        .select_related("proposal")
        .order_by("closes_on", "pk")
    )
    responses = {
        (r.consultation_id, r.party_id): r.status
        for r in ConsultationResponse.objects.standing().filter(
            consultation__in=open_now, party_id__in=homes
        )
    }
    for home in homes.values():
        for c in open_now:
            home.consultations.append(
                ConsultationItem(
                    pk=c.pk,
                    reference=c.proposal.reference,
                    slug=pages.reference_slug(c.proposal),
                    title=c.title,
                    closes_on=c.closes_on,
                    response=responses.get((c.pk, home.party.pk), ""),
                )
            )


def _item(p: ChangeProposal, *, due_on: dt.date | None = None, url: str = "") -> ProposalItem:
    deadline = p.current_deadline
    return ProposalItem(
        reference=p.reference,
        slug=pages.reference_slug(p),
        title=p.title,
        status_label=p.get_status_display(),
        next_step=deadline.what if deadline else "",
        due_on=due_on or (deadline.due_on if deadline else None),
        rule=deadline.rule if deadline else "",
        url=url,
    )


def _concerns(p: ChangeProposal, party_id: int, categories: set[str]) -> bool:
    """An outcome concerns a Party it names by category, the Proposer, or every Party when it
    names no category."""
    named = set(p.impacted_categories or [])
    if p.proposer_party_id == party_id or not named:
        return True
    # The IDNO/OTSO category is named "IDNO" or "OTSO" on a proposal.
    held = set(categories) | ({"IDNO", "OTSO"} if "IDNO_OTSO" in categories else set())
    return bool(named & held)


def _proposals(homes: dict[int, PartyHome], today: dt.date) -> None:
    categories = _categories([h.party for h in homes.values()], today)
    live_raised = Q(proposer_party_id__in=homes) & ~Q(status__in=[*TERMINAL, State.DRAFT])
    proposals = (
        ChangeProposal.objects.filter(
            live_raised | Q(status__in=APPEAL_WINDOWS) | Q(status=State.WITHDRAWN)
        )
        .select_related("current_deadline")
        .order_by("number")
    )
    for p in proposals:
        slug = pages.reference_slug(p)
        for party_id, home in homes.items():
            if p.proposer_party_id == party_id and p.status not in TERMINAL:
                home.raised.append(_item(p))
            if p.status in APPEAL_WINDOWS and _concerns(p, party_id, categories[party_id]):
                url = reverse("changes:party_appeal", args=[slug])
                home.appeals.append(_item(p, due_on=p.appeal_window_ends, url=url))
            if p.status == State.WITHDRAWN and p.proposer_party_id != party_id:
                # The withdrawing Party does not adopt its own proposal (11.31).
                url = reverse("changes:party_adopt", args=[slug])
                home.adoptions.append(_item(p, url=url))


def _notices(user: User, homes: dict[int, PartyHome]) -> list[NoticeItem]:
    """Mail owed or sent to the user's address or a Party's notice address, newest first."""
    by_address: dict[str, list[PartyHome]] = defaultdict(list)
    for home in homes.values():
        if home.party.notice_email:
            by_address[home.party.notice_email.lower()].append(home)
    mine = (user.email or "").lower()
    addresses = [a for a in [mine, *by_address] if a]
    if not addresses:
        return []
    wanted = Q()
    for address in addresses:
        wanted |= Q(to__contains=[address]) | Q(bcc__contains=[address])
    mails = (
        OutgoingMail.objects.filter(wanted)
        .only("subject", "created_at", "sent_at", "to", "bcc")
        .order_by("-created_at", "-pk")[: RECENT_NOTICES * (len(addresses) + 1)]
    )
    my_notices: list[NoticeItem] = []
    for mail in mails:
        item = NoticeItem(
            subject=mail.subject, on=mail.sent_at or mail.created_at, sent=bool(mail.sent_at)
        )
        to = {a.lower() for a in [*mail.to, *mail.bcc]}
        if mine and mine in to and len(my_notices) < RECENT_NOTICES:
            my_notices.append(item)
        for address in to & set(by_address):
            for home in by_address[address]:
                if len(home.notices) < RECENT_NOTICES:
                    home.notices.append(item)
    return my_notices


def party_home(*, user: User, today: dt.date | None = None) -> Home:
    """Everything "For my Parties" shows: a fixed number of queries for any number of Parties."""
    today = today or timezone.localdate()
    homes = {party.pk: PartyHome(party=party) for party in respondent_parties(user)}
    if not homes:
        return Home(parties=[], my_notices=[])
    _votes(homes)
    _consultations(homes, today)
    _proposals(homes, today)
    my_notices = _notices(user, homes)
    return Home(parties=list(homes.values()), my_notices=my_notices)
