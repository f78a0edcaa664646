"""Resolutions that act: suspension and restoration (54.3-54.4, 54.7), the change-proposal hook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from panel.audit import PanelAction
from panel.errors import Conflict, DomainError
from panel.models import AuditRecord, Resolution, ResolutionConflict, Suspension
from panel.services import (
    AttendanceEntry,
    attendance_record,
    register_resolution_handler,
    resolution_take,
    unregister_resolution_handler,
    written_resolution_take,
)
from panel.services import resolutions as resolution_services
from tests.factories import AffiliationFactory, CorporateGroupFactory, party_in

from .factories import PanelMeetingFactory

pytestmark = pytest.mark.django_db
D = dt.date


def all_present(secretariat, panel, meeting, extra=()):
    entries = [AttendanceEntry(m) for m in panel.members.values()]
    entries += [AttendanceEntry(a) for a in extra]
    attendance_record(by=secretariat, meeting=meeting, entries=entries)


def all_vote_for(secretariat, panel, meeting, kind, title, **fields):
    """The resolution put to the meeting, every Panel Member voting for it (7.19)."""
    votes = {m.pk: "FOR" for m in panel.members.values()}
    return resolution_take(
        by=secretariat, meeting=meeting, kind=kind, title=title, votes=votes, **fields
    )


def test_suspension_resolution_suspends_and_notifies_the_authority_and_parties(
    secretariat, panel, django_capture_on_commit_callbacks
):
    breaching = party_in("SUPPLIER", name="Defaulting Energy Ltd")
    meeting = PanelMeetingFactory(meeting_date=D(2026, 5, 13))
    all_present(secretariat, panel, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        resolution = all_vote_for(
            secretariat,
            panel,
            meeting,
            "SUSPENSION",
            "Suspend Defaulting Energy's election and voting rights",
            target_party=breaching,
            payload={"valid_from": "2026-05-14", "reason": "DCUSA Payment Default (54.1.8)"},
        )
    suspension = Suspension.objects.get(party=breaching)
    assert suspension.panel_resolution == resolution.reference
    assert suspension.valid_from == D(2026, 5, 14) and suspension.valid_to is None
    assert "suspended from Thursday 14 May 2026" in resolution.effect
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["authority@dcusa.example"]
    assert "notices@" in " ".join(message.bcc)


def test_failed_suspension_changes_nothing_and_sends_nothing(
    secretariat, panel, django_capture_on_commit_callbacks
):
    breaching = party_in("SUPPLIER")
    meeting = PanelMeetingFactory()
    all_present(secretariat, panel, meeting)
    keys = list(panel.members)
    with django_capture_on_commit_callbacks(execute=True):
        resolution = resolution_take(
            by=secretariat,
            meeting=meeting,
            kind="SUSPENSION",
            title="Suspend",
            target_party=breaching,
            votes={panel.m(k).pk: ("FOR" if i < 3 else "AGAINST") for i, k in enumerate(keys)},
        )
    assert not resolution.passed
    assert not Suspension.objects.exists()
    assert mail.outbox == []


def test_member_employed_by_an_affiliate_of_the_breaching_party_does_not_act_54_7(
    secretariat, panel
):
    group = CorporateGroupFactory()
    breaching = party_in("SUPPLIER", group=group)
    AffiliationFactory(party=panel.employers["sup1"], corporate_group=group)
    meeting = PanelMeetingFactory(meeting_date=D(2026, 5, 13))
    all_present(secretariat, panel, meeting)
    votes = {m.pk: "FOR" for k, m in panel.members.items() if k != "sup1"}
    resolution = resolution_take(
        by=secretariat,
        meeting=meeting,
        kind="SUSPENSION",
        title="Suspend",
        target_party=breaching,
        votes=votes,
    )
    assert resolution.passed and resolution.present == 5
    conflict = ResolutionConflict.objects.get(resolution=resolution)
    assert conflict.appointment == panel.m("sup1") and conflict.excluded
    with pytest.raises(Exception, match="not acting"):
        all_vote_for(secretariat, panel, meeting, "RESTORATION", "Restore", target_party=breaching)


def test_the_disqualified_members_alternate_acts_in_their_place_54_7(secretariat, panel):
    breaching = panel.employers["sup1"]
    # The allocated Alternate works elsewhere for this test.
    alternate = panel.a("sup1")
    alternate.employer = panel.employers["sup2"]
    alternate.save()
    meeting = PanelMeetingFactory(meeting_date=D(2026, 5, 13))
    all_present(secretariat, panel, meeting, extra=[alternate])
    resolution = all_vote_for(
        secretariat, panel, meeting, "SUSPENSION", "Suspend", target_party=breaching
    )
    assert resolution.present == 6
    assert resolution.votes.get(member=panel.m("sup1")).cast_by == alternate


def test_restoration_ends_the_suspension(secretariat, panel):
    breaching = party_in("DNO")
    Suspension.objects.create(party=breaching, valid_from=D(2026, 1, 1), panel_resolution="R0")
    meeting = PanelMeetingFactory(meeting_date=D(2026, 5, 13))
    all_present(secretariat, panel, meeting)
    all_vote_for(secretariat, panel, meeting, "RESTORATION", "Restore", target_party=breaching)
    # Restored at the meeting of 13 May: the last day suspended is 12 May.
    assert Suspension.objects.get(party=breaching).valid_to == D(2026, 5, 12)


def test_change_proposal_resolution_calls_the_registered_handler(secretariat, panel, monkeypatch):
    calls: list[Resolution] = []

    def handler(resolution: Resolution) -> str:
        calls.append(resolution)
        return f"DCP {resolution.target_ids[0]} sent to the vote."

    # Work on a copy so the changes app's own handlers are back after this test.
    monkeypatch.setattr(resolution_services, "_HANDLERS", dict(resolution_services._HANDLERS))
    register_resolution_handler("SUBMIT_TO_VOTE", handler)
    try:
        meeting = PanelMeetingFactory()
        all_present(secretariat, panel, meeting)
        resolution = all_vote_for(
            secretariat,
            panel,
            meeting,
            "SUBMIT_TO_VOTE",
            "Submit DCP 417 to the vote",
            target_ids=[417],
        )
    finally:
        unregister_resolution_handler("SUBMIT_TO_VOTE")
    assert calls == [resolution]
    assert resolution.effect == "DCP 417 sent to the vote."


def test_a_failing_handler_rolls_the_resolution_back(secretariat, panel, monkeypatch):
    def handler(resolution: Resolution) -> str:
        raise RuntimeError("Change Report not ready")

    # Work on a copy so the changes app's own handlers are back after this test.
    monkeypatch.setattr(resolution_services, "_HANDLERS", dict(resolution_services._HANDLERS))
    register_resolution_handler("SEND_BACK", handler)
    try:
        meeting = PanelMeetingFactory()
        all_present(secretariat, panel, meeting)
        with pytest.raises(RuntimeError):
            all_vote_for(secretariat, panel, meeting, "SEND_BACK", "Send back")
    finally:
        unregister_resolution_handler("SEND_BACK")
    assert not Resolution.objects.exists()


def test_without_a_handler_the_resolution_is_recorded_only_and_says_so(
    secretariat, panel, monkeypatch
):
    # The changes app registers a WORKING_GROUP handler; take it away for this test only.
    monkeypatch.setattr(resolution_services, "_HANDLERS", {})
    meeting = PanelMeetingFactory()
    all_present(secretariat, panel, meeting)
    resolution = all_vote_for(
        secretariat, panel, meeting, "WORKING_GROUP", "Set up a Working Group"
    )
    assert resolution.passed
    assert resolution.effect.startswith("Resolution recorded only: no handler is registered")


def _written_suspension(secretariat, panel, party, **payload):
    return written_resolution_take(
        by=secretariat,
        kind="SUSPENSION",
        title="Suspend by written resolution",
        signed_for=[m.pk for m in panel.members.values()],
        decided_on=D(2026, 5, 13),
        target_party=party,
        payload=payload,
    )


def test_a_written_resolution_suspends_through_the_suspension_service_with_one_event_name(
    secretariat, panel
):
    breaching = party_in("SUPPLIER")

    resolution = _written_suspension(secretariat, panel, breaching, valid_from="2026-05-14")

    suspension = Suspension.objects.get(party=breaching)
    assert suspension.panel_resolution == resolution.reference
    assert AuditRecord.objects.filter(
        action=PanelAction.SUSPENSION_RECORDED, target_id=str(suspension.pk)
    ).exists()
    assert not AuditRecord.objects.filter(action="panel.suspension.create").exists()


def test_a_written_suspension_ending_before_it_starts_is_refused_not_a_500(secretariat, panel):
    breaching = party_in("SUPPLIER")

    with pytest.raises(DomainError) as refused:
        _written_suspension(
            secretariat, panel, breaching, valid_from="2026-05-14", valid_to="2026-05-01"
        )

    assert refused.value.field == "valid_to" and refused.value.rule == "period_ordered"
    assert not Suspension.objects.exists()
    assert not Resolution.objects.exists()


def test_a_written_suspension_overlapping_an_existing_one_is_refused(secretariat, panel):
    breaching = party_in("SUPPLIER")
    Suspension.objects.create(
        party=breaching, valid_from=D(2026, 5, 1), valid_to=D(2026, 5, 31), panel_resolution="R0"
    )

    with pytest.raises(Conflict) as refused:
        _written_suspension(secretariat, panel, breaching, valid_from="2026-05-20")

    assert refused.value.rule == "one_suspension_at_a_time"
    assert Suspension.objects.count() == 1
    assert not Resolution.objects.exists()
