"""DCUSA Standing Issues Group (Schedule 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.errors import DomainError, NotAllowed
from panel.models import AuditRecord, IssueForm, SigChair
from panel.selectors import issue_form_as_proposal_fields
from panel.services import (
    issue_form_chair_decide,
    issue_form_mark_converted,
    issue_form_raise,
    sig_chair_appoint,
    sig_meeting_schedule,
    sig_minutes_circulate,
    sig_outcome_record,
)
from tests.factories import UserFactory, make_representative, party_in

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(secretariat):
    party = party_in("SUPPLIER", name="Raising Energy Ltd")
    rep = make_representative(party)
    chair_user = UserFactory(username="sigchair")
    chair = sig_chair_appoint(
        by=secretariat, name="Independent Chair", person=chair_user, appointed_on=D(2026, 2, 1)
    )
    meeting = sig_meeting_schedule(
        by=secretariat,
        reference="SIG 2027-01",
        meeting_date=D(2027, 1, 13),
        notice_given_on=D(2026, 12, 1),
        agenda_circulated_on=D(2027, 1, 1),
    )
    return party, rep, chair, meeting


def test_chair_has_a_12_month_term_and_one_at_a_time(secretariat, world):
    _, _, chair, _ = world
    assert chair.term_ends == D(2027, 2, 1)
    sig_chair_appoint(by=secretariat, name="Next Chair", appointed_on=D(2027, 2, 1))
    assert SigChair.objects.filter(ended_on__isnull=True).count() == 1


def test_an_issue_form_in_time_goes_on_the_next_agenda(world):
    party, rep, _, meeting = world
    # Ten clear Working Days before Wed 13 Jan 2027: 12, 11, 8, 7, 6, 5, 4 Jan, 31, 30, 29 Dec.
    issue = issue_form_raise(
        by=rep,
        title="Meter room access",
        description="Details",
        party=party,
        raised_on=D(2026, 12, 24),
    )
    assert issue.meeting == meeting
    assert issue.status == IssueForm.Status.ON_AGENDA


def test_a_late_issue_form_needs_the_chairs_discretion(secretariat, world):
    party, rep, chair, meeting = world
    issue = issue_form_raise(
        by=rep, title="Late", description="Details", party=party, raised_on=D(2026, 12, 29)
    )
    assert issue.status == IssueForm.Status.AWAITING_CHAIR
    with pytest.raises(DomainError, match="Chair has not accepted"):
        sig_outcome_record(
            by=secretariat,
            issue=issue,
            meeting=meeting,
            recommendation="x",
            attending=5,
            in_favour=3,
        )
    with pytest.raises(NotAllowed):
        issue_form_chair_decide(by=rep, issue=issue, accept=True)
    issue = issue_form_chair_decide(by=chair.person, issue=issue, accept=True)
    assert issue.status == IssueForm.Status.ON_AGENDA


def test_a_declined_late_form_waits_for_the_following_meeting(secretariat, world):
    party, rep, chair, _ = world
    following = sig_meeting_schedule(
        by=secretariat,
        reference="SIG 2027-02",
        meeting_date=D(2027, 2, 10),
        notice_given_on=D(2027, 1, 4),
    )
    issue = issue_form_raise(
        by=rep, title="Late", description="Details", party=party, raised_on=D(2027, 1, 11)
    )
    issue = issue_form_chair_decide(by=chair.person, issue=issue, accept=False)
    assert issue.meeting == following and issue.status == IssueForm.Status.ON_AGENDA


def test_only_a_partys_representative_raises_for_it(world):
    party, _, _, _ = world
    stranger = make_representative(party_in("DNO"))
    with pytest.raises(NotAllowed):
        issue_form_raise(by=stranger, title="x", description="y", party=party)


def test_recommendations_by_majority_consensus_of_those_attending(secretariat, world):
    party, rep, _, meeting = world
    issue = issue_form_raise(
        by=rep, title="t", description="d", party=party, raised_on=D(2026, 12, 1)
    )
    assert sig_outcome_record(
        by=secretariat,
        issue=issue,
        meeting=meeting,
        recommendation="Raise a CP",
        attending=9,
        in_favour=5,
    ).agreed
    assert not sig_outcome_record(
        by=secretariat,
        issue=issue,
        meeting=meeting,
        recommendation="Guidance",
        attending=10,
        in_favour=5,
    ).agreed


def test_emergency_meetings_need_five_days_notice_and_agenda_ten_days(secretariat):
    with pytest.raises(DomainError, match="at least 5 days' notice"):
        sig_meeting_schedule(
            by=secretariat,
            reference="SIG E1",
            meeting_date=D(2027, 1, 13),
            emergency=True,
            notice_given_on=D(2027, 1, 9),
        )
    sig_meeting_schedule(
        by=secretariat,
        reference="SIG E1",
        meeting_date=D(2027, 1, 13),
        emergency=True,
        notice_given_on=D(2027, 1, 8),
    )
    with pytest.raises(DomainError, match="at least 10 days before"):
        sig_meeting_schedule(
            by=secretariat,
            reference="SIG 2",
            meeting_date=D(2027, 2, 10),
            notice_given_on=D(2027, 1, 4),
            agenda_circulated_on=D(2027, 2, 1),
        )


def test_minutes_due_within_ten_working_days(secretariat, world):
    _, _, _, meeting = world
    sig_minutes_circulate(
        by=secretariat, meeting=meeting, minutes="m", circulated_on=D(2027, 1, 28)
    )
    record = AuditRecord.objects.get(action="sig.minutes.circulate")
    assert record.data == {"due": "2027-01-27", "late": True}


def test_an_issue_becomes_a_change_proposal(secretariat, world):
    party, rep, _, _ = world
    issue = issue_form_raise(by=rep, title="T", description="D", party=party)
    fields = issue_form_as_proposal_fields(issue)
    assert fields["title"] == "T" and fields["description"] == "D"
    assert fields["raised_by"] == party.pk
    issue = issue_form_mark_converted(by=secretariat, issue=issue, change_reference="DCP 500")
    assert issue.status == IssueForm.Status.CONVERTED
    assert issue.converted_to_reference == "DCP 500"
