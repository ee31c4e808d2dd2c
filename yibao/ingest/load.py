"""The atomic load of a delivery month (and of landing/reference) into the raw layer.

First every delivered file is read, staged and checked; a file-level defect raises ContractError
before anything is written. Then one transaction deletes the month from every raw table,
raw.rejects and raw.load_log and inserts it again; any error rolls it back, so earlier months and
the previous load of this month stay exactly as they were.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

import duckdb
from tqdm import tqdm

from yibao.contracts import ALL_KINDS
from yibao.crashpoints import crash_point
from yibao.ingest.discovery import (
    DELIVERED,
    MonthPlan,
    PlannedFile,
    plan_month,
    plan_reference,
)
from yibao.ingest.read_ahead import read_in_order
from yibao.ingest.report import FileReport, MonthLoadReport
from yibao.ingest.schema import (
    LOAD_LOG,
    LOAD_LOG_COLUMNS,
    META_COLUMNS,
    REJECTS,
    REJECTS_COLUMNS,
    ensure_raw_schema,
    raw_table,
)
from yibao.ingest.sql import ident
from yibao.ingest.staging import StagedFile, drop_staged, stage_file

LOADED = "loaded"


#: told of each staged file: its position, the number of files, the file, its rows delivered
Progress = Callable[[int, int, PlannedFile, int], None]
#: told, inside the month's transaction, as each kind's rows are written: the kind, rows
#: loaded, seconds (the province tier's enrolment takes over a minute)
Written = Callable[[str, int, float], None]


def load_month(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    month: str,
    progress: Progress | None = None,
    written: Written | None = None,
) -> MonthLoadReport:
    """Load ``landing/<month>`` (YYYY-MM) into schema raw, replacing any earlier load of it."""
    return load_plan(con, plan_month(Path(landing), month), progress, written)


def load_reference(
    con: duckdb.DuckDBPyConnection, landing: Path, progress: Progress | None = None
) -> MonthLoadReport:
    """Load ``landing/reference`` into schema raw (delivery month 'reference'), replacing it."""
    return load_plan(con, plan_reference(Path(landing)), progress)


def load_plan(
    con: duckdb.DuckDBPyConnection,
    plan: MonthPlan,
    progress: Progress | None = None,
    written: Written | None = None,
) -> MonthLoadReport:
    """Read, stage and check every delivered file of `plan`, then write them in one transaction.
    Reader threads parse the next files while one is staged (read_ahead.py); files are staged
    in plan order. A bar on stderr (when it is a terminal) and `progress` follow them, and
    `written` the writing of each kind."""
    prefix = f"_ingest_{uuid.uuid4().hex[:8]}"
    staged: list[StagedFile] = []
    reads = read_in_order(plan.delivered)
    files = tqdm(
        reads,
        total=len(plan.delivered),
        desc=f"read {plan.month}",
        unit="file",
        disable=None,
        leave=False,
    )
    try:
        for index, (planned, result) in enumerate(files):
            staged.append(stage_file(con, planned, result, f"{prefix}_{index}"))
            del result
            files.set_postfix(rows=f"{sum(s.rows_delivered for s in staged):,}", refresh=False)
            if progress is not None:
                progress(index + 1, len(plan.delivered), planned, staged[-1].rows_delivered)
            crash_point("ingest.staged")
        files.close()
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        with _transaction(con):
            ensure_raw_schema(con)
            _clear(con, plan.month)
            reports = _insert_all(con, staged, plan.month, loaded_at, written)
            reports += [_ignored(f) for f in plan.files if f.status != DELIVERED]
            _log(con, plan, reports, loaded_at)
        crash_point("ingest.committed")
    finally:
        reads.close()  # a failed month stops its reader threads before it drops what it staged
        for s in staged:
            drop_staged(con, s)
    order = {f.source_file: i for i, f in enumerate(plan.files)}
    reports.sort(key=lambda r: order[r.file])
    return MonthLoadReport(plan.month, loaded_at, tuple(reports))


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _clear(con: duckdb.DuckDBPyConnection, month: str) -> None:
    for kind in ALL_KINDS:
        con.execute(f"DELETE FROM {raw_table(kind)} WHERE _delivery_month = ?", [month])
    con.execute(f"DELETE FROM {REJECTS} WHERE delivery_month = ?", [month])
    con.execute(f"DELETE FROM {LOAD_LOG} WHERE delivery_month = ?", [month])


def _insert_all(
    con: duckdb.DuckDBPyConnection,
    staged: list[StagedFile],
    month: str,
    loaded_at: datetime,
    written: Written | None,
) -> list[FileReport]:
    """Insert every staged file, in plan order (a kind's files are next to each other)."""
    reports = []
    for kind, files in groupby(staged, key=lambda s: s.planned.kind.name):
        started, rows = time.perf_counter(), 0
        for s in files:
            reports.append(_insert(con, s, month, loaded_at))
            rows += reports[-1].rows_loaded
            crash_point("ingest.inserted")
        if written is not None:
            written(kind, rows, time.perf_counter() - started)
    return reports


def _insert(
    con: duckdb.DuckDBPyConnection, staged: StagedFile, month: str, loaded_at: datetime
) -> FileReport:
    planned = staged.planned
    kind = planned.kind
    contract = [ident(c) for c in kind.column_names]
    target = contract + [name for name, _ in META_COLUMNS]
    values = contract + [
        "? AS _source_file",
        "s._sheet",
        "s._row_number",
        "? AS _delivery_month",
        "? AS _file_county",
        "? AS _file_hash",
        "s._extra_columns",
        "? AS _loaded_at",
    ]
    where = ""
    if staged.rows_failing_checks:
        where = f"WHERE s._row_number NOT IN (SELECT row_number FROM {staged.rejects})"
    inserted = con.execute(
        f"INSERT INTO {raw_table(kind)} ({', '.join(target)}) "
        f"SELECT {', '.join(values)} FROM {staged.source} AS s {where}",
        [planned.source_file, month, planned.county, planned.sha256, loaded_at],
    ).fetchall()[0][0]
    con.execute(
        f"INSERT INTO {REJECTS} ({', '.join(n for n, _ in REJECTS_COLUMNS)}) "
        f"SELECT ?, ?, ?, row_number, column_name, value, reason, record, ?, ? "
        f"FROM {staged.rejects}",
        [month, kind.name, planned.source_file, planned.sha256, loaded_at],
    )
    if inserted + staged.rows_rejected != staged.rows_delivered:
        raise RuntimeError(
            f"{planned.display}: loaded {inserted:,} + rejected {staged.rows_rejected:,} "
            f"!= delivered {staged.rows_delivered:,}"
        )
    return FileReport(
        kind=kind.name,
        file=planned.source_file,
        status=LOADED,
        version=planned.version,
        encoding=staged.encoding,
        rows_delivered=staged.rows_delivered,
        rows_loaded=inserted,
        rows_rejected=staged.rows_rejected,
        notices=staged.notices,
    )


def _ignored(planned: PlannedFile) -> FileReport:
    return FileReport(
        kind=planned.kind.name,
        file=planned.source_file,
        status=planned.status,
        version=planned.version,
        notices=(planned.notice,) if planned.notice else (),
    )


def _log(
    con: duckdb.DuckDBPyConnection,
    plan: MonthPlan,
    reports: list[FileReport],
    loaded_at: datetime,
) -> None:
    by_file = {f.source_file: f for f in plan.files}
    rows = []
    for r in reports:
        f = by_file[r.file]
        rows.append(
            (
                plan.month,
                f.kind.name,
                f.department,
                f.source_file,
                f.version,
                f.sha256,
                f.file_format,
                r.encoding,
                r.rows_delivered,
                r.rows_loaded,
                r.rows_rejected,
                r.status,
                "; ".join(r.notices) or None,
                loaded_at,
            )
        )
    names = ", ".join(n for n, _ in LOAD_LOG_COLUMNS)
    placeholders = ", ".join("?" for _ in LOAD_LOG_COLUMNS)
    con.executemany(f"INSERT INTO {LOAD_LOG} ({names}) VALUES ({placeholders})", rows)
