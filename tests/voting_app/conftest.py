"""A small register for the voting tests: three DNOs, a Supplier corporate group and a lone
Supplier, an IDNO and the OTSO. Dates: the vote opens on Monday 1 March 2027 at 09:00."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from changes.models import ChangeProposal, ChangeReport
from changes.states import State
from panel.models import Category, Party, User
from tests.changes.factories import proposal_in
from voting.models import Ballot, RollEntry
from voting.services import ballot_open, vote_cast
from voting.services.ballots import ballot_open_for_proposal

from .factories import CorporateGroupFactory, make_secretariat, member, voter_for, with_device

OPENS = timezone.make_aware(dt.datetime(2027, 3, 1, 9, 0))
# 15 Working Days after Monday 1 March 2027 is Monday 22 March 2027 (no bank holiday between).
CLOSES = timezone.make_aware(dt.datetime(2027, 3, 22, 17, 0))
DURING = OPENS + dt.timedelta(days=1)
AFTER = CLOSES + dt.timedelta(minutes=1)


@dataclass
class World:
    secretariat: User
    dno: list[Party]
    big1: Party
    big2: Party
    lone: Party
    idno: Party
    otso: Party
    dno_voter: User
    big_voter: User
    lone_voter: User
    idno_voter: User


@pytest.fixture
def world(db) -> World:
    secretariat = make_secretariat()
    dno = [
        member(Category.DNO, name=f"DNO {i} plc", points=pts)
        for i, pts in enumerate([3_000_000, 2_000_000, 1_000_000], start=1)
    ]
    big = CorporateGroupFactory(name="Big Energy Group")
    big1 = member(Category.SUPPLIER, name="Big Retail Ltd", group=big, points=600_000)
    big2 = member(Category.SUPPLIER, name="Big Business Ltd", group=big, points=400_000)
    lone = member(Category.SUPPLIER, name="Lone Supply Ltd", points=250_000)
    idno = member(Category.IDNO_OTSO, name="Inde Networks Ltd", idno_otso="IDNO")
    otso = member(Category.IDNO_OTSO, name="Offshore Transmission Ltd", idno_otso="OTSO")
    world = World(
        secretariat=secretariat,
        dno=dno,
        big1=big1,
        big2=big2,
        lone=lone,
        idno=idno,
        otso=otso,
        dno_voter=voter_for(dno[0], username="dno1voter"),
        big_voter=voter_for(big2, username="bigvoter"),
        lone_voter=voter_for(lone, username="lonevoter"),
        idno_voter=voter_for(idno, username="idnovoter"),
    )
    for user in (world.dno_voter, world.big_voter, world.lone_voter, world.idno_voter):
        with_device(user)
    return world


def open_vote(world: World, **kw: object) -> Ballot:
    fields: dict[str, object] = {
        "by": world.secretariat,
        "reference": "DCP 417",
        "matter": "part2",
        "eligible": ["DNO", "SUPPLIER", "IDNO", "OTSO"],
        "implementation_date": dt.date(2027, 11, 1),
        "opens_at": OPENS,
    }
    fields.update(kw)
    with time_machine.travel(OPENS, tick=False):
        return ballot_open(**fields)  # type: ignore[arg-type]


def entry(ballot: Ballot, party: Party, category: str | None = None) -> RollEntry:
    qs = RollEntry.objects.filter(ballot=ballot, members__party=party)
    if category:
        qs = qs.filter(category=category)
    return qs.get()


@pytest.fixture
def ballot(world: World) -> Ballot:
    return open_vote(world)


def cast(
    ballot: Ballot, user: User, party: Party, answers: dict[int, str], reason: str = ""
) -> object:
    """The voter casts `answers` (question pk -> choice) for its Group, at the clock's time."""
    return vote_cast(
        ballot=ballot,
        roll_entry=entry(ballot, party),
        by=user,
        answers=answers,
        reason=reason,
        second_factor=True,
    )


def vote(
    ballot: Ballot,
    user: User,
    party: Party,
    variation: str | None = None,
    date: str | None = None,
    *,
    when: dt.datetime = DURING,
    reason: str = "",
) -> object:
    """The voter casts its Group's answers (by choice value) on the variation and/or the date."""
    questions = list(ballot.questions.order_by("position"))
    answers = {q.pk: a for q, a in zip(questions, (variation, date), strict=False) if a}
    with time_machine.travel(when, tick=False):
        return cast(ballot, user, party, answers, reason)


def proposal_ready_to_vote(
    world: World,
    *,
    number: int | None = 417,
    part: int = 2,
    categories: tuple[str, ...] = ("DNO", "SUPPLIER", "IDNO"),
) -> ChangeProposal:
    """A proposal awaiting the vote with its Change Report (sent to the Authority in February)."""
    p = proposal_in(State.AWAITING_VOTE, raised_by=world.secretariat, part=part)
    if number is not None:
        p.number = number
        p.save()
    ChangeReport.objects.create(
        proposal=p,
        version=1,
        eligible_categories=list(categories),
        variation="Amend Schedule 22",
        effects="None material",
        implementation_date=dt.date(2027, 11, 4),
        sent_to_authority_on=dt.date(2027, 2, 1),
    )
    return p


def proposal_ballot(world: World, **kw: object) -> tuple[ChangeProposal, Ballot]:
    """`proposal_ready_to_vote(**kw)` with its vote opened at OPENS."""
    p = proposal_ready_to_vote(world, **kw)  # type: ignore[arg-type]
    with time_machine.travel(OPENS, tick=False):
        return p, ballot_open_for_proposal(proposal=p, by=world.secretariat)
