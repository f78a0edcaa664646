"""The Secretariat's admin: every register table, Groups on a date, writes through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from panel.models import (
    AuditRecord,
    Category,
    MeteringSnapshot,
    Role,
    Suspension,
)
from tests.factories import (
    CorporateGroupFactory,
    CvaSiteFactory,
    PartyRepresentativeFactory,
    SnapshotFactory,
    SuspensionFactory,
    UserFactory,
    login_verified,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at

pytestmark = pytest.mark.django_db

REGISTER_TABLES = [
    "party",
    "partycategorymembership",
    "corporategroup",
    "affiliation",
    "meteringsnapshot",
    "cvasite",
    "suspension",
    "partyrepresentative",
    "user",
    "auditrecord",
    "closureday",
]
GROUPS_PAGE = "/admin/panel/party/groups-on-a-date/"
SECRET_N = 4_321_987


_today = frozen_at()


@pytest.fixture
def register():
    """One row in every register table so changelists and change pages render real data."""
    holding = CorporateGroupFactory(name="Northern Holdings")
    dno = party_in(Category.DNO, group=holding, short_code="NDNO")
    supplier = party_in(Category.SUPPLIER, group=holding, short_code="NSUP")
    SnapshotFactory(party=supplier, category=Category.SUPPLIER, metering_points=SECRET_N)
    CvaSiteFactory(party=supplier)
    SuspensionFactory(party=dno, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 2, 1))
    PartyRepresentativeFactory(party=supplier, authorised_voter=True)
    return {"dno": dno, "supplier": supplier, "group": holding}


@pytest.fixture
def secretariat_client(client):
    return login_verified(client, make_secretariat())


@pytest.mark.parametrize("table", REGISTER_TABLES)
def test_the_secretariat_can_open_every_register_changelist(secretariat_client, register, table):
    response = secretariat_client.get(f"/admin/panel/{table}/")

    assert response.status_code == 200


@pytest.mark.parametrize("table", REGISTER_TABLES)
def test_every_register_changelist_searches_and_filters(secretariat_client, register, table):
    response = secretariat_client.get(f"/admin/panel/{table}/", {"q": "N"})

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.search_fields, f"{table} has no search"
    assert changelist.has_filters, f"{table} has no filters"


def test_the_secretariat_can_open_a_partys_change_page_with_its_inlines(
    secretariat_client, register
):
    response = secretariat_client.get(f"/admin/panel/party/{register['supplier'].pk}/change/")

    assert response.status_code == 200
    inline_models = {f.formset.model.__name__ for f in response.context["inline_admin_formsets"]}
    assert inline_models == {
        "PartyCategoryMembership",
        "Affiliation",
        "MeteringSnapshot",
        "CvaSite",
        "Suspension",
        "PartyRepresentative",
    }


def test_a_partys_change_history_is_shown(secretariat_client, register):
    response = secretariat_client.get(f"/admin/panel/party/{register['supplier'].pk}/history/")

    assert response.status_code == 200


@pytest.mark.parametrize("table", ["party", "meteringsnapshot", "suspension", "user"])
def test_the_secretariat_can_open_the_add_pages(secretariat_client, table):
    assert secretariat_client.get(f"/admin/panel/{table}/add/").status_code == 200


def test_a_non_staff_user_is_sent_to_the_admin_login(client, register):
    client.force_login(UserFactory(role=Role.PARTY_REPRESENTATIVE))

    for url in [
        "/admin/",
        "/admin/panel/party/",
        GROUPS_PAGE,
        "/admin/panel/meteringsnapshot/import/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(GROUPS_PAGE)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_staff_who_are_not_the_secretariat_cannot_use_the_register_admin(client, register):
    client.force_login(UserFactory(role=Role.AUTHORITY, is_staff=True))

    assert client.get("/admin/panel/party/").status_code == 403
    assert client.get("/admin/panel/meteringsnapshot/").status_code == 403
    assert client.get(GROUPS_PAGE).status_code == 403


def test_the_secretariat_must_give_its_second_factor_before_the_admin(client):
    client.force_login(make_secretariat())

    response = client.get("/admin/panel/party/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")


# --- Groups on a date ---------------------------------------------------------------------


def test_groups_on_a_date_lists_each_categorys_groups_with_members_and_n(
    secretariat_client, register
):
    response = secretariat_client.get(GROUPS_PAGE, {"on": "2026-03-02", "purpose": "change_vote"})

    assert response.status_code == 200
    sections = {s["category"]: s["groups"] for s in response.context["sections"]}
    assert set(sections) == set(Category.values)
    (supplier_group,) = sections[Category.SUPPLIER]
    assert supplier_group.n == SECRET_N
    body = response.content.decode()
    assert "Northern Holdings" in body and "NSUP" in body
    assert "4,321,987" in body


def test_groups_on_a_date_shows_dno_corporate_groups_for_an_election(secretariat_client, register):
    party_in(Category.DNO, group=register["group"], short_code="NDN2")

    change_vote = secretariat_client.get(
        GROUPS_PAGE, {"on": "2026-03-02", "purpose": "change_vote", "category": "DNO"}
    )
    election = secretariat_client.get(
        GROUPS_PAGE, {"on": "2026-03-02", "purpose": "election", "category": "DNO"}
    )

    assert len(change_vote.context["sections"][0]["groups"]) == 2
    assert len(election.context["sections"][0]["groups"]) == 1


def test_groups_on_a_date_rejects_a_bad_date_without_error(secretariat_client):
    response = secretariat_client.get(GROUPS_PAGE, {"on": "yesterday", "purpose": "election"})

    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert response.context["sections"] == []


# --- Writes through the services ------------------------------------------------------------


def test_metering_snapshots_cannot_be_changed_or_deleted_in_the_admin(secretariat_client, register):
    snapshot = MeteringSnapshot.objects.get()

    change = secretariat_client.post(
        f"/admin/panel/meteringsnapshot/{snapshot.pk}/change/", {"metering_points": 1}
    )
    delete = secretariat_client.post(
        f"/admin/panel/meteringsnapshot/{snapshot.pk}/delete/", {"post": "yes"}
    )

    assert change.status_code == 403
    assert delete.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.metering_points == SECRET_N


def test_the_snapshot_add_form_refuses_a_category_the_party_does_not_hold(
    secretariat_client, register
):
    response = secretariat_client.post(
        "/admin/panel/meteringsnapshot/add/",
        {
            "party": register["dno"].pk,
            "category": "SUPPLIER",
            "metering_points": "10",
            "as_of": "2026-02-28",
            "received_on": "2026-03-01",
            "source": "letter",
        },
    )

    assert response.status_code == 200
    assert "did not hold the Supplier Parties category" in str(
        response.context["adminform"].form.errors["category"]
    )
    assert MeteringSnapshot.objects.count() == 1


def test_the_snapshot_add_form_records_through_the_service(secretariat_client, register):
    response = secretariat_client.post(
        "/admin/panel/meteringsnapshot/add/",
        {
            "party": register["dno"].pk,
            "category": "DNO",
            "metering_points": "2500000",
            "as_of": "2026-02-28",
            "received_on": "2026-03-01",
            "source": "letter",
        },
    )

    assert response.status_code == 302
    snapshot = MeteringSnapshot.objects.get(party=register["dno"])
    assert snapshot.recorded_by.username == "secretariat"
    assert AuditRecord.objects.filter(action="metering_snapshot.recorded").exists()


def test_a_suspension_added_in_the_admin_is_recorded_and_audited(secretariat_client, register):
    response = secretariat_client.post(
        "/admin/panel/suspension/add/",
        {
            "party": register["supplier"].pk,
            "valid_from": "2026-03-02",
            "valid_to": "",
            "panel_resolution": "Panel 2026-03 R4",
            "reason": "Event of Default",
        },
    )

    assert response.status_code == 302
    suspension = Suspension.objects.get(party=register["supplier"])
    assert AuditRecord.objects.filter(
        action="suspension.recorded", target_id=str(suspension.pk)
    ).exists()


def test_an_overlapping_suspension_is_refused_on_the_form(secretariat_client, register):
    response = secretariat_client.post(
        "/admin/panel/suspension/add/",
        {
            "party": register["dno"].pk,
            "valid_from": "2025-01-15",
            "valid_to": "",
            "panel_resolution": "Panel R9",
            "reason": "",
        },
    )

    assert response.status_code == 200
    assert "already suspended" in str(response.context["adminform"].form.errors)
    assert Suspension.objects.count() == 1


def test_the_admin_action_confirms_authorised_voters_through_the_service(
    secretariat_client, register
):
    link = register["supplier"].representatives.get()

    response = secretariat_client.post(
        "/admin/panel/user/",
        {"action": "confirm_nominations", "_selected_action": [link.user.pk]},
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.confirmed_at is not None
    assert link.confirmed_by.username == "secretariat"
    assert AuditRecord.objects.filter(action="party_representative.confirmed").count() == 1


def test_the_audit_trail_is_read_only(secretariat_client, register):
    record = AuditRecord.objects.create(action="x", target_type="t", target_id="1")

    assert secretariat_client.get("/admin/panel/auditrecord/add/").status_code == 403
    delete = secretariat_client.post(
        f"/admin/panel/auditrecord/{record.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_a_secretariat_user_who_is_not_superuser_cannot_grant_superuser(secretariat_client):
    target = UserFactory(role=Role.PUBLIC)
    page = secretariat_client.get(f"/admin/panel/user/{target.pk}/change/")
    assert "is_superuser" not in page.context["adminform"].form.fields


def test_two_overlapping_category_rows_on_one_party_page_are_refused(secretariat_client, register):
    party = register["supplier"]
    data = _party_form_data(party)
    data.update(
        {
            "categories-TOTAL_FORMS": "3",
            "categories-1-category": "CVA",
            "categories-1-valid_from": "2026-01-01",
            "categories-2-category": "CVA",
            "categories-2-valid_from": "2026-02-01",
        }
    )

    response = secretariat_client.post(f"/admin/panel/party/{party.pk}/change/", data)

    assert response.status_code == 200
    assert "same Party Category twice" in response.content.decode()
    assert party.categories.count() == 1


def _party_form_data(party):
    membership = party.categories.get()
    affiliation = party.affiliations.get()
    data = {
        "name": party.name,
        "short_code": party.short_code,
        "company_number": party.company_number,
        "registered_address": party.registered_address,
        "notice_address": party.notice_address,
        "notice_email": party.notice_email,
        "contract_manager": party.contract_manager,
        "market_participant_id": "",
        "market_domain_ids": "",
        "accession_date": party.accession_date.isoformat(),
        "termination_date": "",
        "categories-TOTAL_FORMS": "1",
        "categories-INITIAL_FORMS": "1",
        "categories-0-id": membership.pk,
        "categories-0-party": party.pk,
        "categories-0-category": membership.category,
        "categories-0-idno_otso": "",
        "categories-0-valid_from": membership.valid_from.isoformat(),
        "affiliations-TOTAL_FORMS": "1",
        "affiliations-INITIAL_FORMS": "1",
        "affiliations-0-id": affiliation.pk,
        "affiliations-0-party": party.pk,
        "affiliations-0-corporate_group": affiliation.corporate_group_id,
        "affiliations-0-valid_from": affiliation.valid_from.isoformat(),
    }
    for prefix in ("cva_sites", "suspensions", "representatives", "metering_snapshots"):
        rows = list(getattr(party, prefix).all())
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    for i, site in enumerate(party.cva_sites.all()):
        data.update(
            {
                f"cva_sites-{i}-id": site.pk,
                f"cva_sites-{i}-party": party.pk,
                f"cva_sites-{i}-site_name": site.site_name,
                f"cva_sites-{i}-maximum_export_capacity_kw": site.maximum_export_capacity_kw,
                f"cva_sites-{i}-maximum_import_capacity_kw": site.maximum_import_capacity_kw,
                f"cva_sites-{i}-valid_from": site.valid_from.isoformat(),
            }
        )
    for i, link in enumerate(party.representatives.all()):
        data.update(
            {
                f"representatives-{i}-id": link.pk,
                f"representatives-{i}-party": party.pk,
                f"representatives-{i}-user": link.user_id,
                f"representatives-{i}-authorised_voter": "on" if link.authorised_voter else "",
            }
        )
    for i, snapshot in enumerate(party.metering_snapshots.all()):
        data[f"metering_snapshots-{i}-id"] = snapshot.pk
        data[f"metering_snapshots-{i}-party"] = party.pk
    return data


def test_withdrawing_a_nomination_on_the_party_page_withdraws_its_confirmation(
    secretariat_client, register
):
    party = register["supplier"]
    link = party.representatives.get()
    link.confirmed_at = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    link.save()
    data = _party_form_data(party)
    data["representatives-0-authorised_voter"] = ""

    response = secretariat_client.post(f"/admin/panel/party/{party.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    link.refresh_from_db()
    assert not link.authorised_voter
    assert link.confirmed_at is None


def test_a_suspension_added_on_the_party_page_goes_through_the_service(
    secretariat_client, register
):
    party = register["supplier"]
    data = _party_form_data(party)
    data.update(
        {
            "suspensions-TOTAL_FORMS": "1",
            "suspensions-0-valid_from": "2026-03-02",
            "suspensions-0-panel_resolution": "Panel 2026-03 R7",
            "suspensions-0-reason": "",
        }
    )

    response = secretariat_client.post(f"/admin/panel/party/{party.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    suspension = Suspension.objects.get(party=party)
    assert AuditRecord.objects.filter(
        action="suspension.recorded", target_id=str(suspension.pk)
    ).exists()


def test_restoring_rights_on_the_party_page_goes_through_the_service(secretariat_client, register):
    party = register["dno"]
    Suspension.objects.all().delete()
    suspension = SuspensionFactory(party=party, valid_from=dt.date(2026, 1, 1))
    data = _party_form_data(party)
    data.update(
        {
            "suspensions-TOTAL_FORMS": "1",
            "suspensions-INITIAL_FORMS": "1",
            "suspensions-0-id": suspension.pk,
            "suspensions-0-party": party.pk,
            "suspensions-0-valid_to": "2026-03-01",
        }
    )

    response = secretariat_client.post(f"/admin/panel/party/{party.pk}/change/", data)

    assert response.status_code == 302, response.context and response.context["errors"]
    suspension.refresh_from_db()
    assert suspension.valid_to == dt.date(2026, 3, 1)
    assert AuditRecord.objects.filter(action="suspension.restored").exists()


def test_the_changelists_link_to_the_import_and_the_groups_page(secretariat_client):
    snapshots = secretariat_client.get("/admin/panel/meteringsnapshot/").content.decode()
    parties = secretariat_client.get("/admin/panel/party/").content.decode()

    assert 'href="/admin/panel/meteringsnapshot/import/"' in snapshots
    assert f'href="{GROUPS_PAGE}"' in parties


def test_groups_on_a_date_defaults_to_todays_change_vote_groups(secretariat_client, register):
    response = secretariat_client.get(GROUPS_PAGE)

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["on"] == dt.date(2026, 3, 2)
    dno = next(s for s in response.context["sections"] if s["category"] == Category.DNO)
    assert [g.members[0].short_code for g in dno["groups"]] == ["NDNO"]
