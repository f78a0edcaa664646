"""Alternative variations (11.18, 11.20.6(C), 11.23): only the Proposer's is the Proposer's; one
added in error is withdrawn with the reason, keeping its letter; a later one takes a letter never
used, else the freed one; alternatives show on the proposal page once put forward."""

import datetime as dt

import pytest
import time_machine

from changes import services
from changes.models import AlternativeVariation
from changes.services import MemberSpec
from changes.states import State
from panel.audit import AuditRecord
from panel.errors import Conflict, DomainError, NotAllowed
from tests.factories import login_verified

from .factories import proposal_in

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(rep, party, secretariat):
    """A proposal in the Report Phase with its Working Group (the Proposer's nominee on it) and
    version 1 of its Change Report."""
    with time_machine.travel(dt.datetime(2027, 3, 2, 12), tick=False):
        p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
        group = services.working_group_create(
            proposal=p,
            by=secretariat,
            name="WG",
            terms_of_reference="ToR",
            members=[
                *(MemberSpec(f"Member {i}", f"Org {i}") for i in range(5)),
                MemberSpec("Nominee", party.name, party=party, is_proposer_nominee=True),
            ],
        )
        p = services.proposal_transition(proposal=p, action="definition_complete", by=secretariat)
        report = services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO"],
            variation="v",
            effects="e",
            implementation_date=D(2027, 11, 4),
        )
    return p, group, report


def _put(p, by, member, *, by_proposer=False, text="alt"):
    return services.alternative_put_forward(
        proposal=p, by=by, description=text, working_group_member=member, by_proposer=by_proposer
    )


def test_the_proposers_alternative_is_recorded_as_from_the_proposer(reporting, secretariat):
    p, group, _ = reporting
    nominee = group.members.get(is_proposer_nominee=True)
    alt = _put(p, secretariat, nominee, by_proposer=True)
    assert alt.by_proposer and alt.source == AlternativeVariation.Source.PROPOSER
    assert alt.working_group_member == nominee


def test_anyone_elses_alternative_is_refused_as_the_proposers(reporting, secretariat):
    p, group, _ = reporting
    member = group.members.get(name="Member 1")
    with pytest.raises(DomainError, match="not the Proposer") as refused:
        _put(p, secretariat, member, by_proposer=True)
    assert refused.value.field == "by_proposer"
    assert not AlternativeVariation.objects.exists()


def test_only_the_secretariat_records_or_withdraws_an_alternative(reporting, secretariat, rep):
    p, group, _ = reporting
    with pytest.raises(NotAllowed):
        _put(p, rep, group.members.get(name="Member 1"))
    alt = _put(p, secretariat, group.members.get(name="Member 1"))
    with pytest.raises(NotAllowed):
        services.alternative_withdraw(alternative=alt, by=rep, reason="mine")


def test_a_withdrawn_alternative_keeps_its_letter_and_a_later_one_takes_a_letter_never_used(
    reporting, secretariat
):
    p, group, report = reporting
    first, second, third = (
        _put(p, secretariat, group.members.get(name=f"Member {i}"), text=f"alt {i}")
        for i in range(3)
    )
    with time_machine.travel(dt.datetime(2027, 3, 9, 12), tick=False):
        a = services.change_report_add_alternative(report=report, alternative=first, by=secretariat)
        assert a.letter == "A"
        with pytest.raises(DomainError, match="Say why") as refused:
            services.alternative_withdraw(alternative=a, by=secretariat, reason=" ")
        assert refused.value.field == "reason"
        withdrawn = services.alternative_withdraw(
            alternative=a, by=secretariat, reason="Added in error: the member withdrew it."
        )
        assert withdrawn.letter == "A" and withdrawn.voided_on == D(2027, 3, 9)
        assert AuditRecord.objects.filter(action="alternative.withdrawn").count() == 1
        with pytest.raises(Conflict, match="already withdrawn"):
            services.alternative_withdraw(alternative=a, by=secretariat, reason="again")
        with pytest.raises(Conflict, match="withdrawn"):
            services.change_report_add_alternative(
                report=report, alternative=withdrawn, by=secretariat
            )
        # B was never used: the next takes it; then only the freed A is left
        b = services.change_report_add_alternative(
            report=report, alternative=second, by=secretariat
        )
        assert b.letter == "B"
        again = services.change_report_add_alternative(
            report=report, alternative=third, by=secretariat
        )
        assert again.letter == "A"
        fourth = _put(p, secretariat, group.members.get(name="Member 3"))
        with pytest.raises(DomainError, match="At most two") as full:
            services.change_report_add_alternative(
                report=report, alternative=fourth, by=secretariat
            )
        assert full.value.field == "alternative"
    letters = set(
        AlternativeVariation.objects.exclude(letter="").values_list("letter", "voided_on")
    )
    assert letters == {("A", None), ("A", D(2027, 3, 9)), ("B", None)}


def test_an_alternative_shows_on_the_proposal_page_once_put_forward(client, reporting, secretariat):
    p, group, _ = reporting
    alt = _put(p, secretariat, group.members.get(name="Member 1"), text="Charge by kVA instead")
    page = client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert "Charge by kVA instead" in page and "Member 1" in page
    services.alternative_withdraw(alternative=alt, by=secretariat, reason="Put forward in error")
    page = client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert "Withdrawn" in page and "Put forward in error" in page


def test_the_secretariat_withdraws_an_alternative_at_the_desk_after_confirming(
    client, reporting, secretariat
):
    p, group, _ = reporting
    alt = _put(p, secretariat, group.members.get(name="Member 1"))
    login_verified(client, secretariat)
    url = f"/changes/DCP-{p.number}/alternatives/{alt.pk}/withdraw/"
    assert url in client.get(f"/changes/DCP-{p.number}/").content.decode()
    unconfirmed = client.post(url, {"reason": "Added in error"})
    assert unconfirmed.status_code == 400
    alt.refresh_from_db()
    assert alt.voided_on is None
    done = client.post(url, {"reason": "Added in error", "confirm": "on"})
    assert done.status_code == 302
    alt.refresh_from_db()
    assert alt.void_reason == "Added in error" and alt.voided_by == secretariat
    assert client.get(url).status_code == 404  # withdrawn once only
