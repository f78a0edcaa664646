"""Hand-built data for the Panel dashboard tests (on top of the shared tests/factories.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.utils import timezone

from changes.models import ChangeProposal, ChangeReport, Deadline, ProposalEvent, ProposerKind
from changes.states import NEEDS_DEADLINE, State
from panel.models import (
    Category,
    OfficeRole,
    PanelAppointment,
    Party,
    PartyRepresentative,
    Role,
    User,
)
from tests.factories import UserFactory, make_secretariat, party_in
from voting.models import Ballot, RollEntry
from voting.services import ballot_open, vote_cast

_numbers = itertools.count(700)


def raiser() -> User:
    return UserFactory(username="raiser", role=Role.PARTY_REPRESENTATIVE)


def proposal(
    state: State,
    *,
    title: str = "Tidy the charging statements",
    history: Sequence[tuple[dt.date, State]] = (),
    timetable: list[dict] | None = None,
    accepted_on: dt.date | None = None,
    due_on: dt.date | None = None,
    what: str = "Panel to consider the proposal",
) -> ChangeProposal:
    """A proposal put straight into `state` (test arrangement), with its events and deadline."""
    p = ChangeProposal.objects.create(
        raised_by=raiser(),
        proposer_kind=ProposerKind.CONSUMER_BODY,
        proposer_name="Consumer Body",
        title=title,
        number=next(_numbers) if state != State.DRAFT else None,
        timetable=timetable or [],
        accepted_on=accepted_on,
        submitted_on=history[0][0] if history else None,
    )
    if state in NEEDS_DEADLINE or due_on is not None:
        p.current_deadline = Deadline.objects.create(
            proposal=p,
            state=state,
            what=what,
            rule="10.12",
            opened_on=(due_on or dt.date(2027, 1, 1)) - dt.timedelta(days=30),
            due_on=due_on or dt.date(2027, 12, 31),
        )
    p.status = state
    p.save()
    previous = State.DRAFT
    for on, to_state in history:
        ProposalEvent.objects.create(
            proposal=p, on=on, action="test", from_state=previous, to_state=to_state
        )
        previous = to_state
    return p


def voter(party: Party, username: str) -> User:
    user = UserFactory(username=username, role=Role.PARTY_REPRESENTATIVE)
    PartyRepresentative.objects.create(
        user=user, party=party, authorised_voter=True, confirmed_at=timezone.now()
    )
    return user


def secretariat() -> User:
    return make_secretariat("secretariat")


def open_ballot(
    reference: str,
    *,
    suppliers: int = 5,
    dnos: int = 0,
    options: Sequence[str] = ("proposal",),
    option_texts: dict[str, str] | None = None,
    by: User | None = None,
) -> tuple[Ballot, list[User]]:
    """An open Party vote with `suppliers` lone Supplier Groups (and DNOs); their voters."""
    parties = [
        party_in(Category.SUPPLIER, name=f"{reference} Supplier {i}") for i in range(suppliers)
    ]
    parties += [party_in(Category.DNO, name=f"{reference} DNO {i}") for i in range(dnos)]
    voters = [
        voter(p, f"{reference.replace(' ', '').lower()}-voter{i}") for i, p in enumerate(parties)
    ]
    ballot = ballot_open(
        by=by or User.objects.filter(username="secretariat").first() or secretariat(),
        reference=reference,
        matter="part2",
        eligible=["SUPPLIER", "DNO"] if dnos else ["SUPPLIER"],
        options=options,
        option_texts=option_texts,
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=14),
    )
    return ballot, voters


def cast(ballot: Ballot, user: User, choice: str) -> None:
    entry = RollEntry.objects.filter(
        ballot=ballot, members__party__representatives__user=user
    ).get()
    answers = {
        q.pk: (choice if q.kind == "variation" else "accept") for q in ballot.questions.all()
    }
    vote_cast(ballot=ballot, roll_entry=entry, by=user, answers=answers, second_factor=True)


PANEL_OFFICES = (
    ("DNO", 1),
    ("DNO", 2),
    ("IDNO_OTSO", 1),
    ("SUPPLIER", 1),
    ("SUPPLIER", 2),
    ("CVA", 1),
)


def panel_members(appointed_from: dt.date = dt.date(2025, 12, 1)) -> list[PanelAppointment]:
    """The six elected Panel Members (5.5); their employers are named, not Parties on the roll."""
    out = []
    for constituency, seat in PANEL_OFFICES:
        person = UserFactory(
            username=f"member-{constituency.lower()}-{seat}",
            first_name="Member",
            last_name=f"{constituency.title()} {seat}",
            role=Role.PANEL_MEMBER,
        )
        out.append(
            PanelAppointment.objects.create(
                person=person,
                role=OfficeRole.MEMBER,
                constituency=constituency,
                seat=seat,
                employer_name=f"{constituency.title()} {seat} Employer plc",
                appointed_from=appointed_from,
                elected_on=appointed_from,
                confirmed_on=appointed_from,
            )
        )
    return out


def change_report_with_panel(*, sent_to_authority_on: dt.date) -> ChangeProposal:
    """A Part 2 proposal whose Change Report is with the Panel (REPORT_ISSUED)."""
    history = [
        (sent_to_authority_on - dt.timedelta(days=120), State.SUBMITTED),
        (sent_to_authority_on - dt.timedelta(days=110), State.WITH_PANEL),
        (sent_to_authority_on - dt.timedelta(days=90), State.DEFINITION),
        (sent_to_authority_on - dt.timedelta(days=20), State.REPORT_PHASE),
        (sent_to_authority_on - dt.timedelta(days=2), State.REPORT_ISSUED),
    ]
    p = proposal(
        State.REPORT_ISSUED,
        title="Align the EV connection boundary",
        history=history,
        accepted_on=history[2][0],
        timetable=[
            {
                "stage": "Working Group",
                "planned": str(history[2][0] + dt.timedelta(days=56)),
                "actual": None,
            },
            {
                "stage": "Change Report",
                "planned": str(history[2][0] + dt.timedelta(days=84)),
                "actual": None,
            },
        ],
    )
    ChangeProposal.objects.filter(pk=p.pk).update(part=2, definition_procedure=True)
    ChangeReport.objects.create(
        proposal=p,
        version=1,
        eligible_categories=["DNO", "SUPPLIER"],
        variation="Amend Schedule 22 paragraph 3.",
        effects="EV chargepoints are connected on the same terms by every DNO.",
        implementation_date=sent_to_authority_on + dt.timedelta(days=180),
        sent_to_authority_on=sent_to_authority_on,
    )
    p.refresh_from_db()
    return p
