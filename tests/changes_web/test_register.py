"""The public Change Register (11.25-11.28): list, search, filters, pagination, query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes.models import ChangeProposal, Deadline, ProposerKind
from changes.states import State
from tests.changes.factories import proposal, proposal_in

pytestmark = pytest.mark.django_db


def test_register_shows_every_item_of_11_26_with_the_next_deadline(client, rep, party):
    p = proposal_in(
        State.SUBMITTED, raised_by=rep, party=party, due_on=dt.date(2027, 4, 5), urgent=True
    )
    body = client.get("/changes/").content.decode()
    assert p.reference in body and p.title in body
    assert "Brightwater Energy" in body
    assert "EV connections are charged inconsistently" in body  # the summary
    assert "Part 2" in body and "Urgent" in body
    assert "Submitted: Secretariat check" in body
    assert "Arranged deadline" in body and "5 Apr 2027" in body
    assert "DNO Parties" in body and "Supplier Parties" in body


def test_drafts_are_not_on_the_public_register(client, rep, party):
    proposal(raised_by=rep, party=party, title="A secret draft title")
    assert "A secret draft title" not in client.get("/changes/").content.decode()


def test_search_matches_title_summary_reference_and_proposer(client, rep, party):
    a = proposal_in(State.DEFINITION, raised_by=rep, party=party, title="Smart meter rollout")
    b = proposal_in(
        State.DEFINITION,
        raised_by=rep,
        proposer_kind=ProposerKind.CONSUMER_BODY,
        proposer_name="Citizens Advice",
        title="Vulnerable customers",
        purpose="Protect priority services",
    )

    def found(q):
        body = client.get("/changes/", {"q": q}).content.decode()
        return {p.reference for p in (a, b) if f">{p.reference}<" in body}

    assert found("smart METER") == {a.reference}
    assert found("priority services") == {b.reference}
    assert found(f"DCP{b.number}") == {b.reference}
    assert found(f"DCP-{a.number}") == {a.reference}
    assert found("citizens") == {b.reference}
    assert found("brightwater") == {a.reference}


def test_filters_by_status_part_urgency_and_impacted_category(client, rep, party):
    a = proposal_in(
        State.DEFINITION,
        raised_by=rep,
        party=party,
        part=1,
        urgent=True,
        impacted_categories=["IDNO"],
    )
    b = proposal_in(
        State.REPORT_PHASE,
        raised_by=rep,
        party=party,
        part=2,
        impacted_categories=["DNO", "SUPPLIER"],
    )

    def found(**params):
        body = client.get("/changes/", params).content.decode()
        return {p.reference for p in (a, b) if f">{p.reference}<" in body}

    assert found(status="definition") == {a.reference}
    assert found(part="2") == {b.reference}
    assert found(urgency="urgent") == {a.reference}
    assert found(urgency="standard") == {b.reference}
    assert found(category="DNO") == {b.reference}  # "DNO" must not match "IDNO"
    assert found(category="IDNO") == {a.reference}
    assert found(category="SUPPLIER", part="1") == set()


def test_register_is_paginated_25_a_page(client, rep, party):
    for _ in range(30):
        proposal_in(State.DEFINITION, raised_by=rep, party=party)
    first = client.get("/changes/").content.decode()
    second = client.get("/changes/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count('<td><a href="/changes/DCP-') == 25
    assert second.count('<td><a href="/changes/DCP-') == 5


def _bulk(rep, party, n, start):
    proposals = ChangeProposal.objects.bulk_create(
        ChangeProposal(
            raised_by=rep,
            proposer_kind=ProposerKind.PARTY,
            proposer_party=party,
            title=f"Proposal {i}",
            purpose="Bulk",
            number=start + i,
            status=State.DEFINITION,
            part=2,
            impacted_categories=["DNO"],
        )
        for i in range(n)
    )
    deadlines = Deadline.objects.bulk_create(
        Deadline(
            proposal=p,
            state=State.DEFINITION,
            what="Timetable: Working Group",
            rule="11.10-11.13",
            opened_on=dt.date(2027, 3, 1),
            due_on=dt.date(2027, 5, 1),
        )
        for p in proposals
    )
    for p, d in zip(proposals, deadlines):
        p.current_deadline = d
    ChangeProposal.objects.bulk_update(proposals, ["current_deadline"])


@pytest.mark.parametrize(
    "url",
    [
        "/changes/",
        "/changes/?q=proposal&category=DNO",
        "/api/v1/change-proposals/",
        "/changes/register.csv",
        "/changes/deadlines.ics",
        "/changes/feed.atom",
    ],
)
def test_register_costs_the_same_queries_for_5_or_500_proposals(
    client, rep, party, url, django_assert_max_num_queries
):
    _bulk(rep, party, 5, 1000)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _bulk(rep, party, 495, 2000)
    with django_assert_max_num_queries(max(len(few), 1)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(few) <= 4
