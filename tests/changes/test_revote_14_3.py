"""14.3: the variation accepted but the implementation date rejected, only a newly proposed date is
assessed and voted on. 'Submit to the Voting Procedure' from the date re-assessment needs a new
Change Report version prepared after the rejection, a date different from every date already
voted on, and the 7-day wait from that version's provision to the Authority (11.22.2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from changes import services
from changes.models import ChangeReport, ProposalEvent
from changes.states import State
from panel.errors import DomainError

from .factories import proposal_in

pytestmark = pytest.mark.django_db

D = dt.date
REJECTED_DATE = D(2027, 7, 30)


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def reassessing(rep, party, secretariat):
    """Voted on with version 1 (30 July 2027); variation accepted, date rejected on 1 April."""
    with at(D(2027, 2, 1)):
        p = proposal_in(State.AWAITING_VOTE, raised_by=rep, party=party, part=2)
        ChangeReport.objects.create(
            proposal=p,
            version=1,
            eligible_categories=["DNO", "SUPPLIER"],
            variation="Amend Schedule 22",
            effects="None material",
            implementation_date=REJECTED_DATE,
            sent_to_authority_on=D(2027, 2, 1),
        )
    with at(D(2027, 3, 1)):
        p = services.proposal_voting_opened(proposal=p, by=secretariat, ballot_reference="B1")
    with at(D(2027, 4, 1)):
        p = services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="rejected"
        )
    assert p.status == State.DATE_REASSESSMENT
    return p


def _new_version(p, secretariat, day: dt.date, date: dt.date, *, send: bool = True):
    with at(day):
        report = services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO", "SUPPLIER"],
            variation="Amend Schedule 22",
            effects="None material",
            implementation_date=date,
        )
        if send:
            services.change_report_send_to_authority(report=report, by=secretariat)
    return report


def _submit(p, secretariat, day: dt.date):
    with at(day):
        return services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)


def _refused(p, secretariat, day: dt.date) -> DomainError:
    submitted = ProposalEvent.objects.filter(proposal=p, action="submit_to_vote")
    before = submitted.count()
    with pytest.raises(DomainError) as refused:
        _submit(p, secretariat, day)
    p.refresh_from_db()
    assert p.status == State.DATE_REASSESSMENT and submitted.count() == before
    return refused.value


def test_the_re_vote_without_a_new_change_report_version_is_refused(reassessing, secretariat):
    refused = _refused(reassessing, secretariat, D(2027, 5, 3))
    assert "only a newly proposed date is voted on again" in refused.message
    assert "new version of the Change Report" in refused.message
    assert refused.field == "implementation_date"


def test_the_re_vote_on_the_rejected_date_again_is_refused(reassessing, secretariat):
    _new_version(reassessing, secretariat, D(2027, 4, 6), REJECTED_DATE)
    refused = _refused(reassessing, secretariat, D(2027, 4, 20))
    assert "already voted on the implementation date 30 July 2027" in refused.message
    assert refused.field == "implementation_date"


def test_the_re_vote_waits_for_the_new_version_to_reach_the_authority(reassessing, secretariat):
    _new_version(reassessing, secretariat, D(2027, 4, 6), D(2027, 10, 1), send=False)
    refused = _refused(reassessing, secretariat, D(2027, 4, 20))
    assert "must be provided to the Authority" in refused.message


def test_the_re_vote_waits_7_days_from_the_new_version(reassessing, secretariat):
    _new_version(reassessing, secretariat, D(2027, 4, 6), D(2027, 10, 1))
    refused = _refused(reassessing, secretariat, D(2027, 4, 12))
    assert "not before 13 April 2027" in refused.message
    p = _submit(reassessing, secretariat, D(2027, 4, 13))
    assert p.status == State.AWAITING_VOTE and p.date_only_vote


def test_a_second_re_vote_refuses_every_date_already_voted_on(reassessing, secretariat):
    """After a second rejection (of 1 October), neither 30 July nor 1 October may be put again."""
    _new_version(reassessing, secretariat, D(2027, 4, 6), D(2027, 10, 1))
    p = _submit(reassessing, secretariat, D(2027, 4, 13))
    with at(D(2027, 4, 14)):
        p = services.proposal_voting_opened(proposal=p, by=secretariat, ballot_reference="B2")
    with at(D(2027, 5, 10)):
        p = services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome=None, date_outcome="rejected"
        )
    assert p.status == State.DATE_REASSESSMENT
    _new_version(p, secretariat, D(2027, 5, 11), REJECTED_DATE)
    assert "30 July 2027" in _refused(p, secretariat, D(2027, 5, 20)).message
    _new_version(p, secretariat, D(2027, 5, 21), D(2027, 10, 1))
    assert "1 October 2027" in _refused(p, secretariat, D(2027, 6, 1)).message
    _new_version(p, secretariat, D(2027, 6, 2), D(2028, 1, 4))
    assert _submit(p, secretariat, D(2027, 6, 9)).status == State.AWAITING_VOTE
