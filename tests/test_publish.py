"""Write-audit-publish: analysts read the last published warehouse while the pipeline runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dagster_project.publish import candidate_beside, open_candidate, publish


def _restricted(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute("""create table raw.load_log as select '2020-01' as delivery_month,
            'enrolment' as kind, 'healthcare' as department, 'f.parquet' as source_file,
            1 as version, 'h' as file_hash, 'parquet' as file_format, null as encoding,
            10 as rows_delivered, 10 as rows_loaded, 0 as rows_rejected, 'loaded' as status,
            null as notice, now() as loaded_at""")
        con.execute("""create table raw.rejects as select '2020-01' as delivery_month,
            'enrolment' as kind, 'f.parquet' as source_file, 2 as row_number,
            'brdy' as column_name""")
    return path


def _state(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """What a reader sees: through `con`, or from another process, as an analyst would (within
    one process DuckDB hands a new connection the database instance already open)."""
    if con is not None:
        return con.execute("select v from t").fetchall()[0][0]
    code = (
        f"import duckdb; c = duckdb.connect({str(path)!r}, read_only=True); "
        "print(c.execute('select v from t').fetchall()[0][0])"
    )
    return int(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout
    )


def test_a_reader_keeps_its_state_and_new_readers_see_the_published_one(tmp_path):
    restricted = _restricted(tmp_path / "restricted.duckdb")
    warehouse = tmp_path / "warehouse.duckdb"
    for value in (1, 2):
        candidate = open_candidate(warehouse, restricted)
        with duckdb.connect(str(candidate)) as con:
            con.execute(f"create or replace table t as select {value} as v")
        if value == 1:
            publish(warehouse)
    reader = duckdb.connect(str(warehouse), read_only=True)
    assert _state(warehouse, reader) == 1
    assert _state(warehouse) == 1, "the candidate is invisible until published"
    publish(warehouse)
    assert _state(warehouse, reader) == 1, "an open reader keeps the state it opened"
    assert _state(warehouse) == 2, "a new reader sees the published state"
    reader.close()
    assert not candidate_beside(warehouse).exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from audit.load_log").fetchall()[0][0] == 1


def test_analysts_read_a_complete_warehouse_during_a_run(small_tier, small_warehouse, tmp_path):
    """Re-run the last month in another process and read the published warehouse meanwhile:
    every read succeeds, and every read sees a complete state (the audit table and the mart
    built from it agree)."""
    folder = tmp_path / "wh"
    shutil.copytree(small_warehouse, folder)
    warehouse = folder / "warehouse.duckdb"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "yibao.cli",
            "run",
            "--landing",
            str(small_tier.out / "landing"),
            "--warehouse",
            str(warehouse),
            "--month",
            small_tier.months[-1],
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    reads = 0
    deadline = time.monotonic() + 600
    while run.poll() is None and time.monotonic() < deadline:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            audit, mart = con.execute("""select (select count(*) from audit.load_log),
                (select count(*) from marts.fct_delivery_files)""").fetchall()[0]
        assert audit == mart > 0
        reads += 1
        time.sleep(0.2)
    assert run.wait(timeout=60) == 0, run.stderr.read().decode()[-2000:]
    assert reads >= 5
