"""Staging a read file in DuckDB temp objects and running the row checks on it.

Every file is staged and checked before the month's transaction starts, so that a file-level
defect refuses the month before anything is written. A CSV/xlsx file's Arrow table becomes a temp
table (Python lets go of it); a Parquet file stays a temp view over ``read_parquet``. The rows
that fail (and a reader's ragged rows) go into a small temp table of rejects.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from yibao.contracts import FileKind
from yibao.ingest.checks import orphan_reversal_query, reject_query
from yibao.ingest.discovery import PlannedFile
from yibao.ingest.errors import ContractError
from yibao.ingest.result import ROW_NUMBER, SHEET, ReadResult, RowReject
from yibao.ingest.sql import ident, literal

_REJECT_SCHEMA = pa.schema(
    [
        ("row_number", pa.int64()),
        ("column_name", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
        ("record", pa.string()),
    ]
)


@dataclass(frozen=True)
class StagedFile:
    """A delivered file, read and checked, waiting in temp objects for the month's transaction."""

    planned: PlannedFile
    source: str  # temp table or view: contract columns, _row_number, _sheet, _extra_columns
    source_is_view: bool
    rejects: str  # temp table: row_number, column_name, value, reason, record
    rows_delivered: int
    rows_rejected: int
    rows_failing_checks: int
    encoding: str | None
    notices: tuple[str, ...]


def stage_file(
    con: duckdb.DuckDBPyConnection, planned: PlannedFile, result: ReadResult, name: str
) -> StagedFile:
    """Stage `result` under temp names derived from `name` and check its rows."""
    source, rejects = f"{name}_source", f"{name}_rejects"
    is_view = result.table is None
    try:
        if not is_view:
            _stage_table(con, result, source)
        else:
            assert result.select_sql is not None
            con.execute(f"CREATE OR REPLACE TEMP VIEW {source} AS {result.select_sql}")
        checks = reject_query(result.kind, source)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {rejects} AS {checks}")
        if result.kind.reversal is not None:
            earlier = _earlier_originals(con, result.kind, planned.source_file[:7])
            orphans = orphan_reversal_query(result.kind, source, rejects, earlier)
            con.execute(f"INSERT INTO {rejects} {orphans}")
    except duckdb.Error as error:
        _drop(con, source)
        _drop(con, rejects)
        message = str(error).strip().splitlines()[0]
        raise ContractError(planned.display, f"unreadable file: {message}") from None
    failing = con.execute(f"SELECT count(*) FROM {rejects}").fetchall()[0][0]
    if result.rejects:
        _add_reader_rejects(con, result.rejects, rejects, f"{name}_reader_rejects")
    return StagedFile(
        planned=planned,
        source=source,
        source_is_view=is_view,
        rejects=rejects,
        rows_delivered=result.rows_delivered,
        rows_rejected=failing + len(result.rejects),
        rows_failing_checks=failing,
        encoding=result.encoding,
        notices=tuple(result.notices),
    )


def _earlier_originals(con: duckdb.DuckDBPyConnection, kind, month: str) -> str:
    """SQL selecting the original ids of `kind` loaded for months before `month`."""
    key, flag = kind.reversal
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' "
        "AND table_name = ?", [kind.raw_table]).fetchall()[0][0]
    if not exists:
        return f"SELECT CAST(NULL AS VARCHAR) AS {ident(key)} WHERE false"
    return (f"SELECT {ident(key)} FROM raw.{kind.raw_table} WHERE {ident(flag)} = '0' "
            f"AND _delivery_month < {literal(month)} AND {ident(key)} IS NOT NULL")


def drop_staged(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> None:
    """Drop the temp objects of a staged file."""
    source_type = "VIEW" if staged.source_is_view else "TABLE"
    con.execute(f"DROP {source_type} IF EXISTS {staged.source}")
    con.execute(f"DROP TABLE IF EXISTS {staged.rejects}")


def _drop(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a temp table or view of a file whose staging failed half way."""
    for object_type in ("VIEW", "TABLE"):
        with suppress(duckdb.CatalogException):  # it is the other type
            con.execute(f"DROP {object_type} IF EXISTS {name}")


def _stage_table(con: duckdb.DuckDBPyConnection, result: ReadResult, source: str) -> None:
    arrow_name = f"{source}_arrow"
    con.register(arrow_name, result.table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {source} AS {_select(result, arrow_name)}")
    finally:
        con.unregister(arrow_name)
    result.table = None  # the temp table holds the rows now


def _select(result: ReadResult, relation: str) -> str:
    kind: FileKind = result.kind
    columns = [ident(c) for c in kind.column_names] + [ROW_NUMBER, SHEET]
    if result.extra_columns:
        pairs = ", ".join(f"{literal(name)}, {ident(col)}" for name, col in result.extra_columns)
        columns.append(f"CAST(json_object({pairs}) AS VARCHAR) AS _extra_columns")
    else:
        columns.append("CAST(NULL AS VARCHAR) AS _extra_columns")
    return f"SELECT {', '.join(columns)} FROM {relation}"


def _add_reader_rejects(
    con: duckdb.DuckDBPyConnection, rejects: list[RowReject], table: str, arrow_name: str
) -> None:
    batch = pa.Table.from_pylist(
        [
            {
                "row_number": r.row_number,
                "column_name": r.column_name,
                "value": r.value,
                "reason": r.reason,
                "record": r.record,
            }
            for r in rejects
        ],
        schema=_REJECT_SCHEMA,
    )
    con.register(arrow_name, batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM {arrow_name}")
    finally:
        con.unregister(arrow_name)
