"""Factories for the change-process tests (tests/factories.py is another engineer's)."""

from __future__ import annotations

import datetime as dt

import factory

from changes.models import ChangeProposal, Deadline, ProposerKind
from changes.states import NEEDS_DEADLINE, State
from panel.models import Category, Party, PartyCategoryMembership, PartyRepresentative, Role, User

ORIGIN = dt.date(2006, 10, 6)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = Role.PUBLIC


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Party {n} Ltd")
    short_code = factory.Sequence(lambda n: f"P{n:03d}")
    company_number = factory.Sequence(lambda n: f"0{n:07d}")
    registered_address = "1 High Street, Reading"
    notice_address = "1 High Street, Reading"
    notice_email = factory.LazyAttribute(lambda p: f"notices@{p.short_code.lower()}.test")
    accession_date = ORIGIN

    @factory.post_generation
    def category(self, create, extracted, **kwargs):
        # The Crowded Meter Room Coordinator holds no Party Category (12.2).
        if create and not self.is_crowded_meter_room_coordinator:
            PartyCategoryMembership.objects.create(
                party=self,
                category=extracted or Category.SUPPLIER,
                idno_otso="IDNO" if extracted == Category.IDNO_OTSO else "",
                valid_from=ORIGIN,
            )


def representative(party: Party, username: str | None = None) -> User:
    user = UserFactory(
        username=username or f"rep-{party.short_code.lower()}", role=Role.PARTY_REPRESENTATIVE
    )
    PartyRepresentative.objects.get_or_create(user=user, party=party)
    return user


TIMETABLE = [
    {"stage": "Working Group", "planned": "2027-05-20", "actual": None},
    {"stage": "Consultation", "planned": "2027-06-17", "actual": None},
    {"stage": "Change Report", "planned": "2027-07-15", "actual": None},
]

COMPLETE = dict(
    title="Extend the EV connection charge boundary",
    proposer_contact_name="Jo Bloggs",
    proposer_contact_email="jo@example.test",
    description="Amend Schedule 22 so that the connection boundary covers EV chargepoints.",
    purpose="EV connections are charged inconsistently between DNOs.",
    legal_text="Insert new paragraph 3.4 in Schedule 22 ...",
    objectives=["G1", "G2"],
    objectives_reasons="More consistent charging helps competition.",
    ghg_material=True,
    ghg_statement="Faster EV take-up reduces emissions.",
    parts_affected="Schedule 22",
    proposer_part_view=2,
    part_view_reasons="No material impact on consumers.",
    proposed_implementation_date=dt.date(2027, 11, 4),
    impacted_categories=["DNO", "IDNO", "SUPPLIER"],
)


def proposal(*, raised_by: User, party: Party | None = None, **fields) -> ChangeProposal:
    """A complete draft (every item of 10.4 given)."""
    values = dict(COMPLETE)
    values.update(fields)
    kind = values.pop("proposer_kind", ProposerKind.PARTY if party else ProposerKind.CONSUMER_BODY)
    if kind != ProposerKind.PARTY and kind != ProposerKind.DNO_IDNO_DIRECTED:
        values.setdefault("proposer_name", "Consumer Body")
    return ChangeProposal.objects.create(
        raised_by=raised_by, proposer_kind=kind, proposer_party=party, **values
    )


_numbers = iter(range(400, 100000))


def proposal_in(
    state: State,
    *,
    raised_by: User,
    party: Party | None = None,
    due_on: dt.date | None = None,
    today: dt.date = dt.date(2027, 3, 1),
    **fields,
) -> ChangeProposal:
    """Test arrangement only: put a proposal straight into a state, with what that state holds."""
    p = proposal(raised_by=raised_by, party=party, **fields)
    p.status = state
    if state != State.DRAFT:
        p.number = next(_numbers)
        p.submitted_on = fields.get("submitted_on", today - dt.timedelta(days=10))
        p.part = fields.get("part", 2)
        p.definition_procedure = fields.get("definition_procedure", True)
        p.timetable = fields.get("timetable", TIMETABLE)
    if state in NEEDS_DEADLINE or due_on is not None:
        deadline = Deadline.objects.create(
            proposal=p,
            state=state,
            what="Arranged deadline",
            rule="test",
            opened_on=today,
            due_on=due_on or today + dt.timedelta(days=14),
        )
        p.current_deadline = deadline
        if state in (State.ACCEPTED_APPEAL_WINDOW, State.REJECTED_APPEAL_WINDOW):
            p.appeal_window_ends = deadline.due_on
    p.save()
    return p
