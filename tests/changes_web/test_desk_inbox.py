"""The Secretariat's desk shows, without anyone typing, what arrived online: appeals awaiting the
Authority, consultation responses submitted online, withdrawals and adoptions, and authorised
voters awaiting confirmation; the overdue ones carry an "Overdue" tag and the date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from changes.models import AppealRecord, Consultation, ConsultationResponse, ProposalEvent
from changes.states import State
from panel.models import PartyRepresentative
from tests.changes.conftest import other_party, other_rep
from tests.changes.factories import PartyFactory, UserFactory, proposal_in, representative

pytestmark = pytest.mark.django_db
__all__ = ["other_party", "other_rep"]  # fixtures used below


def _desk(sec_client) -> str:
    response = sec_client.get("/changes/desk/")
    assert response.status_code == 200
    return response.content.decode()


def _section(body: str, heading_id: str) -> str:
    """The desk's inbox part under the heading `heading_id`, up to the next heading."""
    start = body.index(f'id="{heading_id}"')
    end = body.find("<h3", start + 1)
    return body[start : end if end > 0 else None]


def _consultation(p, title: str, *, opened_ago: int = 5, closes_in: int = 5) -> Consultation:
    today = timezone.localdate()
    return Consultation.objects.create(
        proposal=p,
        title=title,
        opens_on=today - dt.timedelta(days=opened_ago),
        closes_on=today + dt.timedelta(days=closes_in),
    )


def _response(c: Consultation, party, *, online: bool = True, status: str = "submitted"):
    return ConsultationResponse.objects.create(
        consultation=c,
        party=party,
        respondent_name=party.name,
        status=status,
        submitted_on=timezone.localdate() if status == "submitted" else None,
        submitted_at=timezone.now() if online and status == "submitted" else None,
    )


def test_appeals_awaiting_the_authority_say_how_they_were_lodged(
    sec_client, secretariat, rep, party
):
    p = proposal_in(State.UNDER_APPEAL, raised_by=rep, party=party)
    AppealRecord.objects.create(
        proposal=p,
        appellant_party=party,
        appellant_name="Brightwater Energy",
        lodged_by=rep,
        lodged_on=dt.date(2027, 3, 2),
        against="accepted",
        reasons="Not better facilitating the objectives.",
    )
    AppealRecord.objects.create(
        proposal=p,
        appellant_name="Consumer Body",
        lodged_by=secretariat,
        lodged_on=dt.date(2027, 3, 3),
        against="accepted",
        reasons="By letter.",
    )
    AppealRecord.objects.create(
        proposal=p,
        appellant_name="Settled Ltd",
        lodged_on=dt.date(2027, 3, 1),
        against="accepted",
        reasons="x",
        outcome="dismissed",
    )
    appeals = _section(_desk(sec_client), "inbox-appeals-h")
    assert "Appeals awaiting the Authority (2)" in appeals
    assert re.search(r"Brightwater Energy appeals.*?Lodged online", appeals, re.S)
    assert re.search(r"Consumer Body appeals.*?Recorded from a letter", appeals, re.S)
    assert "Settled Ltd" not in appeals


def test_responses_submitted_online_are_counted_per_open_consultation(
    sec_client, secretariat, rep, party, other_party
):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    c = _consultation(p, "Boundary consultation")
    _response(c, party)
    _response(c, other_party)
    _response(c, PartyFactory(), status="draft")  # a draft is not a response yet
    _response(c, PartyFactory(), online=False)  # typed in by the Secretariat from a letter
    void = _response(c, PartyFactory())
    void.voided_on = timezone.localdate()
    void.void_reason = "Entered twice"
    void.voided_by = secretariat
    void.save()
    quiet = _consultation(p, "Quiet consultation")
    closed = _consultation(p, "Closed consultation")
    closed.closed_on = timezone.localdate()
    closed.save()

    part = _section(_desk(sec_client), "inbox-consultations-h")
    rows = dict(re.findall(r"</a>: ([^<]+)</td>.*?<td class=\"num\">(\d+)</td>", part, re.S))
    assert rows == {c.title: "2", quiet.title: "0"}
    assert "Overdue" not in part


