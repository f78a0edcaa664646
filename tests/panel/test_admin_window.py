"""The admin is no back door: process records are read-only, register saves go through the
register's services and are audited, offices end and Parties are suspended through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from panel.audit import PanelAction
from panel.errors import DomainError
from panel.models import (
    AuditRecord,
    Category,
    ClosureDay,
    EndReason,
    OfficeRole,
    PanelAppointment,
    PanelVacancy,
    PartyCategoryMembership,
    Role,
    Suspension,
)
from panel.selectors import parties_on
from panel.services import register_row_save
from tests.factories import (
    PartyFactory,
    UserFactory,
    login_verified,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at
from tests.panel_work.factories import PanelMeetingFactory, full_panel

pytestmark = pytest.mark.django_db

PROCESS_TABLES = [
    "panelvacancy",
    "panelchair",
    "panelmeeting",
    "panelminutes",
    "minutesobjection",
    "resolution",
    "sigchair",
    "sigmeeting",
    "issueform",
    "sigoutcome",
]


_today = frozen_at()


@pytest.fixture
def secretariat():
    return make_secretariat()


@pytest.fixture
def secretariat_client(client, secretariat):
    return login_verified(client, secretariat)


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    return login_verified(client, user)


@pytest.mark.parametrize("table", PROCESS_TABLES)
def test_process_records_can_be_read_but_not_added_in_the_admin(superuser_client, table):
    assert superuser_client.get(f"/admin/panel/{table}/").status_code == 200
    assert superuser_client.get(f"/admin/panel/{table}/add/").status_code == 403


def test_an_office_cannot_be_edited_or_deleted_in_the_admin(superuser_client):
    member = full_panel().m("dno1")

    edit = superuser_client.post(
        f"/admin/panel/panelappointment/{member.pk}/change/", {"seat": "2", "role": "MEMBER"}
    )
    delete = superuser_client.post(
        f"/admin/panel/panelappointment/{member.pk}/delete/", {"post": "yes"}
    )

    assert edit.status_code == 403 and delete.status_code == 403
    member.refresh_from_db()
    assert member.seat == 1 and member.ended_on is None


def test_an_office_added_in_the_admin_goes_through_the_appointment_service(secretariat_client):
    person = UserFactory(username="new.member")

    response = secretariat_client.post(
        "/admin/panel/panelappointment/add/",
        {
            "person": person.pk,
            "role": OfficeRole.ALTERNATE,
            "constituency": "DNO",
            "seat": "1",
            "appointed_from": "2026-03-02",
            "appointed_under": "ELECTION",
        },
    )

    assert response.status_code == 200
    assert "allocated" in str(response.context["adminform"].form.errors)
    assert not PanelAppointment.objects.exists()

    response = secretariat_client.post(
        "/admin/panel/panelappointment/add/",
        {
            "person": person.pk,
            "role": OfficeRole.MEMBER,
            "constituency": "DNO",
            "seat": "1",
            "appointed_from": "2026-03-02",
            "appointed_under": "AUTHORITY_5_8",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    appointment = PanelAppointment.objects.get(person=person)
    assert AuditRecord.objects.filter(
        action=PanelAction.APPOINTMENT_CREATED, target_id=str(appointment.pk)
    ).exists()
    person.refresh_from_db()
    assert person.role == Role.PANEL_MEMBER


def test_a_panel_meeting_cannot_be_edited_or_deleted_in_the_admin(superuser_client):
    meeting = PanelMeetingFactory(reference="Panel 2026-03")

    page = superuser_client.get(f"/admin/panel/panelmeeting/{meeting.pk}/change/")
    edit = superuser_client.post(
        f"/admin/panel/panelmeeting/{meeting.pk}/change/",
        {"reference": "Changed", "meeting_date": "2026-03-20", "venue": "x", "status": "HELD"},
    )
    delete = superuser_client.post(
        f"/admin/panel/panelmeeting/{meeting.pk}/delete/", {"post": "yes"}
    )

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert edit.status_code == 403
    assert delete.status_code == 403
    meeting.refresh_from_db()
    assert meeting.reference == "Panel 2026-03"


@pytest.mark.parametrize("table", [*PROCESS_TABLES, "panelappointment", "nonvotingappointment"])
def test_no_process_changelist_offers_the_delete_action(superuser_client, table):
    response = superuser_client.get(f"/admin/panel/{table}/")

    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )


def test_a_meeting_action_opens_the_panel_page_that_calls_the_service(secretariat_client):
    meeting = PanelMeetingFactory()

    response = secretariat_client.post(
        "/admin/panel/panelmeeting/",
        {"action": "open_record_attendance__6_12_6_13_", "_selected_action": [meeting.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/panel/meetings/{meeting.pk}/attendance/"


def test_ending_an_office_in_the_admin_creates_the_vacancy_and_the_alternate_steps_up(
    secretariat_client,
):
    panel = full_panel()
    member, alternate = panel.m("sup1"), panel.a("sup1")

    response = secretariat_client.post(
        f"/admin/panel/panelappointment/{member.pk}/end/",
        {"on": "2026-03-02", "reason": EndReason.RESIGNED, "note": "Letter of 1 March"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == dt.date(2026, 3, 2) and member.end_reason == EndReason.RESIGNED
    vacancy = PanelVacancy.objects.get(vacated=member)
    assert vacancy.outcome == PanelVacancy.Outcome.ALTERNATE_STEPPED_UP
    stepped_up = PanelAppointment.objects.get(replaces=member)
    assert stepped_up.person == alternate.person and stepped_up.role == OfficeRole.MEMBER
    assert AuditRecord.objects.filter(
        action=PanelAction.APPOINTMENT_ENDED, target_id=str(member.pk)
    ).exists()


def test_a_former_panel_member_loses_the_panel_role_when_the_office_ends(secretariat_client):
    panel = full_panel()
    member = panel.m("dno1")
    member.person.role = Role.PANEL_MEMBER
    member.person.save()

    secretariat_client.post(
        f"/admin/panel/panelappointment/{member.pk}/end/",
        {"on": "2026-03-02", "reason": EndReason.RESIGNED},
    )

    member.person.refresh_from_db()
    assert member.person.role == Role.PUBLIC
    assert AuditRecord.objects.filter(
        action=PanelAction.USER_ROLE_CHANGED, target_id=str(member.person.pk)
    ).exists()


def test_suspending_a_party_in_the_admin_sends_the_54_3_notice(
    secretariat_client, django_capture_on_commit_callbacks
):
    party = party_in(Category.SUPPLIER, name="Defaulting Energy Ltd")
    other = party_in(Category.DNO)

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/panel/suspension/add/",
            {
                "party": party.pk,
                "valid_from": "2026-03-02",
                "valid_to": "",
                "panel_resolution": "Panel 2026-03 R4",
                "reason": "Event of Default",
            },
        )

    assert response.status_code == 302
    assert Suspension.objects.filter(party=party).exists()
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["authority@dcusa.example"]
    assert other.notice_email in notice.bcc
    assert "Defaulting Energy Ltd" in notice.subject and "54.3" in notice.subject


def test_a_refused_suspension_in_the_admin_sends_no_notice(
    secretariat_client, django_capture_on_commit_callbacks
):
    party = party_in(Category.SUPPLIER)

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            "/admin/panel/suspension/add/",
            {
                "party": party.pk,
                "valid_from": "2026-03-02",
                "valid_to": "2026-03-01",
                "panel_resolution": "Panel 2026-03 R4",
                "reason": "",
            },
        )

    assert response.status_code == 200
    assert not Suspension.objects.exists()
    assert mail.outbox == []


def test_a_closure_day_added_in_the_admin_is_audited(secretariat_client, secretariat):
    response = secretariat_client.post(
        "/admin/panel/closureday/add/", {"day": "2026-12-29", "reason": "Office closed"}
    )

    assert response.status_code == 302
    day = ClosureDay.objects.get()
    record = AuditRecord.objects.get(action=PanelAction.REGISTER_ROW_ADDED, target_id=str(day.pk))
    assert record.actor == secretariat and record.target_type == "panel.ClosureDay"


def test_a_closure_day_removed_in_the_admin_is_audited(secretariat_client):
    day = ClosureDay.objects.create(day=dt.date(2026, 12, 29), reason="Office closed")

    response = secretariat_client.post(f"/admin/panel/closureday/{day.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    record = AuditRecord.objects.get(action=PanelAction.REGISTER_ROW_REMOVED)
    assert record.data["row"]["day"] == "2026-12-29"


def test_a_role_change_in_the_admin_is_audited(secretariat_client):
    user = UserFactory(username="alex", role=Role.PUBLIC)

    response = secretariat_client.post(
        f"/admin/panel/user/{user.pk}/change/",
        {
            "username": "alex",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": "on",
            "role": Role.AUTHORITY,
            "organisation": "Ofgem",
            "party_links-TOTAL_FORMS": "0",
            "party_links-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    user.refresh_from_db()
    assert user.role == Role.AUTHORITY
    record = AuditRecord.objects.get(action=PanelAction.USER_ROLE_CHANGED)
    assert record.data == {"from": Role.PUBLIC, "to": Role.AUTHORITY}


def test_a_party_edited_in_the_admin_is_audited_with_what_changed(secretariat_client):
    party = PartyFactory(name="Old Name Ltd", short_code="OLDN")

    response = secretariat_client.post(
        f"/admin/panel/party/{party.pk}/change/",
        {
            "name": "New Name Ltd",
            "short_code": "OLDN",
            "company_number": party.company_number,
            "registered_address": party.registered_address,
            "notice_address": party.notice_address,
            "notice_email": party.notice_email,
            "contract_manager": party.contract_manager,
            "accession_date": party.accession_date.isoformat(),
            **{
                f"{prefix}-{key}": "0"
                for prefix in (
                    "categories",
                    "affiliations",
                    "cva_sites",
                    "suspensions",
                    "representatives",
                    "metering_snapshots",
                )
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    record = AuditRecord.objects.get(action=PanelAction.REGISTER_ROW_CHANGED)
    assert record.data["changed"] == {"name": "New Name Ltd"}


def test_a_category_membership_cannot_be_deleted_in_the_admin(secretariat_client):
    party = party_in(Category.SUPPLIER)
    membership = party.categories.get()

    response = secretariat_client.post(
        f"/admin/panel/partycategorymembership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert PartyCategoryMembership.objects.filter(pk=membership.pk).exists()


def test_the_cmr_coordinator_cannot_join_a_party_category(secretariat):
    coordinator = PartyFactory(is_crowded_meter_room_coordinator=True)

    with pytest.raises(DomainError) as refused:
        register_row_save(
            by=secretariat,
            row=PartyCategoryMembership(
                party=coordinator, category=Category.SUPPLIER, valid_from=dt.date(2026, 1, 1)
            ),
        )

    assert refused.value.rule == "cmr_coordinator_has_no_category"
    assert not PartyCategoryMembership.objects.exists()
    assert not AuditRecord.objects.exists()


def test_the_admin_form_refuses_the_cmr_coordinator_a_category(secretariat_client):
    coordinator = PartyFactory(is_crowded_meter_room_coordinator=True)

    response = secretariat_client.post(
        "/admin/panel/partycategorymembership/add/",
        {"party": coordinator.pk, "category": Category.SUPPLIER, "valid_from": "2026-01-01"},
    )

    assert response.status_code == 200
    assert "Crowded Meter Room Coordinator" in str(response.context["adminform"].form.errors)
    assert not PartyCategoryMembership.objects.exists()


@pytest.mark.parametrize("table", ["meteringsnapshot", "suspension", "partyrepresentative"])
def test_an_add_page_with_a_non_numeric_id_in_the_address_does_not_fail(secretariat_client, table):
    response = secretariat_client.get(f"/admin/panel/{table}/add/", {"party": "abc"})

    assert response.status_code == 200


def test_a_second_factor_device_is_removed_only_by_the_audited_action(
    secretariat_client, superuser_client
):
    owner = UserFactory(username="voter")
    device = TOTPDevice.objects.create(user=owner, name="Phone", confirmed=True)

    delete = superuser_client.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = secretariat_client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "remove_devices", "_selected_action": [device.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    record = AuditRecord.objects.get(action=PanelAction.USER_SECOND_FACTOR_REMOVED)
    assert record.target_id == str(owner.pk) and record.data["device"] == "Phone"


def test_parties_on_a_day_leave_out_terminated_and_not_yet_acceded_parties():
    current = PartyFactory(accession_date=dt.date(2020, 1, 1))
    PartyFactory(accession_date=dt.date(2020, 1, 1), termination_date=dt.date(2026, 3, 1))
    PartyFactory(accession_date=dt.date(2026, 3, 3))

    assert list(parties_on(dt.date(2026, 3, 2))) == [current]
