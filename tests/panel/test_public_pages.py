"""The public list of Parties (Schedule 14): no N, no contact details (57.1)."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.models import Category
from tests.factories import (
    CorporateGroupFactory,
    MembershipFactory,
    PartyFactory,
    SnapshotFactory,
    login_verified,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at

pytestmark = pytest.mark.django_db

SECRET_N = 9_182_736


_today = frozen_at()


@pytest.fixture
def register():
    holding = CorporateGroupFactory(name="Southern Holdings")
    supplier = party_in(
        Category.SUPPLIER, group=holding, name="Southern Supply Ltd", short_code="SSUP"
    )
    MembershipFactory(party=supplier, category=Category.CVA)
    dno = party_in(Category.DNO, group=holding, name="Southern Wires plc", short_code="SWIR")
    otso = PartyFactory(name="Offshore Transmission Ltd", short_code="OFTO")
    MembershipFactory(party=otso, category=Category.IDNO_OTSO, idno_otso="OTSO")
    party_in(
        Category.SUPPLIER,
        name="Gone Energy Ltd",
        short_code="GONE",
        termination_date=dt.date(2026, 1, 31),
    )
    SnapshotFactory(party=supplier, metering_points=SECRET_N)
    return {"supplier": supplier, "dno": dno, "otso": otso}


def test_the_list_shows_parties_today_with_categories_and_corporate_group(client, register):
    response = client.get("/parties/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Southern Supply Ltd" in body and "SSUP" in body
    assert "Supplier Parties" in body and "CVA Registrants" in body
    assert "Southern Holdings" in body
    assert "IDNO/OTSO Parties (OTSO Party)" in body


def test_a_terminated_party_is_not_on_the_list(client, register):
    body = client.get("/parties/").content.decode()

    assert "Gone Energy Ltd" not in body


def test_the_list_never_shows_n_or_contact_details(client, register):
    anonymous = client.get("/parties/").content.decode()
    anonymous_detail = client.get("/parties/SSUP/").content.decode()
    login_verified(client, make_secretariat())  # even signed in as the Secretariat
    secretariat = client.get("/parties/")
    assert secretariat.status_code == 200

    for page in (anonymous, anonymous_detail, secretariat.content.decode()):
        assert "Southern Supply Ltd" in page
        assert str(SECRET_N) not in page and "9,182,736" not in page
        assert register["supplier"].notice_email not in page
        assert "Notice Street" not in page and "Registered Street" not in page


def test_the_list_filters_by_category_held_today(client, register):
    response = client.get("/parties/", {"category": "DNO"})

    names = [p.short_code for p in response.context["page"]]
    assert names == ["SWIR"]


def test_an_unknown_category_filter_is_shown_as_an_error_not_a_500(client, register):
    response = client.get("/parties/", {"category": "WATER"})

    assert response.status_code == 200
    assert response.context["form"].errors["category"]


def test_the_list_searches_by_name_or_short_code(client, register):
    by_name = client.get("/parties/", {"q": "wires"})
    by_code = client.get("/parties/", {"q": "ofto"})

    assert [p.short_code for p in by_name.context["page"]] == ["SWIR"]
    assert [p.short_code for p in by_code.context["page"]] == ["OFTO"]


def test_the_list_is_paginated_and_keeps_the_filter(client):
    for i in range(55):
        party_in(Category.SUPPLIER, name=f"Supplier {i:02d} Ltd")

    first = client.get("/parties/", {"category": "SUPPLIER"})
    second = client.get("/parties/", {"category": "SUPPLIER", "page": 2})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 5
    assert "category=SUPPLIER&amp;page=2" in first.content.decode()


def test_the_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    holding = CorporateGroupFactory()
    for _ in range(30):
        party_in(Category.SUPPLIER, group=holding)

    with django_assert_max_num_queries(6):
        response = client.get("/parties/")

    assert response.status_code == 200


def test_a_partys_page_shows_its_categories_over_time_and_its_affiliates(client, register):
    MembershipFactory(
        party=register["dno"],
        category=Category.SUPPLIER,
        valid_from=dt.date(2021, 1, 1),
        valid_to=dt.date(2022, 6, 30),
    )

    response = client.get("/parties/SWIR/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Southern Wires plc" in body
    assert "30 June 2022" in body  # the ended Supplier category is in the history
    assert [p.short_code for p in response.context["affiliates"]] == ["SSUP"]
    assert [m.category for m in response.context["categories_today"]] == [Category.DNO]


def test_an_unknown_party_page_is_a_404(client):
    assert client.get("/parties/NOPE/").status_code == 404
