"""Every audited event has one name, from its app's enumeration."""

from __future__ import annotations

from enum import StrEnum

import pytest
from django.db import transaction

from changes.audit import ChangeAction
from panel.audit import PanelAction, audit_record
from panel.models import AuditRecord, CorporateGroup
from panel.services import audited_create, audited_save
from tests.factories import PartyFactory
from voting.audit import VotingAction

pytestmark = pytest.mark.django_db


def test_an_audit_record_refuses_a_free_string_and_writes_nothing():
    party = PartyFactory()
    with pytest.raises(TypeError, match="enumeration"):
        audit_record(actor=None, action="party.changed", target=party)  # type: ignore[arg-type]
    assert not AuditRecord.objects.exists()


def test_an_audit_record_stores_the_members_value():
    party = PartyFactory()
    member = next(iter(PanelAction))
    record = audit_record(actor=None, action=member, target=party)
    assert record.action == member.value


@pytest.mark.parametrize("enum", [PanelAction, ChangeAction, VotingAction])
def test_each_app_names_its_events_in_one_enumeration(enum: type[StrEnum]):
    values = [m.value for m in enum]
    assert len(values) == len(set(values))


def test_no_event_name_belongs_to_two_apps():
    names = [m.value for e in (PanelAction, ChangeAction, VotingAction) for m in e]
    assert len(names) == len(set(names))


def test_a_row_created_through_a_service_carries_its_audit_record():
    group = audited_create(
        CorporateGroup, by=None, action=PanelAction.REGISTER_ROW_ADDED, name="Northern Holdings"
    )
    record = AuditRecord.objects.get()
    assert record.action == "register.row_added"
    assert (record.target_type, record.target_id) == ("panel.CorporateGroup", str(group.pk))


def test_a_row_whose_audit_record_is_refused_is_not_written():
    with pytest.raises(TypeError, match="enumeration"), transaction.atomic():
        audited_create(CorporateGroup, by=None, action="group.added", name="X")  # type: ignore[arg-type]
    assert not CorporateGroup.objects.exists()
    assert not AuditRecord.objects.exists()


def test_a_saved_change_writes_only_the_named_fields_and_its_audit_record():
    party = PartyFactory(name="Old Name Ltd", notice_address="1 Notice Street, London")
    party.name, party.notice_address = "New Name Ltd", "not saved"
    audited_save(
        party, ["name"], by=None, action=PanelAction.REGISTER_ROW_CHANGED, data={"to": "New"}
    )
    party.refresh_from_db()
    assert (party.name, party.notice_address) == ("New Name Ltd", "1 Notice Street, London")
    assert AuditRecord.objects.get().data == {"to": "New"}
