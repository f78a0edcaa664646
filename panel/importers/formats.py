"""The CSV format of metering snapshots (N data, 12.11-12.12): columns, rows, problems.

The file is checked whole before anything is written: every problem in every row is
reported (row, column, rule) so the Secretariat can fix the file in one go. Writing is
the service's job (`panel.services.metering_import`), all-or-nothing.

Row numbers count the header as row 1, as a spreadsheet does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..models import Category, MeteringSnapshot

REQUIRED_COLUMNS = ("party", "category", "metering_points", "as_of", "received_on")
OPTIONAL_COLUMNS = ("source",)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Only DNO and Supplier N comes as metering data; CVA N is the sites' capacities (12.11).
METERING_CATEGORIES = (Category.DNO, Category.SUPPLIER)
METERING_CHOICES: list[tuple[str, str]] = [
    choice for choice in Category.choices if choice[0] in METERING_CATEGORIES
]
DNO, SUPPLIER = str(Category.DNO), str(Category.SUPPLIER)
CATEGORY_WORDS: dict[str, str] = {
    "dno": DNO,
    "dno party": DNO,
    "dno parties": DNO,
    "supplier": SUPPLIER,
    "supplier party": SUPPLIER,
    "supplier parties": SUPPLIER,
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DIGITS = re.compile(r"^\d+$")
MAX_METERING_POINTS = 2**63 - 1
MAX_SOURCE_LENGTH = MeteringSnapshot._meta.get_field("source").max_length or 200


@dataclass(frozen=True)
class ImportProblem:
    """One reason the file cannot be imported; `row` and `column` are None for the whole file."""

    rule: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        return (
            f"{prefix}: {self.message} [{self.rule}]" if prefix else f"{self.message} [{self.rule}]"
        )


@dataclass(frozen=True)
class SnapshotRow:
    """A checked row, ready to record."""

    row: int
    party_id: int
    category: str
    metering_points: int
    as_of: dt.date
    received_on: dt.date
    source: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did: either `imported` rows, or `errors` and nothing imported."""

    source: str
    imported: int = 0
    errors: tuple[ImportProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.ok:
            return [f"Imported {self.imported} metering snapshot(s) from {self.source}."]
        return [
            f"Nothing was imported from {self.source}: {len(self.errors)} problem(s) found.",
            *(str(e) for e in self.errors),
        ]


@dataclass(frozen=True)
class CheckedFile:
    rows: tuple[SnapshotRow, ...] = ()
    errors: tuple[ImportProblem, ...] = ()


def read_csv(
    data: bytes | str,
) -> tuple[list[str], list[dict[str | None, object]], list[ImportProblem]]:
    """Decode and split the file; file-level problems come back instead of rows."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return (
                [],
                [],
                [
                    ImportProblem(
                        rule="not_utf8",
                        message=(
                            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). "
                            "Save it as 'CSV UTF-8 (comma delimited)' and upload it again."
                        ),
                    )
                ],
            )
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        return [], [], [ImportProblem(rule="empty_file", message="The file is empty.")]
    if "\x00" in text:
        return [], [], [ImportProblem(rule="not_csv", message="The file is not a CSV text file.")]
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        reader.fieldnames = headers
        records: list[dict[str | None, object]] = [dict(r) for r in reader]
    except csv.Error as exc:
        return [], [], [ImportProblem(rule="not_csv", message=f"The file is not valid CSV: {exc}.")]
    return headers, records, []


def check_headers(headers: Iterable[str]) -> list[ImportProblem]:
    headers = list(headers)
    problems: list[ImportProblem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h not in ALL_COLUMNS]
    repeated = sorted({h for h in headers if headers.count(h) > 1 and h})
    if missing:
        problems.append(
            ImportProblem(
                rule="missing_headers",
                message=f"Missing column(s): {', '.join(missing)}. "
                f"The header row must name: {', '.join(REQUIRED_COLUMNS)} (and optionally source).",
                row=1,
            )
        )
    if unknown:
        shown = ", ".join(f"'{h}'" for h in unknown)
        problems.append(
            ImportProblem(
                rule="unknown_headers",
                message=f"Unknown column(s): {shown}. Allowed: {', '.join(ALL_COLUMNS)}.",
                row=1,
            )
        )
    if repeated:
        problems.append(
            ImportProblem(
                rule="repeated_headers",
                message=f"Column(s) named more than once: {', '.join(repeated)}.",
                row=1,
            )
        )
    return problems


def text_of(record: Mapping[str | None, object], column: str) -> str:
    value = record.get(column)
    return value.strip() if isinstance(value, str) else ""


def date_of(value: str) -> dt.date | None:
    if not ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
