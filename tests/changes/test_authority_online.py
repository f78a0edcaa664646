"""The Authority acts online, dated by the system's clock; the Secretariat records its letters
with the letter and a true date; Change Report and implementation dates tell the truth
(10.21, 11.12, 11.21, 11.22.2, 13.9-13.14, 14.6-14.11)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import authority_queue, services
from changes.models import (
    AppealRecord,
    AuthorityDecision,
    ChangeReport,
    ImplementationAction,
    ImplementationPlan,
    ProposalEvent,
)
from changes.services.implementation import ensure_implementation_complete
from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import OutgoingMail

from .factories import proposal_in

D = dt.date
DECLARED = D(2027, 3, 1)


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


def letter(name="decision.pdf"):
    return services.Upload(title=name, file=SimpleUploadedFile(name, b"%PDF letter"))


def declared_part1(rep, party):
    """A Part 1 Matter whose vote was declared on 1 March 2027: it awaits the Authority."""
    p = proposal_in(State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1)
    ProposalEvent.objects.create(
        proposal=p,
        on=DECLARED,
        action="vote_declared_recommendation",
        from_state=State.VOTING,
        to_state=State.AWAITING_AUTHORITY,
    )
    return p


def mails(template):
    return list(OutgoingMail.objects.filter(template=template))


# -- the Part 1 decision (13.9-13.14) ---------------------------------------------------------


@pytest.mark.django_db
def test_the_authoritys_online_decision_is_dated_by_the_system_clock(rep, party, authority):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)):
        p = services.proposal_authority_decide(
            proposal=p, by=authority, decision="accept", reasons="Better facilitates G1."
        )
    assert p.status == State.APPROVED
    decision = AuthorityDecision.objects.get(proposal=p, kind="authority_accept")
    assert decision.decided_on == D(2027, 3, 10) and decision.recorded_by == authority
    assert p.events.get(action="authority_accept").on == D(2027, 3, 10)
    # 13.14: the Parties' notice, and the Proposer and Secretariat told of the decision.
    decided = mails("changes/notice_decided")
    assert decided and party.notice_email in decided[0].bcc
    (told,) = mails("changes/authority_step")
    assert told.to == [settings.SECRETARIAT_EMAIL]
    assert "jo@example.test" in told.bcc and "accepted the proposal" in told.subject


@pytest.mark.django_db
def test_the_authority_online_cannot_backdate_its_decision(rep, party, authority):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)), pytest.raises(DomainError, match="system's clock") as refused:
        services.proposal_authority_decide(
            proposal=p,
            by=authority,
            decision="reject",
            reasons="No",
            decided_on=D(2027, 3, 2),
        )
    assert refused.value.field == "decided_on"
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY
    assert not AuthorityDecision.objects.filter(proposal=p).exists()


@pytest.mark.django_db
def test_a_party_cannot_take_the_authoritys_decision(rep, party):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)), pytest.raises(NotAllowed, match="only the Authority"):
        services.proposal_authority_decide(
            proposal=p, by=rep, decision="accept", reasons="We like it", document=letter()
        )
    p.refresh_from_db()
    assert p.status == State.AWAITING_AUTHORITY


@pytest.mark.django_db
def test_every_part1_decision_gives_its_reasons(rep, party, authority):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)), pytest.raises(DomainError, match="reasons") as refused:
        services.proposal_authority_decide(proposal=p, by=authority, decision="accept")
    assert refused.value.field == "reason" and refused.value.rule == "13.12"
    with at(D(2027, 3, 10)), pytest.raises(DomainError, match="13.11A"):
        services.proposal_authority_decide(proposal=p, by=authority, decision="send_back")


@pytest.mark.django_db
def test_the_secretariat_records_a_written_decision_only_with_the_letter(rep, party, secretariat):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)), pytest.raises(DomainError, match="letter") as refused:
        services.proposal_authority_decide(
            proposal=p, by=secretariat, decision="accept", reasons="Per letter"
        )
    assert (refused.value.field, refused.value.rule) == ("document", "13.13")


@pytest.mark.parametrize(
    "day, rule",
    [
        (D(2027, 3, 11), "date_not_in_future"),
        (D(2027, 2, 26), "date_not_before_step"),  # before the declaration of 1 March
        (D(1, 1, 1), "date_not_before_step"),
        (D(9999, 12, 31), "date_not_in_future"),
    ],
)
@pytest.mark.django_db
def test_a_written_decision_is_dated_neither_in_the_future_nor_before_the_declaration(
    rep, party, secretariat, day, rule
):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)), pytest.raises(DomainError) as refused:
        services.proposal_authority_decide(
            proposal=p,
            by=secretariat,
            decision="accept",
            reasons="Per letter",
            decided_on=day,
            document=letter(),
        )
    assert (refused.value.field, refused.value.rule) == ("decided_on", rule)
    assert not p.documents.exists()  # the refused step keeps no letter


@pytest.mark.django_db
def test_a_written_decision_keeps_its_letter_and_date(rep, party, secretariat):
    p = declared_part1(rep, party)
    with at(D(2027, 3, 10)):
        services.proposal_authority_decide(
            proposal=p,
            by=secretariat,
            decision="reject",
            reasons="Per letter",
            decided_on=DECLARED,
            document=letter(),
        )
    decision = AuthorityDecision.objects.get(proposal=p)
    assert decision.decided_on == DECLARED and decision.document.title == "decision.pdf"


# -- directions (10.21, 11.12, 11.21) ---------------------------------------------------------


@pytest.mark.django_db
def test_the_authority_directs_acceptance_of_a_referred_refusal(rep, party, authority):
    with at(D(2027, 3, 1)):
        p = proposal_in(
            State.REFERRED_TO_AUTHORITY, raised_by=rep, party=party, due_on=D(2027, 3, 12)
        )
    with at(D(2027, 3, 5)):
        p = services.proposal_authority_direct(
            proposal=p, by=authority, action="authority_direct_acceptance", reasons="In scope"
        )
    assert p.status == State.WITH_PANEL and p.authority_directed_acceptance
    (told,) = mails("changes/authority_step")
    assert "directed the Panel to accept" in told.subject and "jo@example.test" in told.bcc


@pytest.mark.django_db
def test_a_party_cannot_decline_on_the_authoritys_behalf(rep, party):
    p = proposal_in(State.REFERRED_TO_AUTHORITY, raised_by=rep, party=party)
    with pytest.raises(NotAllowed, match="10.21"):
        services.proposal_authority_direct(proposal=p, by=rep, action="authority_decline")


@pytest.mark.django_db
def test_the_authoritys_part_opinion_prevails(rep, party, authority):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party, part=2)
    p = services.proposal_authority_direct(
        proposal=p, by=authority, action="authority_part_opinion", part=1
    )
    assert (p.part, p.authority_part_opinion) == (1, 1)
    assert "Part 1 Matter" in mails("changes/authority_step")[0].body


# -- Change Reports and the 7-day wait (11.22.2) ----------------------------------------------


def report_made_on(p, secretariat, day):
    with at(day):
        return services.change_report_create(
            proposal=p,
            by=secretariat,
            eligible_categories=["DNO"],
            variation="v",
            effects="e",
            implementation_date=D(2027, 11, 4),
        )


@pytest.mark.django_db
def test_a_change_report_cannot_be_sent_before_it_was_made(rep, party, secretariat):
    p = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party)
    report = report_made_on(p, secretariat, D(2026, 12, 2))
    with at(D(2026, 12, 2)), pytest.raises(DomainError, match="made on 02 December") as refused:
        services.change_report_send_to_authority(
            report=report, by=secretariat, sent_on=D(2026, 11, 20)
        )
    assert refused.value.field == "sent_on"
    report.refresh_from_db()
    assert report.sent_to_authority_on is None


@pytest.mark.django_db
def test_a_change_report_cannot_be_sent_in_the_future(rep, party, secretariat):
    p = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party)
    report = report_made_on(p, secretariat, D(2026, 12, 2))
    with at(D(2026, 12, 2)), pytest.raises(DomainError) as refused:
        services.change_report_send_to_authority(
            report=report, by=secretariat, sent_on=D(2026, 12, 3)
        )
    assert (refused.value.field, refused.value.rule) == ("sent_on", "date_not_in_future")


@pytest.mark.django_db
def test_sending_a_change_report_tells_the_authority_when_the_wait_ends(rep, party, secretariat):
    p = proposal_in(State.REPORT_PHASE, raised_by=rep, party=party)
    report = report_made_on(p, secretariat, D(2026, 12, 2))
    with at(D(2026, 12, 3)):
        services.change_report_send_to_authority(report=report, by=secretariat)
    (sent,) = mails("changes/authority_report_sent")
    assert sent.to == [settings.AUTHORITY_EMAIL]
    assert "before 10 December 2026" in sent.body


@pytest.mark.django_db
def test_the_authority_exempts_the_wait_online_and_only_once(rep, party, secretariat, authority):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    report = report_made_on(p, secretariat, D(2026, 12, 2))
    with at(D(2026, 12, 2)), pytest.raises(Conflict, match="not been provided"):
        services.change_report_exempt_wait(report=report, by=authority)
    with at(D(2026, 12, 3)):
        services.change_report_send_to_authority(report=report, by=secretariat)
    with at(D(2026, 12, 4)):
        with pytest.raises(NotAllowed, match="11.22.2"):
            services.change_report_exempt_wait(report=report, by=rep)
        services.change_report_exempt_wait(report=report, by=authority, reasons="Urgent")
        with pytest.raises(Conflict, match="already exempt"):
            services.change_report_exempt_wait(report=report, by=authority)
    assert ChangeReport.objects.get(pk=report.pk).authority_exempted_wait
    exempted = AuthorityDecision.objects.get(proposal=p, kind="wait_exempted")
    assert exempted.decided_on == D(2026, 12, 4) and exempted.recorded_by == authority


@pytest.mark.django_db
def test_a_written_exemption_is_not_dated_before_the_report_was_sent(rep, party, secretariat):
    p = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    report = report_made_on(p, secretariat, D(2026, 12, 2))
    with at(D(2026, 12, 3)):
        services.change_report_send_to_authority(report=report, by=secretariat)
    with at(D(2026, 12, 7)), pytest.raises(DomainError) as refused:
        services.change_report_exempt_wait(
            report=report, by=secretariat, decided_on=D(2026, 12, 2), document=letter()
        )
    assert (refused.value.field, refused.value.rule) == ("decided_on", "date_not_before_step")


# -- implementation (14.6-14.11) --------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_cannot_change_the_accepted_implementation_date(rep, party, secretariat):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)  # accepted for 4 Nov 2027
    with at(D(2027, 3, 1)), pytest.raises(DomainError, match="Only the Authority") as refused:
        services.implementation_plan_set(
            proposal=p,
            by=secretariat,
            implementation_date=D(2026, 12, 25),
            actions=[("Publish", D(2026, 12, 1))],
        )
    assert (refused.value.field, refused.value.rule) == ("implementation_date", "14.9")
    assert not ImplementationPlan.objects.filter(proposal=p).exists()
    with at(D(2027, 3, 1)):
        plan = services.implementation_plan_set(
            proposal=p, by=secretariat, actions=[("Publish", D(2027, 10, 1))]
        )
    assert plan.implementation_date == D(2027, 11, 4)


@pytest.mark.parametrize("day", [D(2027, 2, 28), D(9999, 12, 31), D(1, 1, 1)])
@pytest.mark.django_db
def test_a_directed_implementation_date_is_bounded(rep, party, authority, day):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    with at(D(2027, 3, 1)), pytest.raises(DomainError) as refused:
        services.implementation_date_direct(
            proposal=p, by=authority, new_date=day, basis="panel_request", reasons="r"
        )
    assert refused.value.field == "new_date"


@pytest.mark.django_db
def test_the_authority_directs_a_new_date_online(rep, party, authority, secretariat):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    with at(D(2027, 3, 1)):
        with pytest.raises(DomainError, match="letter") as refused:
            services.implementation_date_direct(
                proposal=p, by=secretariat, new_date=D(2028, 1, 6), basis="panel_request"
            )
        assert refused.value.field == "document"
        change = services.implementation_date_direct(
            proposal=p, by=authority, new_date=D(2028, 1, 6), basis="panel_request", reasons="r"
        )
    assert (change.old_date, change.new_date, change.directed_on) == (
        D(2027, 11, 4),
        D(2028, 1, 6),
        D(2027, 3, 1),
    )
    assert "New implementation date: 06 January 2028" in mails("changes/authority_step")[0].body


@pytest.mark.django_db
def test_the_variation_is_not_made_while_actions_are_outstanding(rep, party, secretariat):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    with pytest.raises(DomainError, match="no implementation plan"):
        ensure_implementation_complete(p)
    with at(D(2027, 3, 1)):
        services.implementation_plan_set(
            proposal=p,
            by=secretariat,
            actions=[("Publish", D(2027, 10, 1)), ("Notify", D(2027, 10, 2))],
        )
    with pytest.raises(DomainError, match="Publish .*Notify") as refused:
        ensure_implementation_complete(p)
    assert refused.value.rule == "14.7"
    with at(D(2027, 3, 2)):
        for action in ImplementationAction.objects.filter(plan__proposal=p):
            services.implementation_action_done(action=action, by=secretariat)
    ensure_implementation_complete(p)


@pytest.mark.django_db
def test_an_action_is_not_done_in_the_future(rep, party, secretariat):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    with at(D(2027, 3, 1)):
        plan = services.implementation_plan_set(
            proposal=p, by=secretariat, actions=[("Publish", D(2027, 10, 1))]
        )
        with pytest.raises(DomainError) as refused:
            services.implementation_action_done(
                action=plan.actions.get(), by=secretariat, done_on=D(2027, 3, 9)
            )
    assert refused.value.field == "done_on"


# -- what awaits the Authority ----------------------------------------------------------------


def one_of_each_kind(rep, party, secretariat):
    declared_part1(rep, party)
    appealed = proposal_in(State.UNDER_APPEAL, raised_by=rep, party=party)
    AppealRecord.objects.create(
        proposal=appealed, appellant_name="Octant", lodged_on=D(2027, 3, 2), reasons="Unfair"
    )
    proposal_in(State.REFERRED_TO_AUTHORITY, raised_by=rep, party=party, due_on=D(2027, 3, 15))
    proposal_in(State.WITH_PANEL, raised_by=rep, proposer_kind="authority", due_on=D(2027, 4, 1))
    proposal_in(
        State.DEFINITION,
        raised_by=rep,
        party=party,
        previous_timetable=[{"stage": "WG", "planned": "2027-04-01", "actual": None}],
    )
    waiting = proposal_in(State.REPORT_ISSUED, raised_by=rep, party=party)
    report = report_made_on(waiting, secretariat, D(2027, 3, 1))
    ChangeReport.objects.filter(pk=report.pk).update(sent_to_authority_on=D(2027, 3, 1))
    proposal_in(State.APPROVED, raised_by=rep, party=party)


@pytest.mark.django_db
def test_every_kind_of_matter_awaits_the_authority_with_its_deadline(rep, party, secretariat):
    one_of_each_kind(rep, party, secretariat)
    matters = authority_queue.awaiting_authority(D(2027, 3, 3))
    kinds = {m.kind for m in matters}
    assert kinds == {
        "Part 1 decisions",
        "Appeals",
        "Refusals referred to the Authority",
        "Authority Change Proposals",
        "Timetable variations",
        "Change Reports before the vote",
        "Implementation dates",
        "Part 1 or Part 2 opinions",
    }
    part1 = next(m for m in matters if m.kind == "Part 1 decisions")
    assert part1.since == DECLARED and part1.waiting_days == 2
    assert part1.url.endswith("/authority/decide/")
    referral = next(m for m in matters if m.kind == "Refusals referred to the Authority")
    assert referral.due_on == D(2027, 3, 15) and referral.must
    wait = next(m for m in matters if m.kind == "Change Reports before the vote")
    assert wait.due_on == D(2027, 3, 8) and not wait.must
    # The wait has run out by 8 March: nothing left to exempt.
    later = authority_queue.awaiting_authority(D(2027, 3, 8))
    assert "Change Reports before the vote" not in {m.kind for m in later}


@pytest.mark.django_db
def test_the_queue_takes_the_same_queries_whatever_the_number_of_matters(
    rep, party, secretariat, django_assert_max_num_queries
):
    one_of_each_kind(rep, party, secretariat)
    with django_assert_max_num_queries(9):  # the calendar, then one per kind
        few = authority_queue.awaiting_authority(D(2027, 3, 3))
    for _ in range(3):
        one_of_each_kind(rep, party, secretariat)
    with django_assert_max_num_queries(9):
        many = authority_queue.awaiting_authority(D(2027, 3, 3))
    assert len(many) == 4 * len(few)
