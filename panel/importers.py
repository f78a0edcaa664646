"""Reading and checking a CSV file of metering snapshots (N data, 12.11-12.12).

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

from .models import Category, MeteringSnapshot, Party, PartyCategoryMembership

REQUIRED_COLUMNS = ("party", "category", "metering_points", "as_of", "received_on")
OPTIONAL_COLUMNS = ("source",)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Only DNO and Supplier N comes as metering data; CVA N is the sites' capacities (12.11).
METERING_CATEGORIES = (Category.DNO, Category.SUPPLIER)
METERING_CHOICES: list[tuple[str, str]] = [
    choice for choice in Category.choices if choice[0] in METERING_CATEGORIES
]
_DNO, _SUPPLIER = str(Category.DNO), str(Category.SUPPLIER)
_CATEGORY_WORDS: dict[str, str] = {
    "dno": _DNO,
    "dno party": _DNO,
    "dno parties": _DNO,
    "supplier": _SUPPLIER,
    "supplier party": _SUPPLIER,
    "supplier parties": _SUPPLIER,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"^\d+$")
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


def _text(record: Mapping[str | None, object], column: str) -> str:
    value = record.get(column)
    return value.strip() if isinstance(value, str) else ""


def _date(value: str) -> dt.date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class _PartyIndex:
    """Parties by short code or company registration number, case-insensitively (one query)."""

    def __init__(self) -> None:
        self.by_code: dict[str, Party] = {}
        self.by_number: dict[str, Party] = {}
        for party in Party.objects.only(
            "id", "name", "short_code", "company_number", "accession_date", "termination_date"
        ):
            self.by_code[party.short_code.upper()] = party
            self.by_number[party.company_number.upper()] = party

    def find(self, value: str) -> tuple[Party | None, str | None]:
        key = value.upper()
        by_code, by_number = self.by_code.get(key), self.by_number.get(key)
        if by_code and by_number and by_code.pk != by_number.pk:
            return None, (
                f"'{value}' is the short code of {by_code.name} and the company number of "
                f"{by_number.name}; use the other identifier of the Party you mean."
            )
        found = by_code or by_number
        if found is None:
            return None, f"No Party has the short code or company registration number '{value}'."
        return found, None


def check_records(
    records: list[dict[str | None, object]], *, default_source: str, today: dt.date
) -> CheckedFile:
    """Check every row; return the checked rows, or every problem of every row."""
    parties = _PartyIndex()
    problems: list[ImportProblem] = []
    candidates: list[tuple[SnapshotRow, Party]] = []
    for index, record in enumerate(records):
        row = index + 2
        row_problems: list[ImportProblem] = []

        def bad(
            column: str | None,
            rule: str,
            message: str,
            *,
            _row: int = row,
            _into: list[ImportProblem] = row_problems,
        ) -> None:
            _into.append(ImportProblem(rule=rule, message=message, row=_row, column=column))

        if record.get(None):
            bad(None, "extra_values", "This row has more values than the header row has columns.")

        party: Party | None = None
        party_text = _text(record, "party")
        if not party_text:
            bad("party", "required", "Give the Party's short code or company registration number.")
        else:
            party, why = parties.find(party_text)
            if why:
                bad("party", "unknown_party", why)

        category: str | None = None
        category_text = _text(record, "category")
        if not category_text:
            bad("category", "required", "Give the Party Category: DNO or SUPPLIER.")
        else:
            category = _CATEGORY_WORDS.get(category_text.lower())
            if category is None:
                if category_text.upper() in Category.values or category_text in Category.labels:
                    bad(
                        "category",
                        "category_has_no_metering_data",
                        f"'{category_text}': metering data are recorded only for DNO Parties "
                        "and Supplier Parties; a CVA Registrant's N comes from its sites in "
                        "the Party Details (12.11), and the other categories share votes "
                        "equally (12.9).",
                    )
                else:
                    bad(
                        "category",
                        "category_choice",
                        f"'{category_text}' is not a Party Category with metering data; "
                        "use DNO or SUPPLIER.",
                    )

        points: int | None = None
        points_text = _text(record, "metering_points")
        if not points_text:
            bad("metering_points", "required", "Give the number of metering points.")
        elif not _DIGITS.match(points_text) or int(points_text) > MAX_METERING_POINTS:
            bad(
                "metering_points",
                "whole_number",
                f"'{points_text}' is not a whole number of metering points, 0 or more, "
                "written in digits only.",
            )
        else:
            points = int(points_text)

        dates: dict[str, dt.date | None] = {}
        for column in ("as_of", "received_on"):
            value = _text(record, column)
            dates[column] = _date(value)
            if not value:
                bad(column, "required", "Give a date as YYYY-MM-DD.")
            elif dates[column] is None:
                bad(column, "date_format", f"'{value}' is not a date written as YYYY-MM-DD.")
        as_of, received_on = dates["as_of"], dates["received_on"]
        if received_on is not None and received_on > today:
            bad(
                "received_on",
                "not_in_future",
                f"{received_on:%Y-%m-%d} is in the future; data cannot be received after today.",
            )
        if as_of is not None and received_on is not None and received_on < as_of:
            bad(
                "received_on",
                "not_before_as_of",
                f"{received_on:%Y-%m-%d} is before the as_of date {as_of:%Y-%m-%d}; "
                "a count cannot be received before the day it describes.",
            )

        source = _text(record, "source") or default_source
        if len(source) > MAX_SOURCE_LENGTH:
            bad("source", "too_long", f"At most {MAX_SOURCE_LENGTH} characters.")

        if row_problems:
            problems.extend(row_problems)
            continue
        assert party is not None and category is not None  # noqa: S101 - checked above
        assert points is not None and as_of is not None and received_on is not None  # noqa: S101
        candidates.append(
            (
                SnapshotRow(
                    row=row,
                    party_id=party.pk,
                    category=category,
                    metering_points=points,
                    as_of=as_of,
                    received_on=received_on,
                    source=source[:MAX_SOURCE_LENGTH],
                ),
                party,
            )
        )

    problems.extend(_check_against_register(candidates))
    if problems:
        problems.sort(
            key=lambda p: (
                p.row or 0,
                ALL_COLUMNS.index(p.column) if p.column in ALL_COLUMNS else 99,
            )
        )
        return CheckedFile(errors=tuple(problems))
    return CheckedFile(rows=tuple(row for row, _ in candidates))


def _check_against_register(candidates: list[tuple[SnapshotRow, Party]]) -> list[ImportProblem]:
    """Rows whose fields are each fine: the Party holds the category, no repeats (2 queries)."""
    if not candidates:
        return []
    problems: list[ImportProblem] = []
    party_ids = {row.party_id for row, _ in candidates}
    held: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = {}
    for party_id, category, start, end in PartyCategoryMembership.objects.filter(
        party_id__in=party_ids, category__in=METERING_CATEGORIES
    ).values_list("party_id", "category", "valid_from", "valid_to"):
        held.setdefault((party_id, category), []).append((start, end))
    recorded = set(
        MeteringSnapshot.objects.filter(
            party_id__in=party_ids, category__in=METERING_CATEGORIES
        ).values_list("party_id", "category", "as_of", "received_on", "metering_points")
    )
    first_seen: dict[tuple[int, str, dt.date, dt.date], int] = {}
    for row, party in candidates:
        label = Category(row.category).label
        periods = held.get((row.party_id, row.category), [])
        holds = any(
            start <= row.as_of and (end is None or row.as_of <= end) for start, end in periods
        )
        if not party.is_party_on(row.as_of):
            problems.append(
                ImportProblem(
                    rule="not_a_party_on_as_of",
                    message=f"{party.name} ({party.short_code}) was not a Party on "
                    f"{row.as_of:%Y-%m-%d} (acceded {party.accession_date:%Y-%m-%d}"
                    + (
                        f", terminated {party.termination_date:%Y-%m-%d})."
                        if party.termination_date
                        else ")."
                    ),
                    row=row.row,
                    column="party",
                )
            )
        elif not holds:
            problems.append(
                ImportProblem(
                    rule="party_holds_category",
                    message=f"{party.name} ({party.short_code}) did not hold the {label} "
                    f"category on {row.as_of:%Y-%m-%d}, the as_of date.",
                    row=row.row,
                    column="category",
                )
            )
        key = (row.party_id, row.category, row.as_of, row.received_on)
        if key in first_seen:
            problems.append(
                ImportProblem(
                    rule="duplicate_in_file",
                    message=f"Same party, category, as_of and received_on as row {first_seen[key]}.",
                    row=row.row,
                    column="received_on",
                )
            )
        else:
            first_seen[key] = row.row
            if (*key, row.metering_points) in recorded:
                problems.append(
                    ImportProblem(
                        rule="already_recorded",
                        message=f"This count for {party.short_code} ({label}, as of "
                        f"{row.as_of:%Y-%m-%d}, received {row.received_on:%Y-%m-%d}) "
                        "is already recorded.",
                        row=row.row,
                        column="metering_points",
                    )
                )
    return problems


def check_file(data: bytes | str, *, default_source: str, today: dt.date) -> CheckedFile:
    headers, records, problems = read_csv(data)
    if problems:
        return CheckedFile(errors=tuple(problems))
    return check_rows(headers, records, default_source=default_source, today=today)


def check_rows(
    headers: Iterable[str],
    records: list[dict[str | None, object]],
    *,
    default_source: str,
    today: dt.date,
) -> CheckedFile:
    header_problems = check_headers(headers)
    if header_problems:
        return CheckedFile(errors=tuple(header_problems))
    if not records:
        return CheckedFile(
            errors=(
                ImportProblem(
                    rule="no_rows", message="The file has a header row but no data rows.", row=2
                ),
            )
        )
    return check_records(records, default_source=default_source, today=today)


def rows_from_mappings(
    rows: Iterable[Mapping[str, object]],
) -> tuple[list[str], list[dict[str | None, object]]]:
    """Rows given as dicts (not a file): the headers are every key used, normalised as in a file."""
    records: list[dict[str | None, object]] = []
    headers: list[str] = []
    for row in rows:
        record: dict[str | None, object] = {}
        for key, value in row.items():
            name = str(key).strip().lower()
            if name not in headers:
                headers.append(name)
            record[name] = "" if value is None else str(value)
        records.append(record)
    return headers, records
