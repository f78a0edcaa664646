"""Appeals to the Authority (13.17-13.22): lodged online by an aggrieved Party's representative
or another appellant within the window, dated by the clock, copied to the Secretariat and the
Panel; recorded by the Secretariat from a letter; each decided on its own by the Authority."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import AppealRecord
from changes.states import State
from panel.errors import Conflict, DomainError, NotAllowed
from panel.models import AuditRecord, Suspension

from .factories import PartyFactory, proposal_in, representative

D = dt.date
DECLARED = D(2027, 4, 1)  # a Thursday; the window closes 10 Working Days later, 15 April 2027


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


def letter(name="letter.pdf"):
    return services.Upload(title=name, file=SimpleUploadedFile(name, b"%PDF letter"))


@pytest.fixture
def accepted(rep, party, secretariat):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=2)
    with at(DECLARED):
        return services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )


def lodge(p, by, party, **kw):
    values = dict(
        proposal=p,
        by=by,
        appellant_party=party,
        appellant_name=party.name if party else "Consumer Body",
        reasons="We would be unfairly prejudiced.",
        grounds=["13.20.1"],
    )
    values.update(kw)
    return services.appeal_lodge(**values)


@pytest.mark.django_db(transaction=True)  # e-mails are sent after commit
def test_a_partys_representative_appeals_online_dated_today_copied_to_secretariat_and_panel(
    accepted, other_rep, other_party
):
    with at(D(2027, 4, 6)):
        mail.outbox.clear()
        appeal = lodge(
            accepted,
            other_rep,
            other_party,
            grounds=["13.20.1", "13.20.2"],
            documents=[letter("grounds.pdf")],
        )
    accepted.refresh_from_db()
    assert accepted.status == State.UNDER_APPEAL  # 13.19: the acceptance is suspended
    assert appeal.lodged_on == D(2027, 4, 6) and appeal.lodged_by == other_rep
    assert appeal.grounds == ["13.20.1", "13.20.2"] and appeal.against == "accepted"
    assert [d.title for d in appeal.documents.all()] == ["grounds.pdf"]
    copies = [m for m in mail.outbox if "appeal to the Authority by Octant" in m.subject]
    assert len(copies) == 1 and copies[0].to == ["secretariat@dcusa.example"]
    assert "authority@dcusa.example" in copies[0].bcc
    assert "13.20.2" in copies[0].body and "suspended" in copies[0].body


@pytest.mark.django_db
def test_an_appeal_online_cannot_be_dated_by_the_appellant(accepted, other_rep, other_party):
    with at(D(2027, 4, 6)), pytest.raises(DomainError, match="system's clock") as refused:
        lodge(accepted, other_rep, other_party, lodged_on=D(2027, 4, 5))
    assert refused.value.field == "lodged_on"
    assert not AppealRecord.objects.exists()


@pytest.mark.django_db
def test_a_party_appealing_after_the_window_is_refused_naming_the_end(
    accepted, other_rep, other_party
):
    with at(D(2027, 4, 16)), pytest.raises(DomainError, match="ended on 15 April 2027"):
        lodge(accepted, other_rep, other_party)
    accepted.refresh_from_db()
    assert accepted.status == State.ACCEPTED_APPEAL_WINDOW and not accepted.appeals.exists()


@pytest.mark.django_db
def test_a_user_who_does_not_represent_the_party_is_refused(accepted, rep, other_party):
    with at(D(2027, 4, 6)), pytest.raises(NotAllowed, match="You do not represent Octant") as e:
        lodge(accepted, rep, other_party)
    assert e.value.field == "appellant_party"


@pytest.mark.django_db
def test_an_unrelated_user_may_not_appeal(accepted, public, other_party):
    with at(D(2027, 4, 6)), pytest.raises(NotAllowed, match="only a Party, the Consumer Body"):
        lodge(accepted, public, None, appellant_name="Someone")


@pytest.mark.django_db
def test_a_suspended_party_may_not_appeal(accepted, other_rep, other_party):
    Suspension.objects.create(party=other_party, valid_from=D(2020, 1, 1), panel_resolution="R1")
    with at(D(2027, 4, 6)), pytest.raises(NotAllowed, match="54.4"):
        lodge(accepted, other_rep, other_party)


@pytest.mark.django_db
def test_an_appeal_online_names_a_criterion_of_13_20_that_fits_the_outcome(
    accepted, other_rep, other_party
):
    with at(D(2027, 4, 6)):
        with pytest.raises(DomainError, match="at least one criterion") as none:
            lodge(accepted, other_rep, other_party, grounds=[])
        with pytest.raises(DomainError, match="13.20.1 and 13.20.2") as wrong:
            lodge(accepted, other_rep, other_party, grounds=["13.20.3"])
    assert none.value.field == wrong.value.field == "grounds"
    accepted.refresh_from_db()
    assert accepted.status == State.ACCEPTED_APPEAL_WINDOW


@pytest.mark.django_db
def test_the_consumer_body_appeals_for_itself(accepted, consumer):
    with at(D(2027, 4, 6)):
        appeal = lodge(accepted, consumer, None, appellant_name="Consumer Body")
    assert appeal.appellant_party is None and appeal.appellant_name == "Consumer Body"


@pytest.mark.django_db
def test_the_secretariat_records_a_letter_dated_between_the_outcome_and_today(
    accepted, secretariat, other_party
):
    with at(D(2027, 4, 8)):
        with pytest.raises(DomainError, match="after today") as future:
            lodge(accepted, secretariat, other_party, lodged_on=D(2027, 4, 9), documents=[letter()])
        with pytest.raises(DomainError, match="before the outcome") as early:
            lodge(
                accepted, secretariat, other_party, lodged_on=D(2027, 3, 31), documents=[letter()]
            )
        with pytest.raises(DomainError, match="between 1990 and 2200") as year_1:
            lodge(accepted, secretariat, other_party, lodged_on=D(1, 1, 1), documents=[letter()])
        appeal = lodge(
            accepted, secretariat, other_party, lodged_on=D(2027, 4, 6), documents=[letter()]
        )
    assert future.value.field == early.value.field == year_1.value.field == "lodged_on"
    assert appeal.lodged_on == D(2027, 4, 6) and appeal.documents.count() == 1


@pytest.mark.django_db
def test_an_appeal_recorded_from_writing_needs_the_letter(accepted, secretariat, other_party):
    with at(D(2027, 4, 8)), pytest.raises(DomainError, match="Attach the appellant's letter") as e:
        lodge(accepted, secretariat, other_party, lodged_on=D(2027, 4, 6))
    assert e.value.field == "document"
    assert not AppealRecord.objects.exists()


@pytest.fixture
def two_appeals(accepted, other_rep, other_party):
    third = PartyFactory(name="Kestrel Utilities", short_code="KEST")
    with at(D(2027, 4, 6)):
        first = lodge(accepted, other_rep, other_party)
        second = lodge(accepted, representative(third), third)
    return first, second


@pytest.mark.django_db
def test_two_appeals_are_decided_separately_the_outcome_stands_after_the_last(
    accepted, two_appeals, authority
):
    """13.20-13.21: each appeal is decided on its own; one dismissal does not settle another."""
    first, second = two_appeals
    with at(D(2027, 4, 20)):
        first = services.appeal_decide(
            appeal=first, by=authority, outcome="dismissed", reasons="No prejudice shown."
        )
    second.refresh_from_db()
    accepted.refresh_from_db()
    assert first.outcome == "dismissed" and first.decided_by == authority
    assert first.decided_on == D(2027, 4, 20)
    assert second.outcome == "" and accepted.status == State.UNDER_APPEAL
    with at(D(2027, 4, 22)):
        second = services.appeal_decide(appeal=second, by=authority, outcome="screened_out")
    accepted.refresh_from_db()
    assert second.outcome == "screened_out" and second.decided_on == D(2027, 4, 22)
    assert accepted.status == State.APPROVED  # the acceptance stands (13.20, 13.21.2(A))
    assert AuditRecord.objects.filter(action="appeal.decided").count() == 2


@pytest.mark.django_db
def test_quashing_one_appeal_moves_the_proposal_and_closes_the_other_saying_why(
    accepted, two_appeals, authority
):
    first, second = two_appeals
    with at(D(2027, 4, 20)):
        services.appeal_decide(appeal=second, by=authority, outcome="quashed", reasons="Unfair")
    first.refresh_from_db()
    accepted.refresh_from_db()
    assert accepted.status == State.REJECTED and accepted.part == 1  # 13.21.2(B)(i), 13.22
    assert first.outcome == "quashed" and "no longer stands" in first.decision_reasons
    with at(D(2027, 4, 21)), pytest.raises(Conflict, match="decided once"):
        services.appeal_decide(appeal=first, by=authority, outcome="dismissed")


@pytest.mark.django_db
def test_only_the_authority_or_the_secretariat_decides_an_appeal(
    two_appeals, other_rep, secretariat
):
    first, _ = two_appeals
    with at(D(2027, 4, 20)):
        with pytest.raises(NotAllowed):
            services.appeal_decide(appeal=first, by=other_rep, outcome="quashed")
        with pytest.raises(DomainError, match="Authority's letter") as no_letter:
            services.appeal_decide(appeal=first, by=secretariat, outcome="dismissed")
        with pytest.raises(DomainError, match="before the appeal was lodged") as early:
            services.appeal_decide(
                appeal=first,
                by=secretariat,
                outcome="dismissed",
                decided_on=D(2027, 4, 5),
                document=letter(),
            )
        with pytest.raises(DomainError, match="after today") as future:
            services.appeal_decide(
                appeal=first,
                by=secretariat,
                outcome="dismissed",
                decided_on=D(2027, 4, 21),
                document=letter(),
            )
        decided = services.appeal_decide(
            appeal=first,
            by=secretariat,
            outcome="dismissed",
            decided_on=D(2027, 4, 19),
            document=letter("authority.pdf"),
        )
    assert no_letter.value.field == "document"
    assert early.value.field == future.value.field == "decided_on"
    assert (
        decided.decided_on == D(2027, 4, 19) and decided.decision_document.title == "authority.pdf"
    )


@pytest.mark.django_db
def test_the_authority_online_decides_by_the_clock(two_appeals, authority):
    first, _ = two_appeals
    with at(D(2027, 4, 20)), pytest.raises(DomainError, match="system's clock") as dated:
        services.appeal_decide(
            appeal=first, by=authority, outcome="dismissed", decided_on=D(2027, 4, 19)
        )
    assert dated.value.field == "decided_on"


@pytest.mark.django_db(transaction=True)
def test_interim_directions_are_the_authoritys_audited_and_sent_to_the_panel(
    two_appeals, authority, secretariat
):
    first, _ = two_appeals
    with at(D(2027, 4, 12)):
        with pytest.raises(NotAllowed):
            services.appeal_interim_directions(appeal=first, by=secretariat, directions="x")
        with pytest.raises(DomainError, match="Write the interim directions") as empty:
            services.appeal_interim_directions(appeal=first, by=authority, directions="  ")
        mail.outbox.clear()
        first = services.appeal_interim_directions(
            appeal=first, by=authority, directions="Implement pending the decision."
        )
    assert empty.value.field == "directions"
    assert first.interim_directions == "12 April 2027: Implement pending the decision."
    assert AuditRecord.objects.filter(action="appeal.interim_directions").count() == 1
    (sent,) = [m for m in mail.outbox if "interim directions" in m.subject]
    assert "Implement pending the decision." in sent.body and "13.21.1" in sent.body
