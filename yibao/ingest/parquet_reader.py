"""Parquet reader: checks the schema with pyarrow, then leaves the rows to DuckDB.

A province's enrolment file has tens of millions of rows, so the reader does not materialise it:
it returns a DuckDB query over ``read_parquet`` that casts every column to text (dates
YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS, decimals with their scale, integers plain).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from yibao.contracts import FileKind
from yibao.ingest.errors import ContractError
from yibao.ingest.header import extra_notice, match_header
from yibao.ingest.result import ROW_NUMBER, SHEET, ReadResult
from yibao.ingest.sniff import PARQUET, looks_like
from yibao.ingest.sql import ident, literal

_ROW_INDEX = "file_row_number"  # DuckDB's 0-based record index, read_parquet(file_row_number=true)


def read_parquet(path: Path, kind: FileKind, display: str | None = None) -> ReadResult:
    """Check a delivered Parquet file and return the DuckDB query that reads it as text."""
    display = display or str(path)
    schema, rows = _schema(path, display)
    if _ROW_INDEX in schema.names:
        raise ContractError(display, "reserved column name", column=_ROW_INDEX)
    header = match_header(schema.names, kind, display, row=1)
    select = [
        f"{_as_text(schema.field(header.contract[c]))} AS {ident(c)}" for c in kind.column_names
    ]
    select.append(f"{_ROW_INDEX} + 2 AS {ROW_NUMBER}")  # as if the header were row 1
    select.append(f"CAST(NULL AS VARCHAR) AS {SHEET}")
    if header.extras:
        pairs = ", ".join(
            f"{literal(name)}, {_as_text(schema.field(position))}"
            for name, position in header.extras
        )
        select.append(f"CAST(json_object({pairs}) AS VARCHAR) AS _extra_columns")
    else:
        select.append("CAST(NULL AS VARCHAR) AS _extra_columns")
    source = f"read_parquet({literal(str(path.resolve()))}, file_row_number = true)"
    return ReadResult(
        kind=kind,
        rows_delivered=rows,
        select_sql=f"SELECT {', '.join(select)} FROM {source}",
        notices=extra_notice(header.extras),
    )


def _schema(path: Path, display: str) -> tuple[pa.Schema, int]:
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if not head.startswith(PARQUET):
        raise ContractError(display, f"wrong file kind: {looks_like(head)}, not a Parquet file")
    if size < 12 or tail != PARQUET:
        raise ContractError(display, "unreadable or truncated Parquet file (no footer)")
    try:
        with pq.ParquetFile(path) as parquet:
            return parquet.schema_arrow, parquet.metadata.num_rows
    except (pa.ArrowException, OSError, ValueError) as error:
        raise ContractError(display, f"unreadable or truncated Parquet file: {error}") from None


def _as_text(column: pa.Field) -> str:
    """DuckDB text of a Parquet column as delivered; an empty string becomes null."""
    ref, kind = ident(column.name), column.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        text = ref
    elif pa.types.is_date(kind):
        text = f"strftime(CAST({ref} AS DATE), '%Y-%m-%d')"
    elif pa.types.is_timestamp(kind):
        local = f"timezone({literal(kind.tz)}, {ref})" if kind.tz else f"CAST({ref} AS TIMESTAMP)"
        text = f"strftime({local}, '%Y-%m-%d %H:%M:%S')"
    elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        text = f"decode({ref})"
    elif pa.types.is_null(kind):
        text = "CAST(NULL AS VARCHAR)"
    else:  # integers plain, decimals with their scale (280.00), floats, booleans, times
        text = f"CAST({ref} AS VARCHAR)"
    return f"NULLIF({text}, '')"
