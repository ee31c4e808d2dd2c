"""What every reader returns.

A reader yields the contract columns as text exactly as delivered (an empty string becomes null),
``_row_number`` (the row as a spreadsheet shows it) and ``_sheet``; extra columns travel beside
them and end up as JSON in ``_extra_columns``. Ragged rows come back as row-level rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from yibao.contracts import FileKind

ROW_NUMBER = "_row_number"
SHEET = "_sheet"


@dataclass(frozen=True)
class RowReject:
    """A delivered row that cannot be loaded, found by a reader (e.g. a ragged CSV row)."""

    row_number: int
    reason: str
    record: str  # JSON text of what was delivered
    column_name: str | None = None
    value: str | None = None


@dataclass
class ReadResult:
    """One delivered file, read.

    Either ``table`` (CSV, xlsx: an Arrow table of the contract columns, the extra columns under
    the names in ``extra_columns``, ``_row_number`` and ``_sheet``) or ``select_sql`` (Parquet: a
    DuckDB query yielding the contract columns, ``_row_number``, ``_sheet`` and ``_extra_columns``,
    so that DuckDB streams the file instead of Python holding it) is set.
    """

    kind: FileKind
    rows_delivered: int
    table: pa.Table | None = None
    select_sql: str | None = None
    extra_columns: tuple[tuple[str, str], ...] = ()  # (delivered header, column in `table`)
    rejects: list[RowReject] = field(default_factory=list)
    encoding: str | None = None
    notices: list[str] = field(default_factory=list)
