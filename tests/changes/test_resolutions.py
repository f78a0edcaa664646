"""Panel resolutions move a Change Proposal through its services; an issue becomes a proposal."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.apps import apps
from django.db import connection

from changes import services
from changes.models import ChangeProposal, ImplementationPlan, ProposalEvent, WorkingGroup
from changes.resolutions import HANDLERS, register_resolution_handlers
from changes.services.from_issue import proposal_from_issue_form
from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import IssueForm, Resolution
from panel.services import (
    AttendanceEntry,
    NoQuorum,
    attendance_record,
    resolution_take,
    written_resolution_take,
)
from panel.services import resolutions as panel_services
from tests.panel_work.factories import Panel, PanelMeetingFactory, full_panel

from .factories import TIMETABLE, PartyFactory, UserFactory, proposal_in

pytestmark = pytest.mark.django_db
D = dt.date
MEETING_DAY = D(2027, 3, 17)


@pytest.fixture(autouse=True)
def handlers():
    # Other tests unregister handlers they replace; make sure ours are the ones in place.
    register_resolution_handlers()


@pytest.fixture
def panel(db) -> Panel:
    return full_panel()


def meeting_with(secretariat, panel, *, on=MEETING_DAY, present=None):
    meeting = PanelMeetingFactory(meeting_date=on)
    keys = present or list(panel.members)
    entries = [AttendanceEntry(panel.m(k)) for k in keys]
    # Attendance is recorded once the meeting is held (7.19), on or after its day.
    with time_machine.travel(dt.datetime.combine(on, dt.time(16, 0)), tick=False):
        attendance_record(by=secretariat, meeting=meeting, entries=entries)
    return meeting


def take(secretariat, panel, kind, *, meeting=None, against=(), **fields):
    meeting = meeting or meeting_with(secretariat, panel)
    votes = {m.pk: ("AGAINST" if k in against else "FOR") for k, m in panel.members.items()}
    return resolution_take(
        by=secretariat,
        meeting=meeting,
        kind=kind,
        title=fields.pop("title", f"{kind} resolution"),
        votes=votes,
        **fields,
    )


def events(p, action):
    return ProposalEvent.objects.filter(proposal=p, action=action)


def test_the_changes_app_registers_its_handlers_when_it_is_ready():
    for kind in HANDLERS:
        panel_services.unregister_resolution_handler(kind)
    apps.get_app_config("changes").ready()
    assert {k: panel_services._HANDLERS[k] for k in HANDLERS} == HANDLERS


# -- Part determination and acceptance (10.12, 11.3-11.11) ------------------------------------


def test_part_determination_accepts_the_proposal_as_the_panel_decided(
    rep, party, secretariat, panel
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    resolution = take(
        secretariat,
        panel,
        "PART_DETERMINATION",
        target_ids=[p.pk],
        payload={"part": 2, "definition_procedure": True, "urgent": False, "timetable": TIMETABLE},
    )
    p.refresh_from_db()
    assert p.status == State.DEFINITION and p.part == 2 and p.accepted_on == MEETING_DAY
    event = events(p, "panel_accept").get()
    assert event.actor == secretariat and event.on == MEETING_DAY
    assert resolution.reference in event.reason
    assert event.data["resolution"] == resolution.reference
    assert resolution.effect == (
        f"{p.reference} accepted into the Assessment Process as a Part 2 Matter, to the "
        f"Definition Procedure (Working Group) (resolution {resolution.reference})."
    )


def test_part_determination_by_reference_without_definition_goes_to_the_report_phase(
    rep, party, secretariat, panel
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    resolution = take(
        secretariat,
        panel,
        "PART_DETERMINATION",
        payload={
            "proposal": p.reference,
            "part": 1,
            "definition_procedure": False,
            "urgent": True,
            "timetable": TIMETABLE,
        },
    )
    p.refresh_from_db()
    assert (p.status, p.part, p.urgent) == (State.REPORT_PHASE, 1, True)
    assert "Urgent Part 1 Matter, to the Report Phase" in resolution.effect


def test_a_resolution_that_fails_the_vote_does_not_move_the_proposal(
    rep, party, secretariat, panel
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    resolution = take(
        secretariat,
        panel,
        "PART_DETERMINATION",
        target_ids=[p.pk],
        payload={"part": 2, "definition_procedure": True, "timetable": TIMETABLE},
        against=("dno1", "sup1", "cva"),  # 3 of 6 is not a majority of those present (7.19)
    )
    assert not resolution.passed and resolution.effect == ""
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL and p.part == 2 and p.accepted_on is None
    assert not ProposalEvent.objects.filter(proposal=p).exists()


def test_without_a_quorum_no_resolution_is_taken_and_the_proposal_stays(
    rep, party, secretariat, panel
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    meeting = meeting_with(secretariat, panel, present=["dno1", "sup1", "cva"])
    with pytest.raises(NoQuorum, match="quorum"):
        resolution_take(
            by=secretariat,
            meeting=meeting,
            kind="PART_DETERMINATION",
            title="Accept",
            target_ids=[p.pk],
            payload={"part": 2, "definition_procedure": True, "timetable": TIMETABLE},
            votes={panel.m(k).pk: "FOR" for k in ("dno1", "sup1", "cva")},
        )
    assert not Resolution.objects.exists()
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL
    assert not ProposalEvent.objects.filter(proposal=p).exists()


def test_a_timetable_over_six_months_is_refused_and_the_resolution_rolled_back(
    rep, party, secretariat, panel
):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    too_long = [{"stage": "Change Report", "planned": "2027-10-01"}]
    with pytest.raises(DomainError, match="may not exceed six months") as refused:
        take(
            secretariat,
            panel,
            "PART_DETERMINATION",
            target_ids=[p.pk],
            payload={"part": 2, "definition_procedure": True, "timetable": too_long},
        )
    assert refused.value.field == "timetable" and "was not recorded" in refused.value.message
    assert not Resolution.objects.exists()
    p.refresh_from_db()
    assert p.status == State.WITH_PANEL and p.accepted_on is None


def test_a_resolution_must_name_an_existing_proposal(rep, party, secretariat, panel):
    p = proposal_in(State.WITH_PANEL, raised_by=rep, party=party)
    payload = {"part": 2, "definition_procedure": True, "timetable": TIMETABLE}
    with pytest.raises(DomainError, match="Name the Change Proposal"):
        take(secretariat, panel, "PART_DETERMINATION", payload=payload)
    with pytest.raises(DomainError, match="There is no DCP 99999"):
        take(secretariat, panel, "PART_DETERMINATION", payload={**payload, "proposal": "DCP 99999"})
    with pytest.raises(DomainError, match="names one proposal"):
        take(secretariat, panel, "PART_DETERMINATION", target_ids=[p.pk, p.pk], payload=payload)
    assert not Resolution.objects.exists()


# -- Working Group (11.14-11.15) --------------------------------------------------------------


def wg_members(n, **extra):
    return [{"name": f"Member {i}", "organisation": f"Org {i}", **extra} for i in range(n)]


def test_working_group_resolution_sets_up_the_group(rep, party, secretariat, panel):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    nominee = {"name": "Nominee", "organisation": party.name, "party": party.pk}
    resolution = take(
        secretariat,
        panel,
        "WORKING_GROUP",
        target_ids=[p.pk],
        payload={
            "name": "EV Boundary WG",
            "terms_of_reference": "Assess the EV connection boundary.",
            "members": wg_members(5) + [{**nominee, "is_proposer_nominee": True}],
        },
    )
    group = WorkingGroup.objects.get(proposal=p)
    assert group.name == "EV Boundary WG" and group.created_on == MEETING_DAY
    assert group.members.count() == 6
    assert group.members.get(is_proposer_nominee=True).party == party
    assert resolution.effect == (
        f"EV Boundary WG set up for {p.reference} with 6 members "
        f"(resolution {resolution.reference})."
    )


def test_working_group_with_four_members_is_refused_and_rolled_back(rep, party, secretariat, panel):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    with pytest.raises(DomainError, match="at least five members.*was not recorded"):
        take(
            secretariat,
            panel,
            "WORKING_GROUP",
            target_ids=[p.pk],
            payload={"terms_of_reference": "ToR", "members": wg_members(4)},
        )
    assert not Resolution.objects.exists() and not WorkingGroup.objects.exists()


# -- Change Report: send back, submit to the vote (11.22) -------------------------------------


def report_with_authority(p, secretariat, sent_on):
    """Made and provided to the Authority on `sent_on` (it cannot be sent before it is made,
    nor in the future: 11.22.2)."""
    with time_machine.travel(dt.datetime.combine(sent_on, dt.time(10)), tick=False):
        report = services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO", "IDNO", "SUPPLIER"],
            variation="v",
            effects="e",
            implementation_date=D(2027, 11, 4),
        )
        return services.change_report_send_to_authority(
            report=report, by=secretariat, sent_on=sent_on
        )


def test_send_back_returns_the_change_report_to_the_working_group(rep, party, secretariat, panel):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    WorkingGroup.objects.create(
        proposal=p, name="DCP WG", terms_of_reference="t", created_on=D(2027, 1, 5)
    )
    resolution = take(
        secretariat,
        panel,
        "SEND_BACK",
        target_ids=[p.pk],
        payload={"reason": "The legal text does not match the intent"},
    )
    p.refresh_from_db()
    assert p.status == State.DEFINITION
    event = events(p, "send_back").get()
    assert event.reason == (
        f"The legal text does not match the intent (Panel resolution {resolution.reference})"
    )
    assert resolution.effect == (
        f"{p.reference}'s Change Report sent back to DCP WG (resolution {resolution.reference})."
    )


def test_send_back_of_a_proposal_not_with_the_panel_is_refused(rep, party, secretariat, panel):
    p = proposal_in(State.AWAITING_VOTE, raised_by=rep, party=party)
    with pytest.raises(Conflict, match="11.22.1.*was not recorded"):
        take(secretariat, panel, "SEND_BACK", target_ids=[p.pk])
    assert not Resolution.objects.exists()
    assert not events(p, "send_back").exists()


def test_submit_to_vote_waits_7_days_after_the_authority_got_the_report(
    rep, party, secretariat, panel
):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    report_with_authority(p, secretariat, sent_on=D(2027, 3, 12))
    early = meeting_with(secretariat, panel, on=D(2027, 3, 17))
    with pytest.raises(DomainError, match="not before 19 March 2027") as refused:
        take(secretariat, panel, "SUBMIT_TO_VOTE", meeting=early, target_ids=[p.pk])
    assert refused.value.rule == "11.22.2, 11.23"
    assert refused.value.message.endswith(
        f"The resolution ({early.reference} R1) was not recorded."
    )
    assert not Resolution.objects.exists()
    p.refresh_from_db()
    assert p.status == State.REPORT_ISSUED and not events(p, "submit_to_vote").exists()

    later = meeting_with(secretariat, panel, on=D(2027, 3, 19))
    resolution = take(secretariat, panel, "SUBMIT_TO_VOTE", meeting=later, target_ids=[p.pk])
    p.refresh_from_db()
    assert p.status == State.AWAITING_VOTE
    event = events(p, "submit_to_vote").get()
    assert event.on == D(2027, 3, 19) and resolution.reference in event.reason
    assert resolution.effect == (
        f"{p.reference} submitted to the vote (resolution {resolution.reference})."
    )


def test_a_written_resolution_signed_by_all_submits_to_the_vote(rep, party, secretariat, panel):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    report_with_authority(p, secretariat, sent_on=D(2027, 3, 1))
    resolution = written_resolution_take(
        by=secretariat,
        kind="SUBMIT_TO_VOTE",
        title="Submit to the vote",
        signed_for=[m.pk for m in panel.members.values()],
        decided_on=D(2027, 3, 10),
        payload={"proposal": p.reference},
    )
    p.refresh_from_db()
    assert resolution.written and p.status == State.AWAITING_VOTE
    assert events(p, "submit_to_vote").get().data["resolution"] == resolution.reference


# -- implementation (14.6) --------------------------------------------------------------------


def test_implementation_timetable_sets_the_plan(rep, party, secretariat, panel):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    resolution = take(
        secretariat,
        panel,
        "IMPLEMENTATION_TIMETABLE",
        target_ids=[p.pk],
        payload={
            "implementation_date": "2027-11-04",
            "actions": [
                {"description": "Publish consolidated text", "due_on": "2027-10-01"},
                {"description": "Notify Parties", "due_on": "2027-10-15"},
            ],
        },
    )
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTING
    plan = ImplementationPlan.objects.get(proposal=p)
    assert plan.set_on == MEETING_DAY and plan.actions.count() == 2
    assert events(p, "implementation_plan_set").get().actor == secretariat
    assert resolution.effect == (
        f"{p.reference}: implementation plan of 2 actions set for 04 November 2027 "
        f"(resolution {resolution.reference})."
    )


def test_implementation_action_after_the_date_is_refused_and_rolled_back(
    rep, party, secretariat, panel
):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    with pytest.raises(DomainError, match="by the implementation date"):
        take(
            secretariat,
            panel,
            "IMPLEMENTATION_TIMETABLE",
            target_ids=[p.pk],
            payload={
                "implementation_date": "2027-11-04",
                "actions": [{"description": "Late", "due_on": "2027-12-01"}],
            },
        )
    assert not Resolution.objects.exists() and not ImplementationPlan.objects.exists()
    p.refresh_from_db()
    assert p.status == State.APPROVED


# -- Standing Issues Group issue -> Change Proposal (Schedule 7, 8) ---------------------------


def issue_form(**fields):
    values = dict(
        reference="ISS-2027-001",
        title="EV chargepoint connection boundary",
        description="Connection charges for EV chargepoints differ between DNOs.",
        raised_on=D(2027, 2, 1),
    )
    values.update(fields)
    return IssueForm.objects.create(**values)


def test_an_issue_becomes_a_draft_proposal_with_its_fields_and_is_marked_converted(rep, party):
    issue = issue_form(raised_by_party=party)
    p = proposal_from_issue_form(issue=issue, by=rep, purpose="Inconsistent EV charging.")
    assert p.status == State.DRAFT
    assert (p.title, p.description) == (issue.title, issue.description)
    assert (p.proposer_kind, p.proposer_party, p.raised_by) == ("party", party, rep)
    assert p.purpose == "Inconsistent EV charging."
    issue.refresh_from_db()
    assert issue.status == IssueForm.Status.CONVERTED
    assert issue.converted_to_reference == p.reference


def test_an_issue_is_raised_as_a_change_proposal_only_once(rep, party, secretariat):
    issue = issue_form(raised_by_party=party)
    first = proposal_from_issue_form(issue=issue, by=rep)
    with pytest.raises(Conflict, match=f"already raised as Change Proposal {first.reference}"):
        proposal_from_issue_form(issue=issue, by=secretariat)
    assert ChangeProposal.objects.count() == 1


def test_an_issue_raised_by_a_non_party_needs_the_proposer_named(secretariat):
    issue = issue_form(raised_by_other="Citizens Advice")
    with pytest.raises(DomainError, match="not a Party: say who raises"):
        proposal_from_issue_form(issue=issue, by=secretariat)
    assert not ChangeProposal.objects.exists()
    p = proposal_from_issue_form(issue=issue, by=secretariat, proposer_kind="consumer_body")
    assert (p.proposer_kind, p.proposer_name) == ("consumer_body", "Citizens Advice")


def test_another_partys_representative_cannot_raise_it_for_the_issuing_party(party, other_rep):
    issue = issue_form(raised_by_party=party)
    with pytest.raises(NotAllowed, match="do not represent"):
        proposal_from_issue_form(issue=issue, by=other_rep)
    issue.refresh_from_db()
    assert issue.status == IssueForm.Status.LOGGED and not ChangeProposal.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_converting_the_same_issue_at_once_make_one_proposal():
    party = PartyFactory()
    issue = issue_form(raised_by_party=party)
    clerks = [UserFactory(username=f"sec{i}", role="SECRETARIAT") for i in range(4)]
    barrier = threading.Barrier(len(clerks))
    results: list[object] = []

    def convert(clerk):
        try:
            barrier.wait()
            results.append(proposal_from_issue_form(issue=issue, by=clerk))
        except Conflict as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=convert, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    made = [r for r in results if isinstance(r, ChangeProposal)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(made) == 1 and len(refused) == len(clerks) - 1
    assert all("already raised" in r.message for r in refused)
    assert ChangeProposal.objects.count() == 1
