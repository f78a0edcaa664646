"""The life of a Change Proposal through the services, with a frozen clock."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from changes import selectors, services
from changes.models import ProposerKind, SignificantCodeReview, WorkingGroup
from changes.services import MemberSpec
from changes.states import State
from changes.tasks import flag_due_and_overdue, freeze_register_if_first_working_day
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import Category, Suspension

from .factories import TIMETABLE, PartyFactory, UserFactory, proposal, proposal_in, representative

D = dt.date


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


def members(n):
    return [MemberSpec(name=f"Member {i}", organisation=f"Org {i}") for i in range(n)]


@pytest.fixture
def submitted(rep, party):
    draft = proposal(raised_by=rep, party=party)
    with at(D(2027, 3, 24)):  # Wednesday before Easter 2027
        return services.proposal_submit(proposal=draft, by=rep)


# -- raising and the Panel's consideration ---------------------------------------------------


@pytest.mark.django_db
def test_submission_numbers_the_proposal_and_starts_the_25_working_day_panel_window(submitted):
    assert submitted.reference.startswith("DCP ")
    assert submitted.status == State.SUBMITTED
    # 25 Working Days from Wed 24 March 2027 across Good Friday and Easter Monday: Fri 30 April.
    assert submitted.current_deadline.due_on == D(2027, 4, 30)
    assert submitted.current_deadline.rule == "10.12"


@pytest.mark.django_db
def test_urgent_proposals_are_considered_within_5_working_days(rep, party):
    draft = proposal(raised_by=rep, party=party, urgency_requested=True, urgency_reasons="Breach")
    with at(D(2027, 3, 24)):
        p = services.proposal_submit(proposal=draft, by=rep)
    assert p.current_deadline.due_on == D(2027, 4, 2)  # 25, 30, 31 March, 1, 2 April


@pytest.mark.django_db
def test_submission_needs_every_item_of_10_4(rep, party):
    draft = proposal(raised_by=rep, party=party, ghg_statement="")
    with pytest.raises(DomainError, match="greenhouse gas") as refused:
        services.proposal_submit(proposal=draft, by=rep)
    assert refused.value.field == "ghg_statement"
    draft.refresh_from_db()
    assert draft.status == State.DRAFT and draft.number is None


@pytest.mark.django_db
def test_who_may_raise(rep, party, public, consumer, secretariat):
    services.proposal_save_draft(
        by=consumer, proposer_kind=ProposerKind.CONSUMER_BODY, proposer_name="CB", title="t"
    )
    services.proposal_save_draft(
        by=secretariat, proposer_kind=ProposerKind.PARTY, proposer_party=party, title="t"
    )
    with pytest.raises(NotAllowed, match="10.2"):
        services.proposal_save_draft(by=public, proposer_kind=ProposerKind.CONSUMER_BODY, title="t")
    cmr = PartyFactory(is_crowded_meter_room_coordinator=True)
    with pytest.raises(NotAllowed, match="Crowded Meter Room Coordinator"):
        services.proposal_save_draft(
            by=representative(cmr), proposer_kind="party", proposer_party=cmr, title="t"
        )
    sip = PartyFactory(category=Category.SIP)
    with pytest.raises(NotAllowed, match="Section 2H"):
        services.proposal_save_draft(
            by=representative(sip), proposer_kind="party", proposer_party=sip, title="t"
        )
    services.proposal_save_draft(
        by=representative(sip),
        proposer_kind="party",
        proposer_party=sip,
        section_2h=True,
        title="t",
    )
    Suspension.objects.create(party=party, valid_from=D(2020, 1, 1), panel_resolution="R1")
    with pytest.raises(NotAllowed, match="54.4"):
        services.proposal_save_draft(by=rep, proposer_kind="party", proposer_party=party, title="t")


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_secretariat_refuses_incomplete_and_the_panel_may_overrule(submitted, secretariat, rep):
    with at(D(2027, 3, 25)):
        p = services.proposal_transition(
            proposal=submitted, action="refuse_incomplete", by=secretariat, reason="No legal text"
        )
        assert p.status == State.REFUSED_INCOMPLETE and p.current_deadline is None
        assert any("refused" in m.subject for m in mail.outbox)
        p = services.proposal_transition(
            proposal=p, action="panel_overrule_refusal", by=secretariat
        )
    assert p.status == State.WITH_PANEL
    assert p.current_deadline.due_on == D(2027, 4, 30)


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_panel_acceptance_sets_part_definition_and_a_six_month_timetable(submitted, secretariat):
    with at(D(2027, 3, 25)):
        p = services.proposal_transition(
            proposal=submitted, action="refer_to_panel", by=secretariat, initial_assessment="Modest"
        )
        long = [{"stage": "Report", "planned": "2027-10-01"}]
        with pytest.raises(DomainError, match="six months"):
            services.proposal_transition(
                proposal=p,
                action="panel_accept",
                by=secretariat,
                part=2,
                definition_procedure=True,
                timetable=long,
            )
        mail.outbox.clear()
        p = services.proposal_transition(
            proposal=p,
            action="panel_accept",
            by=secretariat,
            part=2,
            definition_procedure=True,
            timetable=TIMETABLE,
        )
    assert p.status == State.DEFINITION and p.part == 2 and p.accepted_on == D(2027, 3, 25)
    assert "placed into the Assessment Process" in mail.outbox[0].subject  # 11.2
    assert p.current_deadline.what == "Timetable: Working Group"


@pytest.mark.django_db
def test_authority_change_proposals_cannot_be_refused_and_are_part_1(authority, secretariat):
    draft = proposal(
        raised_by=authority, proposer_kind=ProposerKind.AUTHORITY, proposer_name="The Authority"
    )
    with at(D(2027, 3, 24)):
        p = services.proposal_submit(proposal=draft, by=authority)
        assert p.part == 1
        p = services.proposal_transition(
            proposal=p, action="refer_to_panel", by=secretariat, initial_assessment="x"
        )
        with pytest.raises(DomainError, match="10.14A"):
            services.proposal_transition(
                proposal=p,
                action="panel_refuse",
                by=secretariat,
                reason="dup",
                ground="duplicate",
                duplicate_of="DCP 1",
            )
        with pytest.raises(DomainError, match="always a Part 1 Matter"):
            services.proposal_transition(
                proposal=p,
                action="panel_accept",
                by=secretariat,
                part=2,
                definition_procedure=False,
                timetable=TIMETABLE,
            )
        p = services.proposal_transition(
            proposal=p,
            action="panel_accept",
            by=secretariat,
            definition_procedure=False,
            timetable=TIMETABLE,
        )
        assert p.part == 1
        with pytest.raises(DomainError, match="Authority's consent"):
            services.proposal_withdraw(proposal=p, by=authority)
        p = services.proposal_withdraw(
            proposal=p, by=authority, authority_consent="Letter of 1 March"
        )
    assert p.status == State.WITHDRAWN


@pytest.mark.django_db
def test_the_panel_must_refuse_within_a_live_significant_code_review(
    submitted, secretariat, authority
):
    scr = services.scr_create(
        by=authority, reference="SCR-2027-1", title="Access reform", starts_on=D(2027, 1, 1)
    )
    with at(D(2027, 3, 25)):
        p = services.proposal_transition(
            proposal=submitted, action="refer_to_panel", by=secretariat, initial_assessment="x"
        )
        p = services.proposal_flag_scr(proposal=p, by=secretariat, scr=scr)
        with pytest.raises(DomainError, match="10.22"):
            services.proposal_transition(
                proposal=p,
                action="panel_accept",
                by=secretariat,
                part=2,
                definition_procedure=True,
                timetable=TIMETABLE,
            )
        p = services.proposal_authority_direct(
            proposal=p, by=authority, action="scr_direction", within_scope=False
        )
        p = services.proposal_transition(
            proposal=p,
            action="panel_accept",
            by=secretariat,
            part=2,
            definition_procedure=True,
            timetable=TIMETABLE,
        )
    assert p.status == State.DEFINITION


@pytest.mark.django_db
def test_refused_proposer_may_ask_the_authority_within_10_working_days(
    submitted, secretariat, rep, authority
):
    with at(D(2027, 3, 25)):
        p = services.proposal_transition(
            proposal=submitted, action="refer_to_panel", by=secretariat, initial_assessment="x"
        )
        p = services.proposal_transition(
            proposal=p,
            action="panel_refuse",
            by=secretariat,
            reason="Outside Condition 22",
            ground="out_of_scope",
        )
    assert p.current_deadline.due_on == D(2027, 4, 12)  # 25 Mar + 10 WD across Easter
    with at(D(2027, 4, 13)), pytest.raises(DomainError, match="within 10 Working Days"):
        services.proposal_transition(
            proposal=p, action="ask_authority", by=rep, reason="It is in scope"
        )
    with at(D(2027, 4, 12)):
        p = services.proposal_transition(
            proposal=p, action="ask_authority", by=rep, reason="It is in scope"
        )
        p = services.proposal_authority_direct(
            proposal=p, by=authority, action="authority_direct_acceptance"
        )
    assert p.status == State.WITH_PANEL and p.authority_directed_acceptance
    with pytest.raises(DomainError, match="10.21"):
        services.proposal_transition(
            proposal=p, action="panel_refuse", by=secretariat, reason="x", ground="out_of_scope"
        )


@pytest.mark.django_db
def test_scr_refusal_cannot_go_to_the_authority(submitted, secretariat, rep):
    with at(D(2027, 3, 25)):
        p = services.proposal_transition(
            proposal=submitted, action="refer_to_panel", by=secretariat, initial_assessment="x"
        )
        p = services.proposal_transition(
            proposal=p, action="panel_refuse", by=secretariat, reason="SCR", ground="scr"
        )
        assert p.current_deadline is None
        with pytest.raises(DomainError, match="only a refusal as a duplicate"):
            services.proposal_transition(proposal=p, action="ask_authority", by=rep, reason="x")


# -- Working Groups, consultations, the Change Report and the vote ---------------------------


@pytest.fixture
def in_definition(rep, party, secretariat):
    return proposal_in(State.DEFINITION, raised_by=rep, party=party, today=D(2027, 3, 1))


@pytest.mark.django_db
def test_working_group_needs_five_members_besides_the_nominee(in_definition, secretariat):
    four_and_nominee = members(4) + [MemberSpec("Nominee", "Brightwater", is_proposer_nominee=True)]
    with pytest.raises(DomainError, match="at least five members"):
        services.working_group_create(
            proposal=in_definition,
            by=secretariat,
            name="WG",
            terms_of_reference="ToR",
            members=four_and_nominee,
        )
    assert not WorkingGroup.objects.exists()
    group = services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=members(5),
    )
    assert group.members.count() == 5


@pytest.mark.django_db
def test_late_consultation_response_needs_a_reason_and_confidential_parts_stay_hidden(
    in_definition, secretariat, rep, party, authority, public
):
    services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=members(5),
    )
    c = services.consultation_open(
        proposal=in_definition,
        by=secretariat,
        title="Consultation 1",
        questions=["Agree?", "Costs?"],
        opens_on=D(2027, 3, 1),
    )
    assert c.closes_on == D(2027, 3, 22)  # 15 Working Days
    received = at(D(2027, 3, 23))  # each response is recorded on the day it arrives
    received.start()
    with pytest.raises(DomainError, match="late response") as refused:
        services.consultation_respond(
            consultation=c,
            by=secretariat,
            party=party,
            respondent_name="Brightwater",
            answers={1: "Yes"},
            submitted_on=D(2027, 3, 23),
        )
    assert refused.value.field == "late_reason"
    r = services.consultation_respond(
        consultation=c,
        by=secretariat,
        party=party,
        respondent_name="Brightwater",
        answers={1: "Yes", 2: ("£2m", True)},
        submitted_on=D(2027, 3, 23),
        late_reason="IT outage",
    )
    assert r.late
    services.consultation_respond(
        consultation=c,
        by=secretariat,
        respondent_name="Secret Co",
        answers={1: "No"},
        confidential=True,
        submitted_on=D(2027, 3, 10),
    )
    received.stop()
    public_rows = list(selectors.public_consultation_responses(consultation=c))
    assert [x.respondent_name for x in public_rows] == ["Brightwater"]
    assert [a.text for a in public_rows[0].answers.all()] == ["Yes"]
    assert selectors.consultation_responses_for(consultation=c, user=authority).count() == 2
    assert selectors.consultation_responses_for(consultation=c, user=public).count() == 1


@pytest.mark.django_db
def test_vote_waits_7_days_after_the_authority_received_the_report(in_definition, secretariat):
    services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=members(5),
    )
    with at(D(2027, 3, 2)):
        p = services.proposal_transition(
            proposal=in_definition, action="definition_complete", by=secretariat
        )
        report = services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO", "IDNO", "SUPPLIER"],
            variation="v",
            effects="e",
            implementation_date=D(2027, 11, 4),
        )
        p = services.proposal_transition(proposal=p, action="issue_change_report", by=secretariat)
        services.change_report_send_to_authority(report=report, by=secretariat)
    with at(D(2027, 3, 8)), pytest.raises(DomainError, match="not before 09 March 2027"):
        services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)
    with at(D(2027, 3, 9)):
        p = services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)
    assert p.status == State.AWAITING_VOTE


@pytest.mark.django_db
def test_the_proposers_alternative_must_be_on_the_report_and_at_most_two(
    in_definition, secretariat
):
    group = services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=[*members(5), MemberSpec("Nominee", "Proposer", is_proposer_nominee=True)],
    )
    m = list(group.members.filter(is_proposer_nominee=False).order_by("name"))
    m[2] = group.members.get(is_proposer_nominee=True)  # the Proposer's alternative (11.23)
    with at(D(2027, 3, 2)):
        p = services.proposal_transition(
            proposal=in_definition, action="definition_complete", by=secretariat
        )
        report = services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO"],
            variation="v",
            effects="e",
            implementation_date=D(2027, 11, 4),
        )
        services.change_report_send_to_authority(report=report, by=secretariat)
    with at(D(2027, 3, 9)):  # 7 days after the report was provided to the Authority (11.22.2)
        p = services.proposal_transition(proposal=p, action="issue_change_report", by=secretariat)
        alts = [
            services.alternative_put_forward(
                proposal=p,
                by=secretariat,
                description=f"alt {i}",
                working_group_member=m[i],
                by_proposer=(i == 2),
            )
            for i in range(3)
        ]
        with pytest.raises(DomainError, match="Proposer's alternative"):
            services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)
        assert (
            services.change_report_add_alternative(
                report=report, alternative=alts[2], by=secretariat
            ).reference
            == f"{p.reference}A"
        )
        services.change_report_add_alternative(report=report, alternative=alts[0], by=secretariat)
        with pytest.raises(DomainError, match="At most two"):
            services.change_report_add_alternative(
                report=report, alternative=alts[1], by=secretariat
            )
        p = services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)
    assert p.status == State.AWAITING_VOTE


@pytest.fixture
def voting(rep, party):
    return proposal_in(State.VOTING, raised_by=rep, party=party, part=2)


@pytest.mark.django_db
def test_part2_vote_accepted_opens_a_10_working_day_appeal_window_then_approval(
    voting, secretariat, other_rep, other_party
):
    with at(D(2026, 12, 21)):
        p = services.proposal_vote_declared(
            proposal=voting, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )
    assert p.status == State.ACCEPTED_APPEAL_WINDOW
    assert p.appeal_window_ends == D(2027, 1, 7)  # across Christmas 2026 and New Year
    with at(D(2027, 1, 8)), pytest.raises(DomainError, match="within 10 Working Days"):
        services.appeal_lodge(
            proposal=p,
            by=other_rep,
            appellant_party=other_party,
            appellant_name="Octant",
            reasons="Unfair",
            grounds=["13.20.1"],
        )
    with at(D(2027, 1, 7)):
        flag_due_and_overdue()
    p.refresh_from_db()
    assert p.status == State.ACCEPTED_APPEAL_WINDOW
    with at(D(2027, 1, 8)):
        flag_due_and_overdue()
    p.refresh_from_db()
    assert p.status == State.APPROVED


@pytest.mark.django_db
def test_an_appeal_against_acceptance_suspends_it_and_quashing_deems_it_rejected(
    voting, secretariat, other_rep, other_party, authority
):
    with at(D(2027, 4, 1)):
        p = services.proposal_vote_declared(
            proposal=voting, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )
    with at(D(2027, 4, 6)):
        with pytest.raises(DomainError, match="in writing"):
            services.appeal_lodge(
                proposal=p,
                by=other_rep,
                appellant_party=other_party,
                appellant_name="Octant",
                reasons="Unfair",
                grounds=["13.20.1"],
                in_writing=False,
            )
        appeal = services.appeal_lodge(
            proposal=p,
            by=other_rep,
            appellant_party=other_party,
            appellant_name="Octant",
            reasons="Unfair",
            grounds=["13.20.1"],
        )
        p.refresh_from_db()
        assert p.status == State.UNDER_APPEAL and appeal.against == "accepted"
        services.appeal_decide(
            appeal=appeal, by=authority, outcome="quashed", reasons="Discriminates"
        )
    p.refresh_from_db()
    assert p.status == State.REJECTED and p.part == 1  # 13.22


@pytest.mark.django_db
def test_dismissed_appeal_against_rejection_leaves_it_rejected(
    voting, secretariat, other_rep, other_party, authority
):
    with at(D(2027, 4, 1)):
        p = services.proposal_vote_declared(
            proposal=voting, by=secretariat, variation_outcome="rejected", date_outcome="accepted"
        )
        appeal = services.appeal_lodge(
            proposal=p,
            by=other_rep,
            appellant_party=other_party,
            appellant_name="Octant",
            reasons="r",
            grounds=["13.20.1"],
        )
        services.appeal_decide(appeal=appeal, by=authority, outcome="dismissed")
    p.refresh_from_db()
    assert p.status == State.REJECTED


@pytest.mark.django_db
def test_variation_accepted_date_rejected_re_votes_on_the_date_only(voting, secretariat):
    with at(D(2027, 4, 1)):
        p = services.proposal_vote_declared(
            proposal=voting, by=secretariat, variation_outcome="accepted", date_outcome="rejected"
        )
        assert p.status == State.DATE_REASSESSMENT
    with at(D(2027, 4, 2)):  # 14.3: a new Change Report version with the new date, then its wait
        services.change_report_send_to_authority(
            report=services.change_report_create(
                proposal=p,
                by=secretariat,
                eligible_categories=["DNO"],
                variation="v",
                effects="e",
                implementation_date=D(2028, 4, 1),
            ),
            by=secretariat,
        )
    with at(D(2027, 4, 9)):
        p = services.proposal_transition(proposal=p, action="submit_to_vote", by=secretariat)
        assert p.date_only_vote
        p = services.proposal_voting_opened(proposal=p, by=secretariat)
        p = services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome=None, date_outcome="accepted"
        )
    assert p.status == State.ACCEPTED_APPEAL_WINDOW


@pytest.mark.django_db
def test_part1_vote_goes_to_the_authority_which_may_send_it_back_voiding_the_vote(
    rep, party, secretariat, authority
):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=1)
    with pytest.raises(DomainError, match="Part 1 Matter"):
        services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )
    p = services.proposal_vote_declared(
        proposal=p,
        by=secretariat,
        variation_outcome="recommend_accept",
        date_outcome="recommend_accept",
    )
    assert p.status == State.AWAITING_AUTHORITY
    p = services.proposal_authority_decide(
        proposal=p, by=authority, decision="send_back", reasons="Cannot form a view"
    )
    assert p.status == State.DEFINITION
    assert p.events.get(action="authority_send_back").data["vote_void"] is True


@pytest.mark.django_db
def test_part2_deemed_part1_recommends_rejection(voting, secretariat):
    p = services.proposal_vote_declared(
        proposal=voting,
        by=secretariat,
        variation_outcome="rejected",
        date_outcome="rejected",
        deemed_part1=True,
    )
    assert (
        p.status == State.AWAITING_AUTHORITY
        and p.part == 1
        and p.vote_outcome == "recommend_reject"
    )


@pytest.mark.django_db
def test_implementation_plan_and_authority_date_direction(rep, party, secretariat, authority):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    plan = services.implementation_plan_set(
        proposal=p,
        by=secretariat,
        implementation_date=D(2027, 11, 4),
        actions=[("Publish consolidated text", D(2027, 10, 1))],
    )
    p.refresh_from_db()
    assert p.status == State.IMPLEMENTING
    change = services.implementation_date_direct(
        proposal=p, by=authority, new_date=D(2028, 2, 3), basis="panel_request", reasons="Systems"
    )
    plan.refresh_from_db()
    assert (change.old_date, plan.implementation_date) == (D(2027, 11, 4), D(2028, 2, 3))
    with pytest.raises(DomainError, match="14.11"):
        services.implementation_date_direct(
            proposal=p, by=authority, new_date=D(2028, 3, 3), basis="authority_change"
        )


# -- withdrawal and adoption ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_withdrawn_proposal_adopted_within_10_working_days_gets_a_new_proposer(
    in_definition, rep, other_rep, other_party, secretariat
):
    with at(D(2026, 12, 21)):
        mail.outbox.clear()
        p = services.proposal_withdraw(proposal=in_definition, by=rep, reason="No longer needed")
    assert p.status == State.WITHDRAWN and p.current_deadline.due_on == D(2027, 1, 7)
    assert "notices@ocpe.test" in mail.outbox[0].bcc or "notices@octe.test" in mail.outbox[0].bcc
    with at(D(2027, 1, 7)):
        p = services.proposal_adopt(proposal=p, by=other_rep, party=other_party)
    assert p.status == State.DEFINITION and p.proposer_party == other_party


@pytest.mark.django_db
def test_withdrawn_proposal_not_adopted_leaves_the_process_and_its_working_group_dissolves(
    in_definition, rep, other_rep, other_party, secretariat
):
    group = services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=members(5),
    )
    with at(D(2026, 12, 21)):
        p = services.proposal_withdraw(proposal=in_definition, by=rep)
    with at(D(2027, 1, 8)):
        with pytest.raises(DomainError, match="had to be made by 07 January 2027"):
            services.proposal_adopt(proposal=p, by=other_rep, party=other_party)
        flag_due_and_overdue()
        flag_due_and_overdue()
    p.refresh_from_db()
    group.refresh_from_db()
    assert p.status == State.LEFT_PROCESS and group.dissolved_on == D(2027, 1, 8)
    assert p.events.filter(action="withdrawal_lapse").count() == 1


@pytest.mark.django_db
def test_backstop_withdrawal_has_no_adoption_window(in_definition, authority):
    p = services.proposal_backstop_withdraw(
        proposal=in_definition, by=authority, reason="Back-stop direction"
    )
    assert p.status == State.LEFT_PROCESS and p.current_deadline is None


# -- the scheduled jobs -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_morning_digest_emails_due_and_overdue_once_a_day(rep, party, settings):
    proposal_in(State.WITH_PANEL, raised_by=rep, party=party, due_on=D(2027, 3, 2))
    proposal_in(State.WITH_PANEL, raised_by=rep, party=party, due_on=D(2027, 3, 1))
    mail.outbox.clear()
    with at(D(2027, 3, 2), hour=7):
        flag_due_and_overdue()
        flag_due_and_overdue()
    digests = [m for m in mail.outbox if m.subject.startswith("Deadlines")]
    assert len(digests) == 1
    assert digests[0].to == [settings.SECRETARIAT_EMAIL]
    assert digests[0].subject == "Deadlines: 1 due today, 1 overdue"


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_register_copy_is_made_once_on_the_first_working_day_of_the_month(rep, party, settings):
    proposal_in(State.DEFINITION, raised_by=rep, party=party)
    mail.outbox.clear()
    with at(D(2027, 1, 1), hour=6):  # New Year's Day: not a Working Day
        assert freeze_register_if_first_working_day() is False
    with at(D(2027, 1, 4), hour=6):
        assert freeze_register_if_first_working_day() is True
        assert freeze_register_if_first_working_day() is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [settings.AUTHORITY_EMAIL]
    assert len(mail.outbox[0].attachments) == 2
    with at(D(2027, 1, 5), hour=6):
        assert freeze_register_if_first_working_day() is False


@pytest.mark.django_db
def test_register_rows_cost_one_query_for_any_number_of_proposals(
    rep, party, django_assert_num_queries
):
    for state in (State.DEFINITION, State.WITH_PANEL, State.VOTING, State.REJECTED):
        proposal_in(state, raised_by=rep, party=party)
    with django_assert_num_queries(1):
        rows = selectors.register_rows()
    assert len(rows) == 4 and rows[0].reference.startswith("DCP")


@pytest.mark.django_db
def test_next_actions_for_the_secretariat_desk(rep, party, secretariat, public):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    assert {t.action for t in selectors.next_actions(proposal=p, user=secretariat)} >= {
        "refer_to_panel",
        "refuse_incomplete",
    }
    assert selectors.next_actions(proposal=p, user=public) == []
    assert [t.action for t in selectors.next_actions(proposal=p, user=rep)] == ["withdraw"]


@pytest.mark.django_db
def test_timeline_is_read_from_events(submitted, secretariat):
    services.proposal_transition(
        proposal=submitted, action="refer_to_panel", by=secretariat, initial_assessment="x"
    )
    assert [e.action for e in selectors.proposal_timeline(proposal=submitted)] == [
        "submit",
        "refer_to_panel",
    ]


@pytest.mark.django_db
def test_an_open_working_group_is_one_per_proposal(in_definition, secretariat):
    services.working_group_create(
        proposal=in_definition,
        by=secretariat,
        name="WG",
        terms_of_reference="ToR",
        members=members(5),
    )
    with pytest.raises(Conflict, match="already has a Working Group"):
        services.working_group_create(
            proposal=in_definition,
            by=secretariat,
            name="WG2",
            terms_of_reference="ToR",
            members=members(5),
        )


@pytest.mark.django_db
def test_scr_model_is_live_between_its_dates():
    scr = SignificantCodeReview(
        reference="S", title="t", starts_on=D(2027, 1, 1), ends_on=D(2027, 6, 30)
    )
    assert scr.is_live_on(D(2027, 3, 1)) and not scr.is_live_on(D(2027, 7, 1))
    _ = UserFactory
