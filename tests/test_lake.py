"""The Parquet lake (yibao.lake): one file per table and month, replaced atomically, idempotent."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from yibao import lake
from yibao.contracts import ALL_KINDS
from yibao.ingest.schema import ensure_raw_schema

MONTH = "2020-06"


@pytest.fixture
def restricted(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "restricted.duckdb"))
    ensure_raw_schema(con)
    for month, rows in ((MONTH, 3), ("2020-07", 2)):
        for row in range(1, rows + 1):
            con.execute(
                "insert into raw.raw_enrolment (psn_no, _source_file, _row_number, "
                "_delivery_month) values (?, 'insuinfo.csv', ?, ?)",
                [f"P{row}", row, month],
            )
        con.execute(
            "insert into raw.load_log (delivery_month, kind, source_file, rows_delivered, "
            "rows_loaded, rows_rejected, status) values (?, 'enrolment', 'insuinfo.csv', ?, ?, "
            "0, 'loaded')",
            [month, rows, rows],
        )
    return con


def _part(root: Path, table: str, month: str = MONTH) -> Path:
    column = "_delivery_month" if table.startswith("raw_") else "delivery_month"
    schema = "audit" if table in ("rejects_by_column",) else "raw"
    return root / schema / table / f"{column}={month}" / lake.PART_FILE


def test_a_month_becomes_one_file_per_table_without_its_partition_column(restricted, tmp_path):
    root = tmp_path / "lake"
    summary = lake.export_month(restricted, root, MONTH)
    assert summary.tables == len(ALL_KINDS) + 4
    enrolment = _part(root, "raw_enrolment")
    rows = restricted.execute(f"select psn_no from read_parquet('{enrolment}')").fetchall()
    assert rows == [("P1",), ("P2",), ("P3",)]
    plain = f"read_parquet('{enrolment}', hive_partitioning = false)"
    described = restricted.execute(f"describe from {plain}").fetchall()
    columns = [r[0] for r in described]
    assert "_delivery_month" not in columns and "_row_number" in columns
    # every table has a file for the month, empty or not, so Spark can read its schema
    assert _part(root, "raw_settlements").exists()
    assert lake.exported_months(root) == [MONTH]


def test_re_exporting_a_month_gives_the_same_bytes(restricted, tmp_path):
    root = tmp_path / "lake"
    lake.export_month(restricted, root, MONTH)
    first = _part(root, "raw_enrolment").read_bytes()
    lake.export_month(restricted, root, MONTH)
    assert _part(root, "raw_enrolment").read_bytes() == first


def test_a_crash_mid_export_leaves_each_table_old_or_new_and_a_rerun_converges(
    restricted, tmp_path, monkeypatch
):
    root = tmp_path / "lake"
    lake.export_month(restricted, root, MONTH)
    old = {t.name: _file(root, t) for t in lake.lake_tables(restricted)}
    restricted.execute(f"delete from raw.raw_enrolment where _delivery_month = '{MONTH}' "
                       "and _row_number = 3")  # fmt: skip
    restricted.execute(f"update raw.load_log set rows_loaded = 2 where delivery_month = '{MONTH}'")

    replaced = []
    real_replace = os.replace

    def crash_on_the_third(source, target):
        if len(replaced) == 2:
            raise OSError("disk full")
        replaced.append(Path(target))
        real_replace(source, target)

    monkeypatch.setattr(lake.os, "replace", crash_on_the_third)
    with pytest.raises(OSError, match="disk full"):
        lake.export_month(restricted, root, MONTH)
    # no partial or temporary file anywhere; every file is complete (readable) and either the
    # month's old export or its new one
    assert not [p for p in root.rglob(".*") if p.is_file()]
    changed = [t for t in lake.lake_tables(restricted) if _file(root, t) != old[t.name]]
    assert [_path(root, t) for t in changed] == replaced[: len(changed)]
    for table in lake.lake_tables(restricted):
        restricted.execute(f"select count(*) from read_parquet('{_path(root, table)}')")

    monkeypatch.setattr(lake.os, "replace", real_replace)
    lake.export_month(restricted, root, MONTH)
    fresh = tmp_path / "fresh"
    lake.export_month(restricted, fresh, MONTH)
    for table in lake.lake_tables(restricted):
        assert _file(root, table) == _file(fresh, table), table.name


def _path(root: Path, table: lake.LakeTable) -> Path:
    return table.partition(root, MONTH) / lake.PART_FILE


def _file(root: Path, table: lake.LakeTable) -> bytes:
    return _path(root, table).read_bytes()
