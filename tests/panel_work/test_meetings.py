"""Meetings: quorum at the resolution, recorded votes, notice, minutes and objections (7.9-7.23)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from panel.errors import DomainError, NotAllowed
from panel.models import AgendaItem, PanelMeeting, Resolution, ResolutionVote
from panel.selectors import meeting_quorum, next_meeting_warning
from panel.services import (
    AgendaEntry,
    AttendanceEntry,
    NoQuorum,
    PaperEntry,
    agenda_item_add,
    attendance_record,
    meeting_schedule,
    minutes_approve,
    minutes_objection_record,
    observer_register,
    resolution_take,
    written_resolution_take,
)
from tests.factories import UserFactory, party_in

from .factories import PanelMeetingFactory, circulated_minutes

pytestmark = pytest.mark.django_db
D = dt.date


def attend(secretariat, meeting, *entries):
    attendance_record(by=secretariat, meeting=meeting, entries=list(entries))


def present(appointment, acting_for=None):
    return AttendanceEntry(appointment=appointment, acting_for=acting_for)


def test_resolution_with_quorum_records_each_members_vote(secretariat, panel):
    meeting = PanelMeetingFactory()
    keys = ["dno1", "idno", "sup1", "cva", "sup2"]
    attend(secretariat, meeting, *[present(panel.m(k)) for k in keys])
    votes = {panel.m(k).pk: c for k, c in zip(keys, ["FOR", "FOR", "FOR", "AGAINST", "ABSTAIN"])}
    resolution = resolution_take(
        by=secretariat, meeting=meeting, kind="GENERAL", title="Approve budget", votes=votes
    )
    assert resolution.passed
    assert resolution.reference == f"{meeting.reference} R1"
    assert (resolution.votes_for, resolution.votes_against, resolution.abstentions) == (3, 1, 1)
    recorded = dict(
        ResolutionVote.objects.filter(resolution=resolution).values_list("member_id", "choice")
    )
    assert recorded == votes


def test_resolution_refused_without_a_supplier_elected_member_and_says_why(secretariat, panel):
    meeting = PanelMeetingFactory()
    keys = ["dno1", "dno2", "idno", "cva"]
    attend(secretariat, meeting, *[present(panel.m(k)) for k in keys])
    with pytest.raises(NoQuorum) as refused:
        resolution_take(
            by=secretariat,
            meeting=meeting,
            kind="GENERAL",
            title="Anything",
            votes={panel.m(k).pk: "FOR" for k in keys},
        )
    assert "no Panel Member elected by the Supplier Parties is present (7.10)" in str(refused.value)
    assert not Resolution.objects.exists()


def test_alternate_acting_for_absent_supplier_member_makes_the_quorum_and_votes(secretariat, panel):
    meeting = PanelMeetingFactory()
    attend(
        secretariat,
        meeting,
        present(panel.m("dno1")),
        present(panel.m("idno")),
        present(panel.m("cva")),
        present(panel.a("sup1"), acting_for=panel.m("sup1")),
    )
    quorum = meeting_quorum(meeting)
    assert quorum.quorate, quorum.explanation
    resolution = resolution_take(
        by=secretariat,
        meeting=meeting,
        kind="GENERAL",
        title="Approve",
        votes={panel.m(k).pk: "FOR" for k in ["dno1", "idno", "cva", "sup1"]},
    )
    vote = resolution.votes.get(member=panel.m("sup1"))
    assert vote.cast_by == panel.a("sup1")


def test_a_tie_fails_the_chair_has_no_casting_vote(secretariat, panel):
    meeting = PanelMeetingFactory()
    keys = ["dno1", "idno", "sup1", "cva"]
    attend(secretariat, meeting, *[present(panel.m(k)) for k in keys])
    resolution = resolution_take(
        by=secretariat,
        meeting=meeting,
        kind="GENERAL",
        title="Tied",
        votes=dict(zip([panel.m(k).pk for k in keys], ["FOR", "FOR", "AGAINST", "AGAINST"])),
    )
    assert not resolution.passed
    assert "no casting vote (7.4)" in resolution.outcome


def test_every_present_members_vote_must_be_recorded(secretariat, panel):
    meeting = PanelMeetingFactory()
    keys = ["dno1", "idno", "sup1", "cva"]
    attend(secretariat, meeting, *[present(panel.m(k)) for k in keys])
    with pytest.raises(DomainError, match="Record how each Panel Member present voted"):
        resolution_take(
            by=secretariat,
            meeting=meeting,
            kind="GENERAL",
            title="x",
            votes={panel.m("dno1").pk: "FOR"},
        )


def test_only_the_secretariat_takes_resolutions(panel):
    meeting = PanelMeetingFactory()
    with pytest.raises(NotAllowed):
        resolution_take(
            by=panel.m("dno1").person, meeting=meeting, kind="GENERAL", title="x", votes={}
        )


def test_written_resolution_signed_by_all_members(secretariat, panel):
    all_members = [m.pk for m in panel.members.values()]
    passed = written_resolution_take(
        by=secretariat,
        kind="GENERAL",
        title="By e-mail",
        signed_for=all_members,
        decided_on=D(2026, 4, 1),
    )
    assert passed.passed and passed.written
    failed = written_resolution_take(
        by=secretariat,
        kind="GENERAL",
        title="By e-mail",
        signed_for=all_members[:-1],
        decided_on=D(2026, 4, 1),
    )
    assert not failed.passed


@time_machine.travel(dt.datetime(2026, 12, 24, 9, 0), tick=False)
def test_notice_on_24_december_is_enough_for_6_january(
    secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            by=secretariat,
            reference="Panel 2027-01",
            meeting_date=D(2027, 1, 6),
            venue="London",
            agenda=[AgendaEntry("Change Proposals")],
            papers=[PaperEntry("Budget"), PaperEntry("Legal advice", confidential=True)],
        )
    assert meeting.notice_given_on == D(2026, 12, 24)
    assert len(mail.outbox) == 1 and "Panel 2027-01" in mail.outbox[0].subject


@time_machine.travel(dt.datetime(2026, 12, 29, 9, 0), tick=False)
def test_notice_on_29_december_is_too_late_for_6_january(secretariat):
    with pytest.raises(DomainError) as refused:
        meeting_schedule(
            by=secretariat,
            reference="Panel 2027-01",
            meeting_date=D(2027, 1, 6),
            venue="London",
            agenda=[AgendaEntry("Change Proposals")],
        )
    assert "notice was due by Thursday 24 December 2026" in str(refused.value)
    assert not PanelMeeting.objects.exists()


@time_machine.travel(dt.datetime(2026, 12, 29, 9, 0), tick=False)
def test_short_notice_only_on_a_section_1c_requirement(secretariat):
    meeting = meeting_schedule(
        by=secretariat,
        reference="Panel urgent",
        meeting_date=D(2027, 1, 4),
        venue="Call",
        agenda=[AgendaEntry("Urgent DCP 500")],
        short_notice_basis="Urgent Change Proposal: Panel to consider within 5 Working Days (10.12)",
    )
    assert meeting.short_notice_basis


def test_requisitioned_meeting_convened_within_five_working_days(secretariat, panel):
    with pytest.raises(DomainError, match="within five Working Days of the request"):
        meeting_schedule(
            by=secretariat,
            reference="Panel req",
            meeting_date=D(2027, 1, 20),
            venue="Call",
            agenda=[AgendaEntry("Matter requisitioned")],
            notice_given_on=D(2027, 1, 8),  # received 23 Dec: 5th Working Day is 4 January
            requisitioned_by=panel.m("dno1"),
            requisition_received_on=D(2026, 12, 23),
        )


def test_agenda_additions_need_three_working_days(secretariat, panel):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    # Clear Working Days before Wed 6 Jan: 5 Jan, 4 Jan, 31 Dec: Wednesday 30 December is the last day.
    agenda_item_add(
        by=secretariat,
        meeting=meeting,
        title="Extra",
        requested_by=panel.m("dno1"),
        requested_on=D(2026, 12, 30),
    )
    with pytest.raises(DomainError, match="the last day was Wednesday 30 December 2026"):
        agenda_item_add(
            by=secretariat,
            meeting=meeting,
            title="Too late",
            requested_by=panel.m("dno1"),
            requested_on=D(2026, 12, 31),
        )


def test_observers_give_two_working_days_notice(secretariat):
    meeting = PanelMeetingFactory(meeting_date=D(2027, 1, 6))
    party = party_in("SUPPLIER")
    observer_register(
        by=secretariat, meeting=meeting, name="Obs", party=party, notice_given_on=D(2026, 12, 31)
    )
    with pytest.raises(DomainError, match="two Working Days' notice"):
        observer_register(
            by=secretariat,
            meeting=meeting,
            name="Late",
            party=party,
            notice_given_on=D(2027, 1, 4),
        )


def test_minutes_objection_within_five_working_days_goes_first_on_next_agenda(secretariat, panel):
    minutes = circulated_minutes(
        secretariat, held_on=D(2026, 12, 23), circulated_on=D(2026, 12, 31)
    )
    nxt = PanelMeetingFactory(meeting_date=D(2027, 2, 10))
    AgendaItem.objects.create(meeting=nxt, position=1, title="Budget")
    minutes_objection_record(
        by=secretariat,
        minutes=minutes,
        member=panel.m("sup1"),
        items="Item 3",
        received_on=D(2027, 1, 8),
    )
    titles = list(nxt.agenda.order_by("position").values_list("title", flat=True))
    assert titles[0].startswith("Disagreement with the minutes")
    assert titles[1] == "Budget"
    with pytest.raises(DomainError, match="the last day was Friday 8 January 2027"):
        minutes_objection_record(
            by=secretariat,
            minutes=minutes,
            member=panel.m("sup2"),
            items="Item 4",
            received_on=D(2027, 1, 11),
        )


def test_pending_objection_goes_first_on_a_meeting_convened_later(secretariat, panel):
    minutes = circulated_minutes(
        secretariat, held_on=D(2026, 12, 23), circulated_on=D(2026, 12, 24)
    )
    minutes_objection_record(
        by=secretariat,
        minutes=minutes,
        member=panel.m("sup1"),
        items="Item 3",
        received_on=D(2026, 12, 29),
    )
    meeting = meeting_schedule(
        by=secretariat,
        reference="Panel next",
        meeting_date=D(2027, 2, 10),
        venue="x",
        agenda=[AgendaEntry("Budget")],
        notice_given_on=D(2027, 1, 20),
    )
    first = meeting.agenda.order_by("position").first()
    assert first.minutes_objection


def test_next_meeting_warning_after_three_months():
    PanelMeetingFactory(meeting_date=D(2026, 1, 14), status=PanelMeeting.Status.HELD)
    assert "at least once every three months (7.9)" in next_meeting_warning(D(2026, 2, 1))
    assert "14 April 2026" in next_meeting_warning(D(2026, 2, 1))
    PanelMeetingFactory(meeting_date=D(2026, 4, 8))
    assert next_meeting_warning(D(2026, 2, 1)) == ""


def test_approved_open_minutes_are_published_confidential_ones_are_not(secretariat):
    m1 = circulated_minutes(
        secretariat, held_on=D(2026, 1, 14), circulated_on=D(2026, 1, 15), text="Open"
    )
    m2 = circulated_minutes(
        secretariat,
        held_on=D(2026, 2, 11),
        circulated_on=D(2026, 2, 12),
        text="Secret",
        confidential=True,
    )
    assert minutes_approve(by=secretariat, minutes=m1, at_meeting=m2.meeting).published_on
    c = PanelMeetingFactory(meeting_date=D(2026, 3, 11))
    assert minutes_approve(by=secretariat, minutes=m2, at_meeting=c).published_on is None
    assert UserFactory  # imported for other tests
