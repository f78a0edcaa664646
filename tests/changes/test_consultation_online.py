"""Consultations answered online by the respondents themselves (11.14.1, 11.17, 57.3)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from changes import selectors, services
from changes.audit import ChangeAction
from changes.models import ConsultationInvitation, ConsultationResponse
from changes.services import MemberSpec
from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, OutgoingMail

from .factories import PartyFactory, UserFactory, proposal_in, representative

D = dt.date
OPENS = D(2027, 3, 1)  # a Monday
CLOSES = D(2027, 3, 22)  # 15 Working Days later


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def p(rep, party, secretariat):
    return proposal_in(State.DEFINITION, raised_by=rep, party=party, today=OPENS)


@pytest.fixture
def c(p, secretariat):
    with at(OPENS):
        return services.consultation_open(
            proposal=p, by=secretariat, title="First", questions=["Agree?", "Costs?"]
        )


def acks():
    return list(OutgoingMail.objects.filter(template="changes/consultation_acknowledged"))


# -- opening: a Working Day close, bounded dates ----------------------------------------------


@pytest.mark.django_db
def test_consultation_closes_15_working_days_after_it_opens_by_default(c):
    assert (c.opens_on, c.closes_on) == (OPENS, CLOSES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "closes_on, words",
    [
        (D(2027, 3, 20), "not a Working Day"),  # a Saturday
        (D(2027, 3, 26), "not a Working Day"),  # Good Friday
        (D(2027, 2, 26), "closes after it opens"),
        (D(9999, 12, 31), "Give a date between"),
    ],
)
def test_a_consultation_closes_on_a_later_working_day(p, secretariat, closes_on, words):
    with at(OPENS), pytest.raises(DomainError, match=words) as refused:
        services.consultation_open(
            proposal=p, by=secretariat, title="T", questions=["Q?"], closes_on=closes_on
        )
    assert refused.value.field == "closes_on"


@pytest.mark.django_db
@pytest.mark.parametrize("opens_on", [D(2027, 2, 26), D(1, 1, 1)])
def test_a_consultation_opens_today_or_later(p, secretariat, opens_on):
    with at(OPENS), pytest.raises(DomainError) as refused:
        services.consultation_open(
            proposal=p, by=secretariat, title="T", questions=["Q?"], opens_on=opens_on
        )
    assert refused.value.field == "opens_on"


@pytest.mark.django_db
def test_only_the_secretariat_opens_a_consultation(p, rep):
    with at(OPENS), pytest.raises(NotAllowed, match="Only the Secretariat"):
        services.consultation_open(proposal=p, by=rep, title="T", questions=["Q?"])


@pytest.mark.django_db
def test_the_opening_notice_reaches_the_parties_with_the_answer_page(p, secretariat, party):
    with at(OPENS):
        c = services.consultation_open(proposal=p, by=secretariat, title="T", questions=["Q?"])
    notice = OutgoingMail.objects.get(template="changes/consultation_opened")
    assert party.notice_email in notice.bcc
    assert f"/my/consultations/{c.pk}/" in notice.body and "22 March 2027" in notice.body


# -- the respondent: draft, submit, change until the close ------------------------------------


@pytest.mark.django_db
def test_a_draft_is_saved_without_notice_and_counts_nowhere(c, rep, party):
    with at(D(2027, 3, 3)):
        r = services.consultation_save_draft(
            consultation=c, by=rep, party=party, answers={1: "Thinking"}
        )
    assert r.status == "draft" and r.submitted_on is None and r.submitted_at is None
    assert acks() == []
    assert list(selectors.public_consultation_responses(consultation=c)) == []
    assert AuditRecord.objects.filter(action=ChangeAction.CONSULTATION_DRAFT_SAVED).count() == 1


@pytest.mark.django_db
def test_submitting_dates_it_by_the_system_clock_and_acknowledges_what_was_sent(c, rep, party):
    with at(D(2027, 3, 3)):
        services.consultation_save_draft(consultation=c, by=rep, party=party, answers={1: "x"})
    with at(D(2027, 3, 5), 14):
        r = services.consultation_submit(
            consultation=c, by=rep, party=party, answers={1: "Yes", 2: ("£2m a year", True)}
        )
    assert ConsultationResponse.objects.filter(consultation=c).count() == 1  # the draft, now sent
    assert r.status == "submitted" and r.submitted_on == D(2027, 3, 5)
    assert r.submitted_at.date() == D(2027, 3, 5)
    assert r.respondent_name == party.name and not r.late
    (ack,) = acks()
    assert ack.to == [rep.email]
    assert "£2m a year" in ack.body and "[confidential]" in ack.body
    assert "changed" not in ack.subject.lower()


@pytest.mark.django_db
def test_the_response_may_be_changed_until_the_close_each_change_audited(c, rep, party):
    with at(D(2027, 3, 5)):
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Yes"})
    with at(CLOSES, 16):
        r = services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "No"})
    assert [a.text for a in r.answers.all()] == ["No"] and r.submitted_on == CLOSES
    changed = AuditRecord.objects.get(action=ChangeAction.CONSULTATION_RESPONSE_CHANGED)
    assert changed.data["answers"]["1"]["text"] == "No"
    assert "changed" in acks()[-1].subject.lower()
    with at(CLOSES), pytest.raises(Conflict, match="already submitted"):
        services.consultation_save_draft(consultation=c, by=rep, party=party, answers={1: "?"})


@pytest.mark.django_db
def test_after_the_close_a_response_is_refused_and_nothing_changes(c, rep, party):
    with at(D(2027, 3, 5)):
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Yes"})
    with at(D(2027, 3, 23)), pytest.raises(Conflict, match="Working Group's agreement"):
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "No"})
    assert ConsultationResponse.objects.get(consultation=c).answers.get().text == "Yes"
    assert len(acks()) == 1


@pytest.mark.django_db
def test_closing_early_by_the_secretariat_also_ends_answering(c, rep, party, secretariat):
    with at(D(2027, 3, 10)):
        services.consultation_close(consultation=c, by=secretariat)
        with pytest.raises(Conflict, match="closed on 10 March 2027"):
            services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Y"})


@pytest.mark.django_db
def test_a_response_before_the_consultation_opens_is_refused(p, secretariat, rep, party):
    with at(OPENS):
        c = services.consultation_open(
            proposal=p, by=secretariat, title="T", questions=["Q?"], opens_on=D(2027, 3, 8)
        )
        with pytest.raises(Conflict, match="opens on 8 March 2027"):
            services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Y"})


@pytest.mark.django_db
def test_submitting_needs_an_answer(c, rep, party):
    with at(D(2027, 3, 5)), pytest.raises(DomainError, match="at least one") as refused:
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "  "})
    assert refused.value.field == "answers"


# -- who answers, for which Party --------------------------------------------------------------


@pytest.mark.django_db
def test_one_response_per_party_whichever_representative_writes_it(c, rep, party):
    colleague = representative(party, username="colleague")
    with at(D(2027, 3, 5)):
        services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Yes"})
        services.consultation_submit(consultation=c, by=colleague, party=party, answers={1: "No"})
    (r,) = ConsultationResponse.objects.filter(consultation=c)
    assert r.answers.get().text == "No" and r.submitted_by == colleague


@pytest.mark.django_db
def test_a_representative_answers_only_for_their_own_party(c, rep, other_party, public):
    with at(D(2027, 3, 5)):
        with pytest.raises(NotAllowed, match="do not represent") as refused:
            services.consultation_submit(
                consultation=c, by=rep, party=other_party, answers={1: "Y"}
            )
        assert refused.value.field == "party"
        with pytest.raises(NotAllowed, match="11.14.1"):
            services.consultation_submit(consultation=c, by=public, answers={1: "Y"})
        with pytest.raises(DomainError, match="Choose which of your Parties"):
            services.consultation_submit(consultation=c, by=rep, answers={1: "Y"})


@pytest.mark.django_db
def test_the_consumer_body_answers_in_its_own_name(c, consumer):
    consumer.organisation = "Citizens Advice"
    consumer.save()
    with at(D(2027, 3, 5)):
        r = services.consultation_submit(consultation=c, by=consumer, answers={1: "Yes"})
    assert r.party is None and r.respondent_name == "Citizens Advice"


# -- invitations and late responses (the Secretariat for the Working Group) --------------------


@pytest.mark.django_db
def test_the_secretariat_invites_a_respondent_for_the_working_group(c, secretariat, rep):
    guest = UserFactory(username="guest", organisation="Heat Networks Ltd")
    with at(D(2027, 3, 2)):
        with pytest.raises(NotAllowed, match="Only the Secretariat"):
            services.consultation_invite(consultation=c, by=rep, user=guest)
        with pytest.raises(NotAllowed):
            services.consultation_submit(consultation=c, by=guest, answers={1: "Y"})
        services.consultation_invite(consultation=c, by=secretariat, user=guest)
        with pytest.raises(Conflict, match="already invited"):
            services.consultation_invite(consultation=c, by=secretariat, user=guest)
        r = services.consultation_submit(consultation=c, by=guest, answers={1: "Y"})
    assert ConsultationInvitation.objects.get().invited_by == secretariat
    assert r.respondent_name == "Heat Networks Ltd"
    invite = OutgoingMail.objects.get(template="changes/consultation_invited")
    assert invite.to == [guest.email] and f"/my/consultations/{c.pk}/" in invite.body


@pytest.mark.django_db
def test_a_late_response_only_with_the_working_groups_agreement(c, secretariat, rep, party):
    with at(D(2027, 3, 24)):
        with pytest.raises(Conflict):
            services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Y"})
        with pytest.raises(NotAllowed, match="Only the Secretariat"):
            services.consultation_allow_late(
                consultation=c, by=rep, party=party, reason="Outage", agreed_on=D(2027, 3, 23)
            )
        services.consultation_allow_late(
            consultation=c,
            by=secretariat,
            party=party,
            reason="IT outage on the closing day",
            agreed_on=D(2027, 3, 23),
        )
        r = services.consultation_submit(consultation=c, by=rep, party=party, answers={1: "Y"})
    assert r.late and r.late_agreed_by == secretariat and r.late_agreed_on == D(2027, 3, 23)
    assert r.late_reason == "IT outage on the closing day" and r.status == "submitted"
    assert [x.pk for x in selectors.public_consultation_responses(consultation=c)] == [r.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "agreed_on, words",
    [
        (D(2027, 3, 25), "not later than today"),
        (D(2027, 2, 26), "cannot come before"),
        (D(1, 1, 1), "Give a date between"),
    ],
)
def test_the_late_agreement_date_is_bounded(c, secretariat, party, agreed_on, words):
    with at(D(2027, 3, 24)), pytest.raises(DomainError, match=words) as refused:
        services.consultation_allow_late(
            consultation=c, by=secretariat, party=party, reason="R", agreed_on=agreed_on
        )
    assert refused.value.field == "agreed_on"


@pytest.mark.django_db
def test_the_late_agreement_needs_a_reason_and_one_respondent(c, secretariat, party):
    with at(D(2027, 3, 24)):
        with pytest.raises(DomainError, match="Say why") as refused:
            services.consultation_allow_late(
                consultation=c, by=secretariat, party=party, reason=" ", agreed_on=D(2027, 3, 24)
            )
        assert refused.value.field == "reason"
        with pytest.raises(DomainError, match="Choose the Party"):
            services.consultation_allow_late(
                consultation=c, by=secretariat, reason="R", agreed_on=D(2027, 3, 24)
            )


# -- the Secretariat's desk record keeps working, with its date checked ------------------------


@pytest.mark.django_db
def test_a_response_received_is_dated_not_in_the_future_nor_before_the_opening(
    c, secretariat, party
):
    with at(D(2027, 3, 5)):
        with pytest.raises(DomainError, match="not later than today") as refused:
            services.consultation_respond(
                consultation=c,
                by=secretariat,
                party=party,
                respondent_name=party.name,
                answers={1: "Y"},
                submitted_on=D(2027, 3, 6),
            )
        assert refused.value.field == "submitted_on"
        with pytest.raises(DomainError, match="opens on"):
            services.consultation_respond(
                consultation=c,
                by=secretariat,
                respondent_name="X",
                answers={1: "Y"},
                submitted_on=D(2027, 2, 26),
            )
        r = services.consultation_respond(
            consultation=c,
            by=secretariat,
            party=party,
            respondent_name=party.name,
            answers={1: "Y"},
            submitted_on=D(2027, 3, 4),
        )
    assert r.status == "submitted" and r.submitted_on == D(2027, 3, 4)


@pytest.mark.django_db
def test_a_response_received_replaces_the_partys_unsent_draft(c, secretariat, rep, party):
    with at(D(2027, 3, 3)):
        draft = services.consultation_save_draft(
            consultation=c, by=rep, party=party, answers={1: "half"}
        )
    with at(D(2027, 3, 5)):
        r = services.consultation_respond(
            consultation=c,
            by=secretariat,
            party=party,
            respondent_name=party.name,
            answers={1: "By e-mail"},
        )
        with pytest.raises(Conflict, match="already responded"):
            services.consultation_respond(
                consultation=c,
                by=secretariat,
                party=party,
                respondent_name=party.name,
                answers={1: "Again"},
            )
    assert r.pk == draft.pk and r.status == "submitted"
    assert r.answers.get().text == "By e-mail"


@pytest.mark.django_db
def test_working_group_members_see_confidential_parts_and_other_parties_do_not(
    p, c, secretariat, rep, party, other_rep
):
    member = UserFactory(username="wg-member")
    with at(OPENS):
        services.working_group_create(
            proposal=p,
            by=secretariat,
            name="WG",
            terms_of_reference="ToR",
            members=[MemberSpec(name="Member", organisation="Org", user=member)]
            + [MemberSpec(name=f"M{i}", organisation=f"O{i}") for i in range(4)],
        )
    with at(D(2027, 3, 5)):
        services.consultation_submit(
            consultation=c, by=rep, party=party, answers={1: "Open", 2: ("SECRET-COST", True)}
        )
    other = PartyFactory(name="Kestrel")
    kestrel_rep = representative(other, username="kestrel")
    with at(D(2027, 3, 5)):
        services.consultation_save_draft(
            consultation=c, by=kestrel_rep, party=other, answers={1: "DRAFT-ONLY"}
        )

    def texts(user):
        rows = selectors.consultation_responses_for(consultation=c, user=user)
        return [a.text for r in rows for a in r.answers.all()]

    assert texts(member) == ["Open", "SECRET-COST"]
    assert texts(other_rep) == ["Open"]
    assert "DRAFT-ONLY" not in texts(member) + texts(secretariat)


@pytest.mark.django_db
def test_a_party_answers_online_not_through_the_secretariats_record(c, rep, party):
    with at(D(2027, 3, 5)), pytest.raises(NotAllowed, match="Only the Secretariat"):
        services.consultation_respond(
            consultation=c,
            by=rep,
            party=party,
            respondent_name=party.name,
            answers={1: "Y"},
            submitted_on=D(2027, 3, 1),
        )
    assert not ConsultationResponse.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_representatives_submitting_at_once_leave_one_response_for_their_party():
    party = PartyFactory(name="Race Energy")
    reps = [representative(party, username=f"race{i}") for i in range(4)]
    secretariat = UserFactory(username="race-sec", role="SECRETARIAT")
    author = UserFactory(username="race-author", role="PARTY_REPRESENTATIVE")
    p = proposal_in(State.DEFINITION, raised_by=author, party=party, today=OPENS)
    with at(OPENS):
        c = services.consultation_open(proposal=p, by=secretariat, title="T", questions=["Q?"])
    barrier = threading.Barrier(len(reps))
    results: list[object] = []

    def submit(user):
        try:
            barrier.wait()
            results.append(
                services.consultation_submit(
                    consultation=c, by=user, party=party, answers={1: user.username}
                )
            )
        except Conflict as exc:
            results.append(exc)
        finally:
            connection.close()

    with at(D(2027, 3, 3)):
        threads = [threading.Thread(target=submit, args=(u,)) for u in reps]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(results) == len(reps) and all(
        isinstance(r, ConsultationResponse) for r in results
    )  # each later one changes the Party's response
    (row,) = ConsultationResponse.objects.filter(consultation=c)
    assert row.answers.get().text == row.submitted_by.username
    assert AuditRecord.objects.filter(action=ChangeAction.CONSULTATION_SUBMITTED).count() == 1
    assert (
        AuditRecord.objects.filter(action=ChangeAction.CONSULTATION_RESPONSE_CHANGED).count()
        == len(reps) - 1
    )


@pytest.mark.django_db
def test_a_draft_puts_forward_no_alternative(p, c, secretariat, rep, party):
    with at(D(2027, 3, 3)):
        draft = services.consultation_save_draft(
            consultation=c, by=rep, party=party, answers={1: "Maybe"}
        )
        with pytest.raises(DomainError, match="submitted response") as refused:
            services.alternative_put_forward(
                proposal=p,
                by=secretariat,
                description="Variant",
                consultation_response=draft,
            )
    assert refused.value.field == "consultation_response"
