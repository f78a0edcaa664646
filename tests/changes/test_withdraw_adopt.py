"""Withdrawal by the Proposer (11.29-11.30) and adoption by another Party (11.31), online and
dated by the clock, or recorded by the Secretariat with a bounded date."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from changes import services
from changes.models import ProposerKind
from changes.services import MemberSpec
from changes.states import State
from panel.errors import DomainError, NotAllowed

from .factories import PartyFactory, proposal_in, representative

D = dt.date


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def in_definition(rep, party):
    return proposal_in(State.DEFINITION, raised_by=rep, party=party, today=D(2026, 12, 1))


def members(n):
    return [MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(n)]


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_the_proposer_withdraws_online_and_every_party_is_told_it_may_adopt(
    in_definition, rep, other_party
):
    with at(D(2026, 12, 21)):
        mail.outbox.clear()
        p = services.proposal_withdraw(proposal=in_definition, by=rep, reason="Not needed")
    assert p.status == State.WITHDRAWN and p.current_deadline.due_on == D(2027, 1, 7)
    event = p.events.get(action="withdraw")
    assert event.on == D(2026, 12, 21) and event.actor == rep
    (notice,) = [m for m in mail.outbox if "withdrawn" in m.subject]
    assert "may adopt it within 10 Working Days" in notice.subject
    assert other_party.notice_email in notice.bcc


@pytest.mark.django_db
def test_another_partys_representative_may_not_withdraw(in_definition, other_rep):
    with pytest.raises(NotAllowed, match="only the Proposer may withdraw it"):
        services.proposal_withdraw(proposal=in_definition, by=other_rep, reason="Not mine")
    in_definition.refresh_from_db()
    assert in_definition.status == State.DEFINITION


@pytest.mark.django_db
def test_an_online_withdrawal_is_dated_by_the_clock(in_definition, rep):
    with at(D(2026, 12, 21)), pytest.raises(DomainError, match="system's clock") as refused:
        services.proposal_withdraw(proposal=in_definition, by=rep, on=D(2026, 12, 18))
    assert refused.value.field == "on"


@pytest.mark.django_db
def test_the_secretariat_records_a_withdrawal_neither_in_the_future_nor_year_1(
    in_definition, secretariat
):
    with at(D(2026, 12, 2)):
        with pytest.raises(DomainError, match="after today") as future:
            services.proposal_withdraw(proposal=in_definition, by=secretariat, on=D(2026, 12, 18))
        with pytest.raises(DomainError, match="between 1990 and 2200") as year_1:
            services.proposal_withdraw(proposal=in_definition, by=secretariat, on=D(1, 1, 1))
        p = services.proposal_withdraw(proposal=in_definition, by=secretariat, on=D(2026, 12, 1))
    assert future.value.field == year_1.value.field == "on"
    assert p.events.get(action="withdraw").on == D(2026, 12, 1)


@pytest.mark.django_db
def test_a_10_2_5_proposal_is_withdrawn_only_with_evidence_of_the_authoritys_consent(dno, dno_rep):
    p = proposal_in(
        State.DEFINITION,
        raised_by=dno_rep,
        party=dno,
        proposer_kind=ProposerKind.DNO_IDNO_DIRECTED,
        follows_authority_direction=True,
    )
    with pytest.raises(DomainError, match="Authority's consent") as refused:
        services.proposal_withdraw(proposal=p, by=dno_rep, reason="Superseded")
    assert refused.value.field == "authority_consent"
    p = services.proposal_withdraw(
        proposal=p, by=dno_rep, reason="Superseded", authority_consent="Ofgem letter, 1 May"
    )
    assert p.status == State.WITHDRAWN


@pytest.fixture
def withdrawn(in_definition, rep):
    with at(D(2026, 12, 21)):
        return services.proposal_withdraw(proposal=in_definition, by=rep, reason="Not needed")


@pytest.mark.django_db
def test_another_party_adopts_online_naming_its_nominee(withdrawn, other_rep, other_party):
    with at(D(2027, 1, 7)):
        p = services.proposal_adopt(
            proposal=withdrawn,
            by=other_rep,
            party=other_party,
            nominee_name="Aisha Khan",
            nominee_email="aisha@octant.test",
        )
    assert p.status == State.DEFINITION and p.proposer_party == other_party
    event = p.events.get(action="adopt")
    assert event.on == D(2027, 1, 7) and event.actor == other_rep
    assert event.data["nominee"] == {"name": "Aisha Khan", "email": "aisha@octant.test"}


@pytest.mark.django_db
def test_the_withdrawing_party_may_not_adopt_its_own_proposal(withdrawn, rep, party, secretariat):
    with at(D(2027, 1, 4)):
        with pytest.raises(NotAllowed, match="which withdrew") as by_its_rep:
            services.proposal_adopt(proposal=withdrawn, by=rep, party=party)
        with pytest.raises(DomainError, match="another Party may adopt it") as recorded:
            services.proposal_adopt(proposal=withdrawn, by=secretariat, party=party)
    assert by_its_rep.value.field == recorded.value.field == "party"
    withdrawn.refresh_from_db()
    assert withdrawn.status == State.WITHDRAWN


@pytest.mark.django_db
def test_a_representative_of_both_parties_may_not_adopt_for_the_other(withdrawn, rep, other_party):
    """A representative of the Party that withdrew may not adopt through another Party."""
    rep.party_links.create(party=other_party)
    with at(D(2027, 1, 4)), pytest.raises(NotAllowed, match="which withdrew"):
        services.proposal_adopt(proposal=withdrawn, by=rep, party=other_party)


@pytest.mark.django_db
def test_adoption_after_10_working_days_is_refused(withdrawn, other_rep, other_party):
    with at(D(2027, 1, 8)), pytest.raises(DomainError, match="had to be made by 07 January 2027"):
        services.proposal_adopt(proposal=withdrawn, by=other_rep, party=other_party)


@pytest.mark.django_db
def test_a_user_not_representing_the_party_may_not_adopt_for_it(withdrawn, public, other_party):
    with at(D(2027, 1, 4)), pytest.raises(NotAllowed, match="You do not represent Octant"):
        services.proposal_adopt(proposal=withdrawn, by=public, party=other_party)


@pytest.mark.django_db
def test_the_secretariat_records_an_adoption_not_before_the_withdrawal(
    withdrawn, secretariat, other_party
):
    with at(D(2027, 1, 5)):
        with pytest.raises(DomainError, match="before the withdrawal") as early:
            services.proposal_adopt(
                proposal=withdrawn, by=secretariat, party=other_party, on=D(2026, 12, 18)
            )
        with pytest.raises(DomainError, match="after today") as future:
            services.proposal_adopt(
                proposal=withdrawn, by=secretariat, party=other_party, on=D(2027, 1, 6)
            )
        p = services.proposal_adopt(
            proposal=withdrawn, by=secretariat, party=other_party, on=D(2027, 1, 4)
        )
    assert early.value.field == future.value.field == "on"
    assert p.events.get(action="adopt").on == D(2027, 1, 4)


@pytest.mark.django_db
def test_the_adopting_partys_nominee_replaces_the_original_proposers_in_the_working_group(
    in_definition, rep, party, other_rep, other_party, secretariat
):
    group = services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=[
            *members(5),
            MemberSpec(name="Tom Evans", organisation=party.name, is_proposer_nominee=True),
        ],
    )
    with at(D(2026, 12, 21)):
        p = services.proposal_withdraw(proposal=in_definition, by=rep, reason="Not needed")
    with at(D(2027, 1, 4)):
        services.proposal_adopt(
            proposal=p,
            by=other_rep,
            party=other_party,
            nominee_name="Aisha Khan",
            nominee_email="aisha@octant.test",
        )
    nominees = group.members.filter(is_proposer_nominee=True)
    assert nominees.get(left_on__isnull=True).name == "Aisha Khan"
    assert nominees.get(name="Tom Evans").left_on == D(2027, 1, 4)
    assert group.members.filter(left_on__isnull=True).count() == 6


@pytest.mark.django_db
def test_a_third_partys_representative_adopts(withdrawn):
    third = PartyFactory(name="Kestrel Utilities", short_code="KEST")
    with at(D(2027, 1, 4)):
        p = services.proposal_adopt(proposal=withdrawn, by=representative(third), party=third)
    assert p.proposer_party == third


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_without_a_working_group_the_secretariat_is_told_the_nominee(
    withdrawn, other_rep, other_party
):
    with at(D(2027, 1, 4)):
        mail.outbox.clear()
        services.proposal_adopt(
            proposal=withdrawn,
            by=other_rep,
            party=other_party,
            nominee_name="Aisha Khan",
            nominee_email="aisha@octant.test",
        )
    (told,) = [m for m in mail.outbox if "Working Group nominee" in m.subject]
    assert told.to == ["secretariat@dcusa.example"]
    assert "Aisha Khan (aisha@octant.test)" in told.body and "11.31.2" in told.body
