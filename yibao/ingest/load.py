"""The atomic load of a delivery month (and of landing/reference) into the raw layer.

First every delivered file is read, staged and checked; a file-level defect raises ContractError
before anything is written. Then one transaction deletes the month from every raw table,
raw.rejects and raw.load_log and inserts it again; any error rolls it back, so earlier months and
the previous load of this month stay exactly as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
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
from yibao.ingest.readers import read_delivery
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


def load_month(
    con: duckdb.DuckDBPyConnection, landing: Path, month: str, progress: Progress | None = None
) -> MonthLoadReport:
    """Load ``landing/<month>`` (YYYY-MM) into schema raw, replacing any earlier load of it."""
    return load_plan(con, plan_month(Path(landing), month), progress)


def load_reference(
    con: duckdb.DuckDBPyConnection, landing: Path, progress: Progress | None = None
) -> MonthLoadReport:
    """Load ``landing/reference`` into schema raw (delivery month 'reference'), replacing it."""
    return load_plan(con, plan_reference(Path(landing)), progress)


def load_plan(
    con: duckdb.DuckDBPyConnection, plan: MonthPlan, progress: Progress | None = None
) -> MonthLoadReport:
    """Read, stage and check every delivered file of `plan`, then write them in one transaction.
    A bar on stderr (when it is a terminal) and `progress` follow the files as they are read."""
    prefix = f"_ingest_{uuid.uuid4().hex[:8]}"
    staged: list[StagedFile] = []
    files = tqdm(plan.delivered, desc=f"read {plan.month}", unit="file", disable=None, leave=False)
    try:
        for index, planned in enumerate(files):
            result = read_delivery(planned.path, planned.kind, planned.file_format, planned.display)
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
            reports = []
            for s in staged:
                reports.append(_insert(con, s, plan.month, loaded_at))
                crash_point("ingest.inserted")
            reports += [_ignored(f) for f in plan.files if f.status != DELIVERED]
            _log(con, plan, reports, loaded_at)
        crash_point("ingest.committed")
    finally:
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
