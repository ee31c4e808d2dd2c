"""Incremental by delivery month (issue 10, part 1), on DuckDB.

The month-local models (dbt macro `incremental_by_month`) rebuild only the months being loaded.
Building month N+1 incrementally must give exactly what a full refresh gives: every raw,
intermediate and analyst table and every export file, compared by content fingerprint.
"""

from __future__ import annotations

import json

from tiny_pipeline import built_sql, copy_data, run_month, state

#: the models that build incrementally; the test fails when one silently stops being one
INCREMENTAL = {
    "int_person_records",
    "int_id_number_checks",
    "int_id_anomalies",
    "int_linkage_features",
    "int_linkage_leftovers",
    "int_linkage_candidate_months",
    "int_person_links",
    "int_person_month_enrolment",
    "int_person_month_active_enrolment",
    "int_person_month_flags",
    "int_person_month_poverty",
    "int_person_month_payments",
    "int_person_month_coverage",
    "int_findings__coverage",
    "int_register_by_person_number",
    "int_institutions_by_month",
}


def _incremental_models(data) -> set[str]:
    manifest = json.loads((data / "dbt-target" / "manifest.json").read_text(encoding="utf-8"))
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }


def test_the_month_local_models_are_incremental(tiny_pipeline):
    assert _incremental_models(tiny_pipeline.complete) >= INCREMENTAL
    first, second = tiny_pipeline.months
    sql = built_sql(tiny_pipeline.complete, "int_person_records")
    # the second month's build read and replaced that month only
    assert f"in ('{second}')" in sql and first not in sql


def test_an_incremental_month_equals_a_full_refresh(tiny_pipeline, tmp_path):
    """The second month built incrementally, and the same month with --full-refresh (every
    month rebuilt from the raw layer): the same warehouse, table by table."""
    data = copy_data(tiny_pipeline.complete, tmp_path / "data")
    second = tiny_pipeline.months[1]
    done = run_month(tiny_pipeline.landing, data, second, options=("--full-refresh",))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "time by stage" in done.stdout  # the run's closing summary (yibao.stage_times)
    assert f"in ('{second}')" not in built_sql(data, "int_person_records")
    refreshed, incremental = state(data), state(tiny_pipeline.complete)
    assert len(refreshed.restricted) >= 50
    assert refreshed == incremental
