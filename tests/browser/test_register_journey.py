"""Browser journey: the Secretariat signs in with its second factor, adds a Party in two
categories with an Affiliate, and sees the Groups it forms (12.3, definition of Group)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.models import (
    Affiliation,
    Category,
    CorporateGroup,
    MeteringSnapshot,
    Party,
    PartyCategoryMembership,
    Role,
    User,
)

from .conftest import shot
from .helpers import sign_in

PASSWORD = "journey-passphrase-2026"


@pytest.fixture
def register(transactional_db):  # type: ignore[no-untyped-def]
    secretariat = User(username="sam", role=Role.SECRETARIAT, is_staff=True, is_superuser=True)
    secretariat.set_password(PASSWORD)
    secretariat.save()
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    existing = Party.objects.create(
        name="Harbour Energy Ltd",
        short_code="HARB",
        company_number="07000001",
        registered_address="1 Quay Street, Bristol",
        notice_address="1 Quay Street, Bristol",
        accession_date=dt.date(2015, 1, 1),
    )
    PartyCategoryMembership.objects.create(
        party=existing, category=Category.SUPPLIER, valid_from=dt.date(2015, 1, 1)
    )
    MeteringSnapshot.objects.create(
        party=existing,
        category=Category.SUPPLIER,
        metering_points=250_000,
        as_of=dt.date(2026, 9, 30),
        received_on=dt.date(2026, 10, 14),
        source="registration extract",
    )
    group = CorporateGroup.objects.create(name="Harbour Holdings")
    Affiliation.objects.create(
        corporate_group=group, party=existing, valid_from=dt.date(2015, 1, 1)
    )
    return device


@pytest.mark.browser
def test_secretariat_adds_a_party_in_two_categories_and_sees_its_groups(page, register) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "sam", PASSWORD, device=register)
    page.goto("/admin/panel/party/add/")
    assert "Add party" in page.content()
    page.fill("#id_name", "Harbour Flex Ltd")
    page.fill("#id_short_code", "HFLX")
    page.fill("#id_company_number", "07000002")
    page.fill("#id_registered_address", "2 Quay Street, Bristol")
    page.fill("#id_notice_address", "Company Secretary, 2 Quay Street, Bristol")
    page.fill("#id_accession_date", "2020-04-01")

    categories = page.locator("#categories-group")
    categories.locator(".add-row a").click()
    categories.locator(".add-row a").click()
    page.select_option("select[name='categories-0-category']", "SUPPLIER")
    page.fill("input[name='categories-0-valid_from']", "2020-04-01")
    page.select_option("select[name='categories-1-category']", "CVA")
    page.fill("input[name='categories-1-valid_from']", "2021-01-01")

    affiliations = page.locator("#affiliations-group")
    affiliations.locator(".add-row a").click()
    affiliations.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Harbour")
    page.locator(".select2-results__option", has_text="Harbour Holdings").click()
    page.fill("input[name='affiliations-0-valid_from']", "2020-04-01")
    shot(page, "register-01-add-party")
    page.click("input[name='_save']")
    page.wait_for_selector("text=was added successfully")
    shot(page, "register-02-party-added")

    added = Party.objects.get(short_code="HFLX")
    assert set(added.categories.values_list("category", flat=True)) == {"SUPPLIER", "CVA"}
    assert added.affiliations.get().corporate_group.name == "Harbour Holdings"

    page.goto("/admin/panel/party/groups-on-a-date/?on=2026-11-23&purpose=change_vote&category=")
    supplier = page.locator("table[data-category='SUPPLIER'] tr", has_text="Harbour Holdings")
    assert supplier.count() == 1
    text = supplier.inner_text()
    # One Supplier Group: the new Party with its Affiliate; N is the Affiliate's 250,000.
    assert "Harbour Energy Ltd" in text and "Harbour Flex Ltd" in text
    assert "250,000" in text
    cva = page.locator("table[data-category='CVA'] tr", has_text="Harbour Flex Ltd")
    # In the CVA category its Affiliate holds no category, so the Group is the Party alone.
    assert cva.count() == 1 and "Harbour Energy Ltd" not in cva.inner_text()
    shot(page, "register-03-groups-on-a-date")
