"""Every audited event has one name, from its app's enumeration."""

from __future__ import annotations

from enum import StrEnum

import pytest

from changes.audit import ChangeAction
from panel.audit import PanelAction, audit_record
from panel.models import AuditRecord
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
