"""The right link for each actor: on a proposal's page the Authority's steps lead to its own
forms, a Party's to its own, the Secretariat keeps its desk; open consultations offer "Answer
online" to those who may respond (11.14.1), and to no one else."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from changes.models import AppealRecord, Consultation, ConsultationInvitation
from changes.states import State
from changes.views.steps import step_url
from panel.models import Role
from tests.changes.conftest import other_party, other_rep
from tests.changes.factories import UserFactory, proposal_in
from tests.factories import login_verified

pytestmark = pytest.mark.django_db
__all__ = ["other_party", "other_rep"]  # fixtures used below


def _buttons(client, p) -> dict[str, str]:
    """data-action -> href of the step buttons on the proposal's page."""
    body = client.get(f"/changes/DCP-{p.number}/").content.decode()
    return {
        m.group(2): m.group(1)
        for m in re.finditer(r'<a class="button" href="([^"]+)" data-action="([^"]+)"', body)
    }


def _appeal(p, name: str, lodged_on: dt.date) -> AppealRecord:
    return AppealRecord.objects.create(
        proposal=p, appellant_name=name, lodged_on=lodged_on, against="accepted", reasons="x"
    )


def test_the_authority_decides_on_its_own_form_not_the_desk(client, authority, rep, party):
    p = proposal_in(State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1)
    client.force_login(authority)
    buttons = _buttons(client, p)
    base = f"/changes/DCP-{p.number}/authority/decide/"
    assert buttons["authority_accept"] == base + "?decision=accept"
    assert buttons["authority_reject"] == base + "?decision=reject"
    assert buttons["authority_send_back"] == base + "?decision=send_back"
    assert not any("/desk/" in url for url in buttons.values())


def test_an_appeal_decision_goes_to_the_oldest_undecided_appeal(client, authority, rep, party):
    p = proposal_in(State.UNDER_APPEAL, raised_by=rep, party=party)
    decided = _appeal(p, "Early", dt.date(2027, 3, 1))
    decided.outcome = "dismissed"
    decided.save()
    first = _appeal(p, "First", dt.date(2027, 3, 2))
    _appeal(p, "Second", dt.date(2027, 3, 3))
    client.force_login(authority)
    buttons = _buttons(client, p)
    for action in ("appeal_screened_out", "appeal_dismissed", "appeal_quashed"):
        assert buttons[action] == f"/changes/DCP-{p.number}/authority/appeals/{first.pk}/"
    # With no appeal on record the Authority is sent to what awaits it.
    assert step_url("DCP-1", "appeal_dismissed", authority) == "/changes/awaiting-authority/"


@pytest.mark.parametrize(
    ("action", "url"),
    [
        ("authority_direct_acceptance", "/changes/DCP-9/authority/direct/direct-acceptance/"),
        ("authority_decline", "/changes/DCP-9/authority/direct/decline-acceptance/"),
        ("veto_timetable_variation", "/changes/DCP-9/authority/direct/veto-timetable/"),
        ("authority_part_opinion", "/changes/DCP-9/authority/direct/part-opinion/"),
        ("implementation_date_directed", "/changes/DCP-9/authority/implementation-date/"),
    ],
)
def test_the_authoritys_directions_each_have_their_form(authority, action, url):
    assert step_url("DCP-9", action, authority) == url


def test_the_secretariat_keeps_its_desk_forms(secretariat, authority):
    assert step_url("DCP-9", "authority_accept", secretariat).startswith("/changes/DCP-9/")
    assert "/authority/" not in step_url("DCP-9", "authority_accept", secretariat)
    assert step_url("DCP-9", "refer_to_panel", secretariat) == (
        "/changes/desk/DCP-9/refer_to_panel/"
    )
    # A step with no form of its own for this user is not offered (no button to a 403).
    assert step_url("DCP-9", "refer_to_panel", authority) is None


def test_a_party_appeals_withdraws_and_adopts_on_its_own_forms(
    client, rep, party, other_rep, other_party
):
    window = proposal_in(State.ACCEPTED_APPEAL_WINDOW, raised_by=other_rep, party=other_party)
    client.force_login(rep)
    assert _buttons(client, window) == {"appeal_lodged": f"/changes/DCP-{window.number}/appeal/"}

    mine = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    assert _buttons(client, mine)["withdraw"] == f"/changes/DCP-{mine.number}/withdrawal/"
    client.force_login(other_rep)
    assert "withdraw" not in _buttons(client, mine)  # only the Proposer withdraws (11.29)

    withdrawn = proposal_in(State.WITHDRAWN, raised_by=rep, party=party)
    assert _buttons(client, withdrawn) == {"adopt": f"/changes/DCP-{withdrawn.number}/adoption/"}
    client.force_login(rep)  # the withdrawing Party does not adopt its own (11.31)
    assert "adopt" not in _buttons(client, withdrawn)


def test_a_party_gets_no_button_for_the_authoritys_or_the_secretariats_steps(client, rep, party):
    p = proposal_in(State.AWAITING_AUTHORITY, raised_by=rep, party=party, part=1)
    client.force_login(rep)
    buttons = _buttons(client, p)
    assert not any(a.startswith("authority_") for a in buttons)
    assert not any("/desk/" in url for url in buttons.values())


def test_the_secretariat_page_keeps_its_desk_buttons(client, secretariat, rep, party):
    p = proposal_in(State.SUBMITTED, raised_by=rep, party=party)
    login_verified(client, secretariat)
    assert _buttons(client, p)["refer_to_panel"] == f"/changes/desk/DCP-{p.number}/refer_to_panel/"


def _open_consultation(p) -> Consultation:
    today = timezone.localdate()
    return Consultation.objects.create(
        proposal=p,
        title="Boundary consultation",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
    )


def test_answer_online_for_those_who_may_respond_only(client, rep, party, authority, public):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    c = _open_consultation(p)
    closed = _open_consultation(p)
    closed.closed_on = timezone.localdate()
    closed.save()
    answer = f'href="/my/consultations/{c.pk}/"'
    url = f"/changes/DCP-{p.number}/"

    client.force_login(rep)  # a Party's representative answers for the Party
    body = client.get(url).content.decode()
    assert answer in body and "Answer online" in body
    assert f'href="/my/consultations/{closed.pk}/"' not in body  # closed: nothing to answer
    client.force_login(UserFactory(username="consumer", role=Role.CONSUMER_BODY))
    assert answer in client.get(url).content.decode()

    for someone in (public, authority):
        client.force_login(someone)
        assert answer not in client.get(url).content.decode()
    client.logout()
    assert answer not in client.get(url).content.decode()

    invited = UserFactory(username="nget", role=Role.OTHER_BODY)
    client.force_login(invited)
    assert answer not in client.get(url).content.decode()
    ConsultationInvitation.objects.create(consultation=c, user=invited, invited_at=timezone.now())
    assert answer in client.get(url).content.decode()


def test_the_proposal_page_shows_its_implementation_once_approved(client, authority, rep, party):
    p = proposal_in(State.APPROVED, raised_by=rep, party=party)
    client.force_login(authority)
    body = client.get(f"/changes/DCP-{p.number}/").content.decode()
    assert '<h2 id="implementation-heading">Implementation</h2>' in body
    assert f"/changes/DCP-{p.number}/authority/implementation-date/" in body
