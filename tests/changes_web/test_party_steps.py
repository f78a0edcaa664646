# ruff: noqa: F811 (fixtures imported from tests.changes.conftest)
"""A Party's own pages: appeal (13.17-13.19), withdraw (11.29) and adopt (11.31), each with a
confirmation, refusing the wrong person with the reason in plain words."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from changes import services
from changes.models import AppealRecord
from changes.states import State
from tests.changes.conftest import consumer, dno, dno_rep, other_party, other_rep  # noqa: F401
from tests.changes.factories import proposal_in

pytestmark = pytest.mark.django_db
D = dt.date


def at(day, hour=10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0), tick=False)


@pytest.fixture
def accepted(rep, party, secretariat):
    p = proposal_in(State.VOTING, raised_by=rep, party=party, part=2)
    with at(D(2027, 4, 1)):
        return services.proposal_vote_declared(
            proposal=p, by=secretariat, variation_outcome="accepted", date_outcome="accepted"
        )


def url(p, step):
    return f"/changes/DCP-{p.number}/{step}/"


def test_a_party_appeals_through_a_form_with_its_criteria_in_a_fieldset_and_a_confirmation(
    client, accepted, other_rep, other_party
):
    with at(D(2027, 4, 6)):
        client.force_login(other_rep)
        page = client.get(url(accepted, "appeal"))
        html = page.content.decode()
        assert page.status_code == 200
        assert "<legend>Which criteria of Clause 13.20 does your appeal rely on?</legend>" in html
        assert "13.20.3" not in html  # the criterion for a rejection does not apply
        assert "copied to the Secretariat and the Panel" in html
        data = {
            "appellant_party": other_party.pk,
            "grounds": ["13.20.1"],
            "reasons": "We would be unfairly prejudiced.",
        }
        unconfirmed = client.post(url(accepted, "appeal"), data)
        assert unconfirmed.status_code == 400
        assert "Tick the box to confirm" in unconfirmed.content.decode()
        assert not AppealRecord.objects.exists()
        done = client.post(
            url(accepted, "appeal"),
            {**data, "confirm": "on", "document": SimpleUploadedFile("why.txt", b"reasons")},
            follow=True,
        )
    assert done.redirect_chain[-1][0] == f"/changes/DCP-{accepted.number}/"
    assert "has been lodged with the Authority" in done.content.decode()
    appeal = AppealRecord.objects.get()
    assert appeal.lodged_on == D(2027, 4, 6) and appeal.appellant_party == other_party
    assert appeal.documents.count() == 1
    accepted.refresh_from_db()
    assert accepted.status == State.UNDER_APPEAL


def test_an_appeal_without_a_criterion_is_refused_next_to_the_field(
    client, accepted, other_rep, other_party
):
    with at(D(2027, 4, 6)):
        client.force_login(other_rep)
        page = client.post(
            url(accepted, "appeal"),
            {"appellant_party": other_party.pk, "reasons": "r", "confirm": "on"},
        )
    assert page.status_code == 400
    assert page.context["form"].errors["grounds"] == [
        "Choose at least one criterion of 13.20 (13.18.2)."
    ]


def test_an_appeal_after_the_window_is_refused_naming_its_end(
    client, accepted, other_rep, other_party
):
    with at(D(2027, 4, 16)):
        client.force_login(other_rep)
        page = client.post(
            url(accepted, "appeal"),
            {
                "appellant_party": other_party.pk,
                "grounds": ["13.20.1"],
                "reasons": "Late",
                "confirm": "on",
            },
        )
    assert page.status_code == 400
    assert "which ended on 15 April 2027" in page.content.decode()
    assert not AppealRecord.objects.exists()


def test_an_unrelated_user_is_told_who_may_appeal(client, accepted, public):
    with at(D(2027, 4, 6)):
        client.force_login(public)
        page = client.get(url(accepted, "appeal"))
    assert page.status_code == 403
    assert "only a Party, the Consumer Body, the transmission operator" in page.content.decode()


def test_the_consumer_body_names_itself(client, accepted, consumer):
    with at(D(2027, 4, 6)):
        client.force_login(consumer)
        page = client.post(
            url(accepted, "appeal"),
            {
                "appellant_name": "Consumer Body",
                "grounds": ["13.20.2"],
                "reasons": "Not better",
                "confirm": "on",
            },
        )
    assert page.status_code == 302
    assert AppealRecord.objects.get().appellant_name == "Consumer Body"


def test_anonymous_visitors_are_sent_to_sign_in(client, accepted):
    page = client.get(url(accepted, "appeal"))
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


@pytest.fixture
def in_definition(rep, party):
    return proposal_in(State.DEFINITION, raised_by=rep, party=party, today=D(2026, 12, 1))


def test_the_proposer_withdraws_after_confirming(client, in_definition, rep):
    with at(D(2026, 12, 21)):
        client.force_login(rep)
        page = client.get(url(in_definition, "withdrawal"))
        assert page.status_code == 200 and "may adopt it within 10 Working Days" in (
            page.content.decode()
        )
        unconfirmed = client.post(url(in_definition, "withdrawal"), {"reason": "Not needed"})
        assert unconfirmed.status_code == 400
        done = client.post(
            url(in_definition, "withdrawal"), {"reason": "Not needed", "confirm": "on"}
        )
    assert done.status_code == 302
    in_definition.refresh_from_db()
    assert in_definition.status == State.WITHDRAWN
    assert in_definition.events.get(action="withdraw").on == D(2026, 12, 21)


def test_another_party_may_not_withdraw(client, in_definition, other_rep):
    client.force_login(other_rep)
    page = client.get(url(in_definition, "withdrawal"))
    assert page.status_code == 403
    assert "only the Proposer may withdraw it" in page.content.decode()


def test_a_10_2_5_proposer_is_asked_for_the_authoritys_consent(client, dno, dno_rep):
    p = proposal_in(
        State.DEFINITION,
        raised_by=dno_rep,
        party=dno,
        proposer_kind="dno_idno_directed",
        follows_authority_direction=True,
    )
    client.force_login(dno_rep)
    page = client.post(url(p, "withdrawal"), {"reason": "Superseded", "confirm": "on"})
    assert page.status_code == 400 and "authority_consent" in page.context["form"].errors
    done = client.post(
        url(p, "withdrawal"),
        {"reason": "Superseded", "authority_consent": "Ofgem letter of 1 May", "confirm": "on"},
    )
    assert done.status_code == 302


@pytest.fixture
def withdrawn(in_definition, rep):
    with at(D(2026, 12, 21)):
        return services.proposal_withdraw(proposal=in_definition, by=rep, reason="Not needed")


def test_another_party_adopts_naming_its_nominee(client, withdrawn, other_rep, other_party):
    with at(D(2027, 1, 4)):
        client.force_login(other_rep)
        page = client.get(url(withdrawn, "adoption"))
        assert page.status_code == 200 and "until the end of 07 January 2027" in (
            page.content.decode()
        )
        done = client.post(
            url(withdrawn, "adoption"),
            {
                "party": other_party.pk,
                "nominee_name": "Aisha Khan",
                "nominee_email": "aisha@octant.test",
                "confirm": "on",
            },
        )
    assert done.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == State.DEFINITION and withdrawn.proposer_party == other_party


def test_the_withdrawing_party_cannot_adopt_its_own_proposal(client, withdrawn, rep, party):
    with at(D(2027, 1, 4)):
        client.force_login(rep)
        page = client.post(
            url(withdrawn, "adoption"),
            {
                "party": party.pk,
                "nominee_name": "Tom Evans",
                "nominee_email": "tom@bright.test",
                "confirm": "on",
            },
        )
    assert page.status_code == 403
    assert "which withdrew" in page.content.decode() and "another Party may adopt it" in (
        page.content.decode()
    )
    withdrawn.refresh_from_db()
    assert withdrawn.status == State.WITHDRAWN and withdrawn.proposer_party == party


def test_a_proposal_page_offers_a_party_its_own_step(client, accepted, other_rep):
    with at(D(2027, 4, 6)):
        client.force_login(other_rep)
        page = client.get(f"/changes/DCP-{accepted.number}/")
    assert url(accepted, "appeal") in page.content.decode()