def test_a_consultation_past_its_close_and_not_closed_is_overdue_with_its_date(
    sec_client, rep, party
):
    p = proposal_in(State.DEFINITION, raised_by=rep, party=party)
    late = _consultation(p, "Late consultation", opened_ago=20, closes_in=-3)
    part = _section(_desk(sec_client), "inbox-consultations-h")
    closes = late.closes_on.strftime("%-d %b %Y")
    assert re.search(
        rf'Late consultation.*?<span class="badge overdue">Overdue</span>.*?{closes}', part, re.S
    )


def test_withdrawn_proposals_show_the_adoption_window_and_overdue_ones_are_tagged(
    sec_client, rep, party, other_rep
):
    today = timezone.localdate()
    open_window = proposal_in(
        State.WITHDRAWN, raised_by=rep, party=party, due_on=today + dt.timedelta(days=5)
    )
    lapsed = proposal_in(
        State.WITHDRAWN, raised_by=rep, party=party, due_on=today - dt.timedelta(days=1)
    )
    ProposalEvent.objects.create(
        proposal=open_window,
        on=today,
        actor=rep,
        action="withdraw",
        from_state=State.DEFINITION,
        to_state=State.WITHDRAWN,
    )
    ProposalEvent.objects.create(
        proposal=lapsed,
        on=today - dt.timedelta(days=60),
        actor=rep,
        action="withdraw",
        from_state=State.DEFINITION,
        to_state=State.WITHDRAWN,
    )
    body = _desk(sec_client)
    withdrawn = _section(body, "inbox-withdrawn-h")
    items = withdrawn.split("<li>")[1:]
    mine = next(i for i in items if open_window.reference in i)
    gone = next(i for i in items if lapsed.reference in i)
    assert "Overdue" not in mine
    assert '<span class="badge overdue">Overdue</span>' in gone
    assert (today - dt.timedelta(days=1)).strftime("%-d %b %Y") in gone
    steps = _section(body, "inbox-steps-h")
    assert f"{open_window.reference}</a> withdrawn by {rep.username}" in steps
    assert "Online" in steps
    assert lapsed.reference not in steps  # older than the desk's 30 days


def test_authorised_voters_awaiting_confirmation_are_counted(sec_client, party, other_party):
    waiting = representative(party, "vic")
    PartyRepresentative.objects.filter(user=waiting).update(
        authorised_voter=True, nominated_at=timezone.now()
    )
    confirmed = representative(other_party, "val")
    PartyRepresentative.objects.filter(user=confirmed).update(
        authorised_voter=True, confirmed_at=timezone.now()
    )
    representative(other_party, "plain")  # not nominated as a voter
    part = _section(_desk(sec_client), "inbox-voters-h")
    assert "Authorised voters awaiting confirmation (1)" in part
    assert "vic for Brightwater Energy" in part
    assert "val" not in part and "plain" not in part
    assert '<a href="/my/parties/voters/pending/">Confirm authorised voters</a>' in part


def _queries(sec_client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _desk(sec_client)
    return len(ctx.captured_queries)


def test_the_desk_costs_the_same_queries_for_one_item_or_many(sec_client, rep, party):
    def one_of_each(i: int) -> None:
        p = proposal_in(State.UNDER_APPEAL, raised_by=rep, party=party)
        AppealRecord.objects.create(
            proposal=p,
            appellant_name=f"A{i}",
            lodged_by=rep,
            lodged_on=dt.date(2027, 3, 2),
            against="accepted",
            reasons="x",
        )
        q = proposal_in(State.DEFINITION, raised_by=rep, party=party)
        _response(_consultation(q, f"C{i}"), PartyFactory())
        w = proposal_in(State.WITHDRAWN, raised_by=rep, party=party)
        ProposalEvent.objects.create(
            proposal=w,
            on=timezone.localdate(),
            actor=rep,
            action="withdraw",
            from_state=State.DEFINITION,
            to_state=State.WITHDRAWN,
        )
        voter = UserFactory(username=f"voter{i}")
        PartyRepresentative.objects.create(user=voter, party=party, authorised_voter=True)

    one_of_each(0)
    few = _queries(sec_client)
    assert few <= 10  # session, user, second factor, proposals, then one per inbox part
    for i in range(1, 4):
        one_of_each(i)
    assert _queries(sec_client) == few


def test_only_the_secretariat_sees_the_inbox(client, rep):
    client.force_login(rep)
    assert client.get("/changes/desk/").status_code == 403
