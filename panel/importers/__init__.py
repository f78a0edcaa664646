"""Reading and checking a CSV file of metering snapshots (N data, 12.11-12.12).

The file is checked whole before anything is written (`checks`); writing is the service's job
(`panel.services.metering_import`), all-or-nothing. `formats` holds the columns and rows.
"""

from .checks import check_file, check_records, check_rows, rows_from_mappings
from .formats import (
    ALL_COLUMNS,
    MAX_METERING_POINTS,
    MAX_SOURCE_LENGTH,
    METERING_CATEGORIES,
    METERING_CHOICES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    CheckedFile,
    ImportProblem,
    ImportReport,
    SnapshotRow,
    check_headers,
    read_csv,
)

__all__ = [
    "ALL_COLUMNS",
    "MAX_METERING_POINTS",
    "MAX_SOURCE_LENGTH",
    "METERING_CATEGORIES",
    "METERING_CHOICES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "CheckedFile",
    "ImportProblem",
    "ImportReport",
    "SnapshotRow",
    "check_file",
    "check_headers",
    "check_records",
    "check_rows",
    "read_csv",
    "rows_from_mappings",
]
