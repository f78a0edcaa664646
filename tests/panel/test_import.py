"""CSV import of metering snapshots: all-or-nothing, every problem named by row, column and rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from panel.errors import NotAllowed
from panel.management.commands.import_metering import Command
from panel.models import AuditRecord, Category, MeteringSnapshot, Role
from panel.services import metering_import
from tests.factories import (
    PartyFactory,
    SnapshotFactory,
    UserFactory,
    login_verified,
    make_secretariat,
    party_in,
)
from tests.panel.clock import frozen_at

pytestmark = pytest.mark.django_db

HEADER = "party,category,metering_points,as_of,received_on,source\n"
IMPORT_URL = "/admin/panel/meteringsnapshot/import/"


_today = frozen_at()


@pytest.fixture
def register():
    return {
        "dno": party_in(Category.DNO, short_code="NWEL", company_number="02366949"),
        "sup": party_in(Category.SUPPLIER, short_code="BGAS", company_number="03768549"),
        "cva": party_in(Category.CVA, short_code="CVAR"),
    }


def _import(text: str, by=None, name="feb.csv"):
    return metering_import(by=by or make_secretariat(), file=text.encode(), source=name)


def _problems(report):
    return {(e.row, e.column, e.rule) for e in report.errors}


def test_a_good_file_imports_every_row_with_an_audit_record_each(register):
    secretariat = make_secretariat()
    text = HEADER + (
        "NWEL,DNO,2400000,2026-01-31,2026-02-10,ElectraLink\n"
        "03768549,Supplier Parties,1300000,2026-01-31,2026-02-10,\n"
    )

    report = _import(text, by=secretariat)

    assert report.ok and report.imported == 2
    rows = {s.party.short_code: s for s in MeteringSnapshot.objects.select_related("party")}
    assert rows["NWEL"].metering_points == 2400000
    assert rows["NWEL"].source == "ElectraLink"
    assert rows["BGAS"].category == Category.SUPPLIER
    assert rows["BGAS"].source == "feb.csv"  # default: the file name
    assert rows["BGAS"].recorded_by == secretariat
    assert AuditRecord.objects.filter(action="metering_snapshot.imported").count() == 2


def test_one_bad_row_means_nothing_is_imported(register):
    text = HEADER + (
        "NWEL,DNO,2400000,2026-01-31,2026-02-10,\n"
        "BGAS,SUPPLIER,-5,2026-01-31,2026-02-10,\n"
        "BGAS,SUPPLIER,1300000,2026-01-31,2026-02-11,\n"
    )

    report = _import(text)

    assert not report.ok and report.imported == 0
    assert _problems(report) == {(3, "metering_points", "whole_number")}
    assert not MeteringSnapshot.objects.exists()
    assert not AuditRecord.objects.exists()


def test_every_bad_row_is_reported_with_its_row_column_and_rule(register):
    PartyFactory(short_code="NOCAT")
    text = HEADER + (
        "NWEL,DNO,100,2026-01-31,2026-02-10,\n"  # row 2: fine
        "ZZZZ,DNO,100,2026-01-31,2026-02-10,\n"  # row 3: unknown party
        "NWEL,GAS,100,2026-01-31,2026-02-10,\n"  # row 4: not a category
        "CVAR,CVA,100,2026-01-31,2026-02-10,\n"  # row 5: CVA N is not metering data
        "NWEL,DNO,1.5,2026-01-31,2026-02-10,\n"  # row 6: not whole
        "NWEL,DNO,100,31/01/2026,2026-02-10,\n"  # row 7: date format
        "NWEL,DNO,100,2026-01-31,2026-03-03,\n"  # row 8: received in the future
        "NWEL,DNO,100,2026-02-20,2026-02-10,\n"  # row 9: received before as_of
        "NOCAT,SUPPLIER,100,2026-01-31,2026-02-10,\n"  # row 10: does not hold the category
        "NWEL,DNO,200,2026-01-31,2026-02-10,\n"  # row 11: repeats row 2's key
        ",,,,,\n"  # row 12: everything missing
    )

    report = _import(text)

    assert _problems(report) == {
        (3, "party", "unknown_party"),
        (4, "category", "category_choice"),
        (5, "category", "category_has_no_metering_data"),
        (6, "metering_points", "whole_number"),
        (7, "as_of", "date_format"),
        (8, "received_on", "not_in_future"),
        (9, "received_on", "not_before_as_of"),
        (10, "category", "party_holds_category"),
        (11, "received_on", "duplicate_in_file"),
        (12, "party", "required"),
        (12, "category", "required"),
        (12, "metering_points", "required"),
        (12, "as_of", "required"),
        (12, "received_on", "required"),
    }
    assert not MeteringSnapshot.objects.exists()
    lines = report.lines()
    assert lines[0].startswith("Nothing was imported from feb.csv: 14 problem(s)")
    assert "Row 3, column 'party': No Party has the short code" in lines[1]


def test_a_party_that_did_not_hold_the_category_on_as_of_is_refused(register):
    late = party_in(Category.SUPPLIER, short_code="LATE", valid_from=dt.date(2026, 2, 1))

    report = _import(HEADER + "LATE,SUPPLIER,10,2026-01-31,2026-02-10,\n")

    assert _problems(report) == {(2, "category", "party_holds_category")}
    assert late.name in report.errors[0].message


def test_a_party_not_yet_acceded_on_as_of_is_refused(register):
    party_in(Category.SUPPLIER, short_code="NEWP", accession_date=dt.date(2026, 2, 1))

    report = _import(HEADER + "NEWP,SUPPLIER,10,2026-01-31,2026-02-10,\n")

    assert _problems(report) == {(2, "party", "not_a_party_on_as_of")}


def test_missing_and_unknown_headers_are_named(register):
    report = _import("party,category,points,as_of,notes\nNWEL,DNO,1,2026-01-31,x\n")

    messages = {e.rule: e.message for e in report.errors}
    assert set(messages) == {"missing_headers", "unknown_headers"}
    assert "metering_points" in messages["missing_headers"]
    assert "received_on" in messages["missing_headers"]
    assert "'points'" in messages["unknown_headers"] and "'notes'" in messages["unknown_headers"]
    assert not MeteringSnapshot.objects.exists()


def test_headers_are_read_case_insensitively_and_source_is_optional(register):
    report = _import(
        "Party, Category ,METERING_POINTS,as_of,received_on\nNWEL,dno,7,2026-01-31,2026-02-10\n"
    )

    assert report.ok and report.imported == 1


def test_an_empty_file_is_refused():
    report = _import("")

    assert _problems(report) == {(None, None, "empty_file")}


def test_a_header_without_rows_is_refused():
    report = _import(HEADER)

    assert [e.rule for e in report.errors] == ["no_rows"]


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_error(register):
    data = (HEADER + "NWEL,DNO,1,2026-01-31,2026-02-10,Société\n").encode("latin-1")

    report = metering_import(by=make_secretariat(), file=data, source="latin.csv")

    assert [e.rule for e in report.errors] == ["not_utf8"]
    assert "UTF-8" in report.errors[0].message
    assert not MeteringSnapshot.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_is_read(register):
    data = ("\ufeff" + HEADER + "NWEL,DNO,1,2026-01-31,2026-02-10,Société\n").encode("utf-8")

    report = metering_import(by=make_secretariat(), file=data, source="bom.csv")

    assert report.ok
    assert MeteringSnapshot.objects.get().source == "Société"


def test_a_row_with_more_values_than_headers_is_refused(register):
    report = _import(HEADER + "NWEL,DNO,1,2026-01-31,2026-02-10,src,extra\n")

    assert _problems(report) == {(2, None, "extra_values")}


def test_a_count_already_recorded_is_not_imported_again(register):
    SnapshotFactory(
        party=register["dno"],
        category=Category.DNO,
        metering_points=5,
        as_of=dt.date(2026, 1, 31),
        received_on=dt.date(2026, 2, 10),
    )

    report = _import(HEADER + "NWEL,DNO,5,2026-01-31,2026-02-10,\n")

    assert _problems(report) == {(2, "metering_points", "already_recorded")}
    assert MeteringSnapshot.objects.count() == 1


def test_rows_given_as_mappings_are_checked_the_same_way(register):
    report = metering_import(
        by=make_secretariat(),
        rows=[
            {
                "party": "NWEL",
                "category": "DNO",
                "metering_points": 3,
                "as_of": "2026-01-31",
                "received_on": "2026-02-10",
            },
            {
                "party": "NWEL",
                "category": "DNO",
                "metering_points": "x",
                "as_of": "2026-01-31",
                "received_on": "2026-02-11",
            },
        ],
    )

    assert _problems(report) == {(3, "metering_points", "whole_number")}
    assert not MeteringSnapshot.objects.exists()


def test_only_the_secretariat_may_import(register):
    with pytest.raises(NotAllowed):
        _import(HEADER + "NWEL,DNO,1,2026-01-31,2026-02-10,\n", by=UserFactory(role=Role.AUTHORITY))

    assert not MeteringSnapshot.objects.exists()


# --- The command --------------------------------------------------------------------------


def test_the_command_imports_a_good_file_and_prints_the_report(register, tmp_path, capsys):
    path = tmp_path / "jan.csv"
    path.write_text(HEADER + "NWEL,DNO,2400000,2026-01-31,2026-02-10,\n", encoding="utf-8")
    make_secretariat(username="sec1")

    call_command("import_metering", str(path), "--by", "sec1")

    assert "Imported 1 metering snapshot(s) from jan.csv." in capsys.readouterr().out
    snapshot = MeteringSnapshot.objects.get()
    assert snapshot.recorded_by.username == "sec1"
    assert snapshot.source == "jan.csv"


def test_the_command_fails_with_every_error_line_and_imports_nothing(register, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "NWEL,DNO,2400000,2026-01-31,2026-02-10,\n"
        + "ZZZZ,DNO,1,2026-01-31,2026-02-10,\n"
        + "NWEL,DNO,-1,2026-01-31,2026-02-10,\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as failed:
        call_command("import_metering", str(path))

    message = str(failed.value)
    assert "Nothing was imported from bad.csv: 2 problem(s) found." in message
    assert "Row 3, column 'party'" in message and "[unknown_party]" in message
    assert "Row 4, column 'metering_points'" in message and "[whole_number]" in message
    assert not MeteringSnapshot.objects.exists()


def test_the_command_exits_non_zero_from_the_shell_on_a_bad_file(
    register, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "ZZZZ,DNO,1,2026-01-31,2026-02-10,\n", encoding="utf-8")
    # run_from_argv closes connections when done; keep the test's transaction open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "import_metering", str(path)])

    assert exited.value.code == 1
    assert "[unknown_party]" in capsys.readouterr().err
    assert not MeteringSnapshot.objects.exists()


def test_the_command_refuses_a_user_who_is_not_the_secretariat(register, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + "NWEL,DNO,1,2026-01-31,2026-02-10,\n", encoding="utf-8")
    UserFactory(username="someone", role=Role.PARTY_REPRESENTATIVE)

    with pytest.raises(CommandError, match="Only the Secretariat"):
        call_command("import_metering", str(path), "--by", "someone")
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("import_metering", str(path), "--by", "nobody")

    assert not MeteringSnapshot.objects.exists()


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_metering", str(tmp_path / "absent.csv"))


# --- The admin upload ---------------------------------------------------------------------


def _upload(client, text: str, name: str = "upload.csv"):
    return client.post(
        IMPORT_URL, {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def test_the_admin_upload_imports_a_good_file(client, register):
    login_verified(client, make_secretariat())

    response = _upload(client, HEADER + "NWEL,DNO,10,2026-01-31,2026-02-10,\n")

    assert response.status_code == 302
    assert response.url == "/admin/panel/meteringsnapshot/"
    assert MeteringSnapshot.objects.get().source == "upload.csv"


def test_the_admin_upload_shows_the_full_error_report_and_imports_nothing(client, register):
    login_verified(client, make_secretariat())

    response = _upload(
        client,
        HEADER
        + "NWEL,DNO,10,2026-01-31,2026-02-10,\n"
        + "ZZZZ,DNO,10,2026-01-31,2026-02-10,\n"
        + "NWEL,DNO,ten,2026-01-31,2026-02-11,\n",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported from upload.csv: 2 problems found." in body
    assert "unknown_party" in body and "whole_number" in body
    assert "No Party has the short code or company registration number" in body
    assert not MeteringSnapshot.objects.exists()


def test_the_admin_upload_page_is_for_the_secretariat_only(client, register):
    staff = UserFactory(role=Role.AUTHORITY, is_staff=True)
    client.force_login(staff)

    response = _upload(client, HEADER + "NWEL,DNO,10,2026-01-31,2026-02-10,\n")

    assert response.status_code == 403
    assert not MeteringSnapshot.objects.exists()
