"""Checking a CSV file of metering snapshots against the register before anything is written.

Every problem in every row is reported (row, column, rule); rows number from the header (1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..models import Category, MeteringSnapshot, Party, PartyCategoryMembership
from .formats import (
    ALL_COLUMNS,
    CATEGORY_WORDS,
    DIGITS,
    MAX_METERING_POINTS,
    MAX_SOURCE_LENGTH,
    METERING_CATEGORIES,
    CheckedFile,
    ImportProblem,
    SnapshotRow,
    check_headers,
    date_of,
    read_csv,
    text_of,
)


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
        party_text = text_of(record, "party")
        if not party_text:
            bad("party", "required", "Give the Party's short code or company registration number.")
        else:
            party, why = parties.find(party_text)
            if why:
                bad("party", "unknown_party", why)

        category: str | None = None
        category_text = text_of(record, "category")
        if not category_text:
            bad("category", "required", "Give the Party Category: DNO or SUPPLIER.")
        else:
            category = CATEGORY_WORDS.get(category_text.lower())
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
        points_text = text_of(record, "metering_points")
        if not points_text:
            bad("metering_points", "required", "Give the number of metering points.")
        elif not DIGITS.match(points_text) or int(points_text) > MAX_METERING_POINTS:
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
            value = text_of(record, column)
            dates[column] = date_of(value)
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

        source = text_of(record, "source") or default_source
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
        if party.is_crowded_meter_room_coordinator:
            problems.append(
                ImportProblem(
                    rule="cmr_coordinator_has_no_category",
                    message=f"{party.name} ({party.short_code}) is the Crowded Meter Room "
                    "Coordinator: it holds no Party Category and has no N (12.2).",
                    row=row.row,
                    column="party",
                )
            )
        elif not party.is_party_on(row.as_of):
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
