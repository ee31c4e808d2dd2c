"""The Parquet lake: the raw layer and the load audit, one Parquet file per table and month, for
engines that cannot read the restricted DuckDB file (the dbt `spark` target; docs/scale-out.md).

Layout, Hive-style so Spark maps each delivery month to one table partition::

    <lake>/raw/<raw table>/_delivery_month=<YYYY-MM>/part-0.parquet
    <lake>/raw/rejects/delivery_month=<YYYY-MM>/part-0.parquet
    <lake>/raw/load_log/delivery_month=<YYYY-MM>/part-0.parquet
    <lake>/audit/load_log/delivery_month=<YYYY-MM>/part-0.parquet          (counts only)
    <lake>/audit/rejects_by_column/delivery_month=<YYYY-MM>/part-0.parquet (counts only)

The partition column lives in the folder name, not in the file. Every table gets a file for
every exported month, empty or not, so every table has a schema Spark can read.

What a month's overwrite guarantees: each file is written under a hidden temporary name in its
partition folder (Spark skips names starting with '.') and renamed over ``part-0.parquet``. The
rename is atomic, so a reader of one table sees the month's previous file or its new one, never
a partial file. Across tables the overwrite is not atomic: a crash part-way leaves some tables
at the new version of the month and some at the old one, until the month is exported again.
Exporting is idempotent (the same rows in the same order give the same file), so a re-run
converges; the pipeline exports after the month's load committed and before dbt runs, so dbt
never starts on a half-exported month.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb

from yibao.contracts import ALL_KINDS
from yibao.ingest.audit import AUDIT_TABLE_NAMES, audit_query
from yibao.ingest.schema import LOAD_LOG, REJECTS, raw_table
from yibao.ingest.sql import literal

PART_FILE = "part-0.parquet"


@dataclass(frozen=True)
class LakeTable:
    """One table of the lake: its folder, partition column and the query of one month."""

    schema: str
    name: str
    partition_column: str
    #: the query of one month's rows, without the partition column
    month_query: Callable[[str], str]

    def folder(self, lake: Path) -> Path:
        return Path(lake) / self.schema / self.name

    def partition(self, lake: Path, month: str) -> Path:
        return self.folder(lake) / f"{self.partition_column}={month}"


def lake_tables(con: duckdb.DuckDBPyConnection) -> list[LakeTable]:
    """Every table the lake holds, with the queries that read one month of it from DuckDB."""
    tables = []
    for kind in ALL_KINDS:
        tables.append(_raw_table(con, raw_table(kind), kind.raw_table, "_delivery_month"))
    tables.append(_raw_table(con, REJECTS, "rejects", "delivery_month"))
    tables.append(_raw_table(con, LOAD_LOG, "load_log", "delivery_month"))
    for name in AUDIT_TABLE_NAMES:
        tables.append(LakeTable("audit", name, "delivery_month", partial(audit_query, name, "raw")))
    return tables


def _raw_table(
    con: duckdb.DuckDBPyConnection, qualified: str, name: str, partition_column: str
) -> LakeTable:
    schema, table = qualified.split(".")
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        if row[0] != partition_column
    ]
    listed = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    order = "_source_file, _row_number" if partition_column == "_delivery_month" else listed

    def month_query(month: str) -> str:
        return (
            f"select {listed} from {qualified} where {partition_column} = {literal(month)} "
            f"order by {order}"
        )

    return LakeTable("raw", name, partition_column, month_query)


@dataclass(frozen=True)
class ExportSummary:
    month: str
    tables: int
    rows: int
    bytes: int
    seconds: float


def export_month(con: duckdb.DuckDBPyConnection, lake: Path, month: str) -> ExportSummary:
    """Write (or overwrite) `month` of every lake table from the restricted database."""
    started = time.perf_counter()
    rows = size = 0
    tables = lake_tables(con)
    for table in tables:
        written, nbytes = _write_partition(con, table, Path(lake), month)
        rows += written
        size += nbytes
    return ExportSummary(month, len(tables), rows, size, time.perf_counter() - started)


def _write_partition(
    con: duckdb.DuckDBPyConnection, table: LakeTable, lake: Path, month: str
) -> tuple[int, int]:
    folder = table.partition(lake, month)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{PART_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        rows = con.execute(
            f"copy ({table.month_query(month)}) to {literal(str(temporary))} "
            "(format parquet, compression zstd, row_group_size 122880)"
        ).fetchall()[0][0]
        os.replace(temporary, folder / PART_FILE)
    finally:
        temporary.unlink(missing_ok=True)
    return rows, (folder / PART_FILE).stat().st_size


def exported_months(lake: Path) -> list[str]:
    """The months the lake holds a load log for (its partitions), sorted."""
    folder = Path(lake) / "raw" / "load_log"
    if not folder.exists():
        return []
    return sorted(p.name.split("=", 1)[1] for p in folder.iterdir() if "=" in p.name)
