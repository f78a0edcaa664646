"""The Crowded Meter Room Coordinator holds no Party Category and never votes (12.2): refused by
the admin, the metering import and PostgreSQL itself, whatever writes the row."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from panel.models import Category, MeteringSnapshot, Party, PartyCategoryMembership
from panel.services import metering_import
from tests.factories import (
    PartyFactory,
    login_verified,
    make_secretariat,
    party_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 0), tick=False):
        yield


PARTY_ADD = "/admin/panel/party/add/"


def test_the_database_refuses_a_category_for_the_cmr_coordinator() -> None:
    coordinator = PartyFactory(is_crowded_meter_room_coordinator=True)

    # A raw ORM write: no clean(), no service, no form.
    with pytest.raises(IntegrityError, match="Crowded Meter Room Coordinator"):
        with transaction.atomic():
            PartyCategoryMembership.objects.create(
                party=coordinator, category=Category.SUPPLIER, valid_from=dt.date(2026, 1, 1)
            )
    assert not PartyCategoryMembership.objects.exists()


def test_the_database_refuses_moving_a_membership_to_the_cmr_coordinator() -> None:
    coordinator = PartyFactory(is_crowded_meter_room_coordinator=True)
    supplier = party_in(Category.SUPPLIER)

    with pytest.raises(IntegrityError), transaction.atomic():
        PartyCategoryMembership.objects.filter(party=supplier).update(party=coordinator)
    assert PartyCategoryMembership.objects.get().party_id == supplier.pk


def test_the_database_refuses_making_a_party_with_a_category_the_cmr_coordinator() -> None:
    supplier = party_in(Category.SUPPLIER)

    with pytest.raises(IntegrityError, match="holds no Party Category"), transaction.atomic():
        Party.objects.filter(pk=supplier.pk).update(is_crowded_meter_room_coordinator=True)
    assert not Party.objects.get(pk=supplier.pk).is_crowded_meter_room_coordinator


def test_a_party_with_no_category_may_be_the_cmr_coordinator_and_be_renamed() -> None:
    coordinator = PartyFactory()
    Party.objects.filter(pk=coordinator.pk).update(is_crowded_meter_room_coordinator=True)
    Party.objects.filter(pk=coordinator.pk).update(name="Alt HAN Company Limited")
    assert Party.objects.get(pk=coordinator.pk).is_crowded_meter_room_coordinator


def _party_add_data(client) -> dict[str, str]:
    """The Party add form with every inline empty (their management forms filled in)."""
    page = client.get(PARTY_ADD)
    data = {
        "name": "Alt HAN Company Limited",
        "short_code": "AHAN",
        "company_number": "10002859",
        "registered_address": "1 Street, London",
        "notice_address": "1 Street, London",
        "accession_date": "2026-01-01",
        "is_crowded_meter_room_coordinator": "on",
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_the_admin_refuses_the_cmr_coordinator_with_a_category_in_one_save(client) -> None:
    client = login_verified(client, make_secretariat())
    data = _party_add_data(client)
    data.update(
        {
            "categories-TOTAL_FORMS": "1",
            "categories-0-category": Category.SUPPLIER,
            "categories-0-valid_from": "2026-01-01",
        }
    )

    response = client.post(PARTY_ADD, data)

    assert response.status_code == 200
    assert "Crowded Meter Room Coordinator" in response.content.decode()
    assert not Party.objects.filter(short_code="AHAN").exists()
    assert not PartyCategoryMembership.objects.exists()


def test_the_admin_adds_the_cmr_coordinator_with_no_category(client) -> None:
    client = login_verified(client, make_secretariat())

    response = client.post(PARTY_ADD, _party_add_data(client))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Party.objects.get(short_code="AHAN").is_crowded_meter_room_coordinator


def test_the_admin_refuses_marking_a_party_with_a_category_the_cmr_coordinator(client) -> None:
    client = login_verified(client, make_secretariat())
    supplier = party_in(Category.SUPPLIER, short_code="BGAS")
    page = client.get(f"/admin/panel/party/{supplier.pk}/change/")
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data = {k: str(v) for k, v in data.items() if not isinstance(v, bool)}
    data["is_crowded_meter_room_coordinator"] = "on"
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(management.initial.get(name, 0))
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name)
                if value is not None and not isinstance(value, bool):
                    data[form.add_prefix(name)] = str(getattr(value, "pk", value))

    response = client.post(f"/admin/panel/party/{supplier.pk}/change/", data)

    assert response.status_code == 200
    assert "Crowded Meter Room Coordinator" in response.content.decode()
    assert not Party.objects.get(pk=supplier.pk).is_crowded_meter_room_coordinator


def test_the_metering_import_refuses_an_n_for_the_cmr_coordinator() -> None:
    PartyFactory(short_code="AHAN", is_crowded_meter_room_coordinator=True)
    text = "party,category,metering_points,as_of,received_on,source\n"
    text += "AHAN,SUPPLIER,1000,2026-01-31,2026-02-10,ElectraLink\n"

    report = metering_import(by=make_secretariat(), file=text.encode(), source="feb.csv")

    assert not report.ok
    assert ("party", "cmr_coordinator_has_no_category") in {
        (e.column, e.rule) for e in report.errors
    }
    assert not MeteringSnapshot.objects.exists()
