"""The register's API: 400s name the field, N only for those allowed to see it (12.11; 57)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from panel.models import AuditRecord, Category, MeteringSnapshot, Role
from tests.factories import (
    CorporateGroupFactory,
    MembershipFactory,
    SnapshotFactory,
    UserFactory,
    login_verified,
    make_representative,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/groups/"
SNAPSHOTS = "/api/v1/metering-snapshots/"
PARTIES = "/api/v1/parties/"
# Distinctive N values: if they appear in a body, N has leaked.
OWN_N = 7_654_321
OTHER_N = 8_765_432


_today = frozen_at()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def suppliers():
    holding = CorporateGroupFactory(name="Own Holdings")
    own = party_in(Category.SUPPLIER, group=holding, short_code="OWNA", name="Own Energy")
    other = party_in(Category.SUPPLIER, short_code="OTHR", name="Other Energy")
    SnapshotFactory(party=own, metering_points=OWN_N)
    SnapshotFactory(party=other, metering_points=OTHER_N)
    return {"own": own, "other": other}


def _n_by_group(response):
    return {g["members"][0]["short_code"]: g["n"] for g in response.json()}


# --- Groups: query validation ---------------------------------------------------------------


def test_groups_need_a_category(api):
    response = api.get(GROUPS)

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "category"
    assert body["rule"] == "required"
    assert "DNO" in body["detail"]


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ({"category": "ELECTRICITY"}, "category", "invalid_choice"),
        ({"category": "DNO", "on": "02/03/2026"}, "on", "invalid"),
        ({"category": "DNO", "on": "2026-02-30"}, "on", "invalid"),
        ({"category": "DNO", "purpose": "referendum"}, "purpose", "invalid_choice"),
    ],
)
def test_a_bad_groups_query_is_a_400_naming_the_parameter_and_rule(api, query, field, rule):
    response = api.get(GROUPS, query)

    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["rule"]) == (field, rule)
    assert field in body["errors"]


def test_every_bad_groups_parameter_is_reported_at_once(api):
    response = api.get(GROUPS, {"category": "X", "on": "soon", "purpose": "y"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category", "on", "purpose"}


def test_groups_default_to_a_change_vote_today(api):
    holding = CorporateGroupFactory()
    party_in(Category.DNO, group=holding, short_code="DNOA")
    party_in(Category.DNO, group=holding, short_code="DNOB")

    change_vote = api.get(GROUPS, {"category": "DNO"})
    election = api.get(GROUPS, {"category": "DNO", "purpose": "election"})
    before = api.get(GROUPS, {"category": "DNO", "on": "2019-12-31"})

    assert len(change_vote.json()) == 2
    assert len(election.json()) == 1
    assert before.json() == []


# --- Groups: who sees N ---------------------------------------------------------------------


def test_anonymous_requesters_never_see_n(api, suppliers):
    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert response.status_code == 200
    assert _n_by_group(response) == {"OWNA": None, "OTHR": None}
    assert str(OWN_N) not in response.content.decode()
    assert str(OTHER_N) not in response.content.decode()


def test_a_party_representative_sees_n_only_for_groups_containing_its_party(api, suppliers):
    api.force_authenticate(make_representative(suppliers["own"]))

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": OWN_N, "OTHR": None}
    assert str(OTHER_N) not in response.content.decode()


def test_another_partys_representative_does_not_see_n(api, suppliers):
    stranger = party_in(Category.DNO)
    api.force_authenticate(make_representative(stranger))

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": None, "OTHR": None}


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.CONSUMER_BODY, Role.PUBLIC])
def test_other_roles_do_not_see_n(api, suppliers, role):
    api.force_authenticate(UserFactory(role=role))

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": None, "OTHR": None}


def test_the_secretariat_sees_every_groups_n(api, suppliers):
    login_verified(api, make_secretariat())

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": OWN_N, "OTHR": OTHER_N}


def test_the_authority_sees_every_groups_n(api, suppliers):
    api.force_authenticate(UserFactory(role=Role.AUTHORITY))

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": OWN_N, "OTHR": OTHER_N}


def test_a_secretariat_session_without_its_second_factor_does_not_see_n(api, suppliers):
    api.force_login(make_secretariat())

    response = api.get(GROUPS, {"category": "SUPPLIER"})

    assert _n_by_group(response) == {"OWNA": None, "OTHR": None}


def test_suspended_members_are_hidden_from_the_public(api, suppliers):
    from tests.factories import SuspensionFactory

    SuspensionFactory(party=suppliers["other"], valid_from=dt.date(2026, 3, 1))

    public = api.get(GROUPS, {"category": "SUPPLIER"}).json()
    api.force_authenticate(UserFactory(role=Role.AUTHORITY))
    authority = api.get(GROUPS, {"category": "SUPPLIER"}).json()

    assert all(g["suspended_members"] is None for g in public)
    lone = next(g for g in authority if g["suspended_members"])
    assert lone["suspended_members"][0]["short_code"] == "OTHR"
    assert lone["can_vote"] is False


# --- Metering snapshots: reading -----------------------------------------------------------


def test_anonymous_requesters_are_refused_metering_data(api, suppliers):
    response = api.get(SNAPSHOTS)

    assert response.status_code == 403
    assert str(OWN_N) not in response.content.decode()


def test_a_party_representative_reads_only_its_own_partys_snapshots(api, suppliers):
    api.force_authenticate(make_representative(suppliers["own"]))

    response = api.get(SNAPSHOTS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["party"], r["metering_points"]) for r in rows] == [("OWNA", OWN_N)]
    assert str(OTHER_N) not in response.content.decode()


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.PUBLIC, Role.OTHER_BODY])
def test_other_roles_read_no_snapshots(api, suppliers, role):
    api.force_authenticate(UserFactory(role=role))

    response = api.get(SNAPSHOTS)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_secretariat_and_the_authority_read_every_snapshot(api, suppliers):
    login_verified(api, make_secretariat())
    secretariat = api.get(SNAPSHOTS).json()["results"]
    api.logout()
    api.force_authenticate(UserFactory(role=Role.AUTHORITY))
    authority = api.get(SNAPSHOTS, {"party": "othr"}).json()["results"]

    assert {r["metering_points"] for r in secretariat} == {OWN_N, OTHER_N}
    assert [r["party"] for r in authority] == ["OTHR"]


def test_an_unverified_secretariat_session_is_refused_metering_data(api, suppliers):
    api.force_login(make_secretariat())

    response = api.get(SNAPSHOTS)

    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


# --- Metering snapshots: recording ---------------------------------------------------------


def _payload(**overrides):
    payload = {
        "party": "OWNA",
        "category": "SUPPLIER",
        "metering_points": 1500,
        "as_of": "2026-02-28",
        "received_on": "2026-03-01",
        "source": "Registration data, February",
    }
    payload.update(overrides)
    return payload


def test_the_secretariat_records_a_snapshot_through_the_service(api, suppliers):
    secretariat = make_secretariat()
    login_verified(api, secretariat)

    response = api.post(SNAPSHOTS, _payload(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["metering_points"] == 1500
    snapshot = MeteringSnapshot.objects.get(pk=response.json()["id"])
    assert snapshot.recorded_by == secretariat
    assert AuditRecord.objects.filter(
        action="metering_snapshot.recorded", target_id=str(snapshot.pk)
    ).exists()


@pytest.mark.parametrize("role", [Role.AUTHORITY, Role.PARTY_REPRESENTATIVE, Role.PANEL_MEMBER])
def test_only_the_secretariat_may_record_a_snapshot(api, suppliers, role):
    user = (
        make_representative(suppliers["own"])
        if role == Role.PARTY_REPRESENTATIVE
        else UserFactory(role=role)
    )
    api.force_authenticate(user)

    response = api.post(SNAPSHOTS, _payload(), format="json")

    assert response.status_code == 403
    assert MeteringSnapshot.objects.count() == 2


def test_anonymous_requesters_cannot_record_a_snapshot(api, suppliers):
    response = api.post(SNAPSHOTS, _payload(), format="json")

    assert response.status_code == 403
    assert MeteringSnapshot.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"party": "NOPE"}, "party"),
        ({"category": "CVA"}, "category"),
        ({"metering_points": -1}, "metering_points"),
        ({"metering_points": "lots"}, "metering_points"),
        ({"as_of": "28/02/2026"}, "as_of"),
        ({"received_on": "2026-02-01"}, "received_on"),
        ({"source": ""}, "source"),
    ],
)
def test_a_bad_snapshot_is_a_400_naming_the_field(api, suppliers, overrides, field):
    api.force_authenticate(make_secretariat())

    response = api.post(SNAPSHOTS, _payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert MeteringSnapshot.objects.count() == 2


def test_a_snapshot_for_a_category_the_party_does_not_hold_is_a_400_naming_category(api, suppliers):
    party_in(Category.DNO, short_code="DNOA")
    api.force_authenticate(make_secretariat())

    response = api.post(SNAPSHOTS, _payload(party="DNOA"), format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "category"
    assert response.json()["rule"] == "party_holds_category"


def test_a_snapshot_received_in_the_future_is_a_400(api, suppliers):
    api.force_authenticate(make_secretariat())

    response = api.post(SNAPSHOTS, _payload(received_on="2026-03-03"), format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "received_on"


def test_a_malformed_body_is_a_400_not_a_500(api, suppliers):
    api.force_authenticate(make_secretariat())

    response = api.post(SNAPSHOTS, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_snapshots_cannot_be_changed_or_deleted(api, suppliers):
    api.force_authenticate(make_secretariat())
    pk = MeteringSnapshot.objects.first().pk

    assert api.put(SNAPSHOTS, _payload(), format="json").status_code == 405
    assert api.delete(SNAPSHOTS).status_code == 405
    assert api.patch(f"{SNAPSHOTS}{pk}/", {"metering_points": 1}).status_code == 404
    assert api.delete(f"{SNAPSHOTS}{pk}/").status_code == 404
    assert MeteringSnapshot.objects.filter(pk=pk).exists()


# --- Parties and categories (public) --------------------------------------------------------


def test_the_public_party_list_has_categories_and_corporate_group_but_no_n_or_contact_details(
    api, suppliers
):
    response = api.get(PARTIES)

    assert response.status_code == 200
    body = response.content.decode()
    rows = {r["short_code"]: r for r in response.json()["results"]}
    assert rows["OWNA"]["categories"][0]["category"] == "SUPPLIER"
    assert rows["OWNA"]["affiliations"][0]["corporate_group"] == "Own Holdings"
    assert str(OWN_N) not in body and str(OTHER_N) not in body
    assert suppliers["own"].notice_email not in body
    assert "Notice Street" not in body and "Registered Street" not in body
    assert "Contract Manager" not in body


def test_a_partys_public_detail_lists_its_affiliates(api):
    holding = CorporateGroupFactory(name="Holdings")
    party_in(Category.SUPPLIER, group=holding, short_code="SUPA")
    sibling = party_in(Category.DNO, group=holding, short_code="DNOB")
    MembershipFactory(party=sibling, category=Category.CVA)

    response = api.get(f"{PARTIES}SUPA/")

    assert response.status_code == 200
    assert [a["short_code"] for a in response.json()["affiliates"]] == ["DNOB"]


def test_an_unknown_party_is_a_404(api):
    assert api.get(f"{PARTIES}NOPE/").status_code == 404


def test_parties_filter_by_category_held_today(api, suppliers):
    party_in(Category.DNO, short_code="DNOA")

    response = api.get(PARTIES, {"category": "DNO"})
    bad = api.get(PARTIES, {"category": "WATER"})

    assert [r["short_code"] for r in response.json()["results"]] == ["DNOA"]
    assert bad.status_code == 400
    assert "category" in bad.json()


def test_the_six_party_categories_say_whether_they_use_n(api):
    response = api.get("/api/v1/categories/")

    rows = {r["code"]: r["uses_n"] for r in response.json()}
    assert rows == {
        "DNO": True,
        "IDNO_OTSO": False,
        "SUPPLIER": True,
        "CVA": True,
        "GAS_SUPPLIER": False,
        "SIP": False,
    }
    assert api.get("/api/v1/categories/SIP/").json()["label"] == "SIP Parties"
    assert api.get("/api/v1/categories/WATER/").status_code == 404


def test_the_schema_documents_the_groups_parameters_and_errors(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    groups = response.json()["paths"]["/api/v1/groups/"]["get"]
    assert {p["name"] for p in groups["parameters"]} >= {"category", "on", "purpose"}
    assert "400" in groups["responses"]
    snapshots = response.json()["paths"]["/api/v1/metering-snapshots/"]["post"]
    assert {"201", "400", "403"} <= set(snapshots["responses"])


def test_recording_the_same_count_twice_is_a_409(api, suppliers):
    api.force_authenticate(make_secretariat())
    first = api.post(SNAPSHOTS, _payload(), format="json")

    second = api.post(SNAPSHOTS, _payload(), format="json")

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["rule"] == "already_recorded"
    assert MeteringSnapshot.objects.count() == 3
