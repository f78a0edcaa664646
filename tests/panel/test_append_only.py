"""PostgreSQL itself refuses to change or remove records kept as evidence (pgtrigger)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from panel.models import (
    AuditRecord,
    Category,
    MeteringSnapshot,
    OutgoingMail,
    Resolution,
    ResolutionConflict,
    ResolutionVote,
)
from tests.factories import party_in
from tests.panel_work.factories import PanelMeetingFactory, full_panel

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers are PostgreSQL's"),
]


def _refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:  # psycopg reports RAISE EXCEPTION as a ProgrammingError
        return "pgtrigger" in str(error)
    return False


def _audit() -> AuditRecord:
    return AuditRecord.objects.create(action="register.row_added", target_type="t", target_id="1")


def _snapshot() -> MeteringSnapshot:
    party = party_in(Category.SUPPLIER)
    return MeteringSnapshot.objects.create(
        party=party,
        category=Category.SUPPLIER,
        metering_points=10,
        as_of=dt.date(2026, 1, 31),
        received_on=dt.date(2026, 2, 1),
        source="letter",
    )


def _resolution() -> tuple[Resolution, ResolutionVote, ResolutionConflict]:
    panel = full_panel()
    member = panel.m("dno1")
    resolution = Resolution.objects.create(
        meeting=PanelMeetingFactory(),
        reference="Panel R1",
        kind="GENERAL",
        title="A decision",
        passed=True,
        present=6,
        outcome="Passed",
        decided_on=dt.date(2026, 3, 2),
    )
    vote = ResolutionVote.objects.create(
        resolution=resolution, member=member, cast_by=member, choice="FOR"
    )
    conflict = ResolutionConflict.objects.create(
        resolution=resolution, appointment=member, note="Employed by the Breaching Party"
    )
    return resolution, vote, conflict


def test_an_audit_record_cannot_be_updated_or_deleted_in_the_database():
    record = _audit()

    assert _refused("UPDATE panel_auditrecord SET action = 'x' WHERE id = %s", [record.pk])
    assert _refused("DELETE FROM panel_auditrecord WHERE id = %s", [record.pk])
    record.refresh_from_db()
    assert record.action == "register.row_added"


def test_a_metering_snapshot_cannot_be_updated_or_deleted_in_the_database():
    snapshot = _snapshot()

    assert _refused(
        "UPDATE panel_meteringsnapshot SET metering_points = 99 WHERE id = %s", [snapshot.pk]
    )
    assert _refused("DELETE FROM panel_meteringsnapshot WHERE id = %s", [snapshot.pk])
    assert MeteringSnapshot.objects.get(pk=snapshot.pk).metering_points == 10


def test_owed_mail_changes_only_in_its_delivery_columns():
    mail = OutgoingMail.objects.create(template="t", subject="Notice", body="Text", to=["a@x"])

    assert _refused("UPDATE panel_outgoingmail SET body = 'forged' WHERE id = %s", [mail.pk])
    assert _refused("UPDATE panel_outgoingmail SET \"to\" = '[]' WHERE id = %s", [mail.pk])
    assert _refused("DELETE FROM panel_outgoingmail WHERE id = %s", [mail.pk])
    OutgoingMail.objects.filter(pk=mail.pk).update(
        sent_at=timezone.now(), attempts=1, last_error=""
    )
    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.body == "Text"


def test_a_resolution_changes_only_in_what_it_carried_out():
    resolution, vote, conflict = _resolution()

    assert _refused("UPDATE panel_resolution SET passed = false WHERE id = %s", [resolution.pk])
    assert _refused("DELETE FROM panel_resolution WHERE id = %s", [resolution.pk])
    Resolution.objects.filter(pk=resolution.pk).update(effect="Recorded.")
    resolution.refresh_from_db()
    assert resolution.passed and resolution.effect == "Recorded."


def test_the_panel_members_votes_and_conflicts_are_append_only():
    _, vote, conflict = _resolution()

    assert _refused("UPDATE panel_resolutionvote SET choice = 'AGAINST' WHERE id = %s", [vote.pk])
    assert _refused("DELETE FROM panel_resolutionvote WHERE id = %s", [vote.pk])
    assert _refused(
        "UPDATE panel_resolutionconflict SET excluded = true WHERE id = %s", [conflict.pk]
    )
    assert _refused("DELETE FROM panel_resolutionconflict WHERE id = %s", [conflict.pk])
    assert ResolutionVote.objects.get(pk=vote.pk).choice == "FOR"
