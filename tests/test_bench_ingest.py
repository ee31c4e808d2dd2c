"""bench/ingest.py: a month's ingestion, measured per kind, with and without reader threads,
loads the same rows as the pipeline's own load."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import ingest as bench_ingest  # noqa: E402


def test_the_ingestion_benchmark_measures_every_kind_and_loads_what_the_pipeline_loaded(
    tiny_pipeline,
):
    month = tiny_pipeline.months[0]
    plan = bench_ingest._plan(tiny_pipeline.landing, month, None, None)
    runs = [bench_ingest.measure(plan, readers) for readers in (0, 2)]
    database = tiny_pipeline.after_first / "restricted.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        loaded = con.execute(
            "select sum(rows_loaded) from raw.load_log where delivery_month = ?", [month]
        ).fetchall()[0][0]
    for run in runs:
        assert run["rows_loaded"] == loaded
        assert sum(w["rows"] for w in run["written"].values()) == loaded
        assert set(run["written"]) == set(run["read_seconds"]) == set(run["rows_delivered"])
        assert run["read_phase_seconds"] > 0 and run["database_mb"] > 0


def test_the_benchmark_can_take_a_few_files_of_a_few_kinds(tiny_pipeline):
    month = tiny_pipeline.months[0]
    plan = bench_ingest._plan(tiny_pipeline.landing, month, ["poverty_roster", "enrolment"], 1)
    assert sorted(p.kind.name for p in plan.delivered) == ["enrolment", "poverty_roster"]
    run = bench_ingest.measure(plan, 2)
    assert set(run["written"]) == {"enrolment", "poverty_roster"}
