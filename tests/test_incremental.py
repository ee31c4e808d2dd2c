"""Incremental by delivery month (issue 10, part 1), on DuckDB.

The month-local models (dbt macro `incremental_by_month`) rebuild only the months being loaded.
Building month N+1 incrementally must give exactly what a full refresh gives: every raw,
intermediate and analyst table and every export file, compared by content fingerprint.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import duckdb
from tiny_pipeline import built_sql, copy_data, run_month, state

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from dbt_profile import profile  # noqa: E402
from explain_model import profile as explain  # noqa: E402

#: the models that build incrementally; the test fails when one silently stops being one
INCREMENTAL = {
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
    "int_person_categories",
    "int_premium_subsidy_expected",
    "fct_premium_subsidy_check",
    "fct_person_link",
    "bridge_person_category",
    "int_assistance_regions",
    "int_person_month_population_categories",
    "int_findings__flags",
    "int_findings__register",
    "int_settlements_netted",
    "int_settlement_year_to_date",
    "int_settlement_benefit_basis",
    "int_benefit_check__critical_illness",
    "int_benefit_check__medical_assistance",
    "int_benefit_check__self_pay_caps",
    "int_benefit_check__catalogue",
    "int_benefit_check__covid",
    "int_benefit_check__newborn",
    "fct_benefit_check",
    "int_settlement_care",
    "int_person_month_out_of_pocket",
    "int_fraud_flags__admission_rate",
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
    sql = built_sql(tiny_pipeline.complete, "int_id_number_checks")
    # the second month's build read and replaced that month only
    assert f"in ('{second}')" in sql and first not in sql


def test_each_dbt_build_keeps_its_run_results(tiny_pipeline):
    """Every month's dbt builds leave their per-model seconds (dagster_project/assets/dbt.py),
    which bench/dbt_profile.py reads; dbt's own run_results.json holds only the last build."""
    target = tiny_pipeline.complete / "dbt-target"
    kept = sorted(path.name for path in (target / "run_results").glob("*.json"))
    assert kept == [
        f"{month}_{step}.json"
        for month in tiny_pipeline.months
        for step in ("person_master_models", "warehouse_models")
    ]
    second = tiny_pipeline.months[1]
    built = profile(target / "run_results" / f"{second}_person_master_models.json", top=200)
    models = {node["name"] for node in built["heaviest_models"]}
    assert {"int_persons", "dim_person", "fct_reconciliation_finding"} <= models
    assert built["tests"]["count"] > 50 and built["wall_seconds"] > 0


def test_a_models_operators_are_profiled_without_writing(tiny_pipeline):
    """bench/explain_model.py: the anomaly model's query, as its last build compiled it, with
    DuckDB's per-operator times, and the restricted database is the same bytes afterwards.
    The profile also shows what the province tier needed: the month's checks are scanned where
    they are used, never buffered as a materialised CTE (dbt/macros/not_materialized.sql)."""
    data = tiny_pipeline.complete
    before = (data / "restricted.duckdb").read_bytes()
    found = explain(data, "int_id_anomalies")
    operators = found["operators"]
    scans = [op for op in operators if op["operator"] == "TABLE_SCAN"]
    assert any("int_id_number_checks" in op["details"] for op in scans)
    windows = [op for op in operators if op["operator"] == "WINDOW"]
    assert any("PARTITION BY delivery_month, valid_id_number" in op["details"] for op in windows)
    ctes = [op["details"] for op in operators if op["operator"] == "CTE"]
    assert not any(cte.startswith("CTE Name: checks;") for cte in ctes), ctes
    assert found["seconds"] > 0 and found["peak_temp_dir_gb"] >= 0
    assert max(op["rows"] for op in found["operators"]) > 0
    assert (data / "restricted.duckdb").read_bytes() == before


def _candidates(data, month: str) -> list[tuple]:
    with duckdb.connect(str(data / "restricted.duckdb"), read_only=True) as con:
        return con.execute(
            "select * exclude (link_month) from intermediate.int_linkage_candidates "
            "where link_month = ? order by id_number",
            [month],
        ).fetchall()


def _compiled_test(data, name: str) -> str:
    compiled = data / "dbt-target" / "compiled" / "yibao" / "models"
    (path,) = compiled.rglob(f"{name}.sql")
    return path.read_text(encoding="utf-8")


#: a data test of a month-incremental model, and one of a model rebuilt whole
MONTH_TEST = "not_null_int_person_links_person_cluster_id"
WHOLE_TEST = "unique_int_persons_person_key"


def test_a_monthly_run_tests_the_months_it_built(tiny_pipeline):
    """dbt/macros/tests_on_build_months.sql: the second month's build tested the incremental
    models on that month only, and the other models whole."""
    first, second = tiny_pipeline.months
    month_test = _compiled_test(tiny_pipeline.complete, MONTH_TEST)
    assert f"delivery_month in ('{second}')" in month_test and first not in month_test
    assert "delivery_month in" not in _compiled_test(tiny_pipeline.complete, WHOLE_TEST)


def test_the_person_master_merges_a_new_month(tiny_pipeline):
    """int_persons is one row per person over all months: the second month is merged into the
    first month's table (macros/merged_state.sql) instead of re-aggregating both months; the
    equality test below proves the merge gives what a full rebuild gives."""
    first, second = tiny_pipeline.months
    sql = built_sql(tiny_pipeline.complete, "int_persons")
    assert "full outer join added" in sql and f"in ('{second}')" in sql and first not in sql


def _union_branches_reading_whole_tables(sql: str) -> set[str]:
    """The tables a compiled model reads with `select * from <table>` as a branch of a union."""
    found = set()
    for match in re.finditer(r"select\s+\*\s+from\s+([\w\".]+)", sql, re.IGNORECASE):
        before = sql[: match.start()].rstrip().lower()
        after = re.sub(r"^\s*where[^\n]*", "", sql[match.end() :]).lstrip().lower()
        if before.endswith("union all") or before.endswith("union") or after.startswith("union"):
            found.add(match.group(1).split(".")[-1].strip('"'))
    return found


def test_no_union_reads_an_incremental_model_by_position(tiny_pipeline):
    """A union matches columns by position. On Spark an incremental model is partitioned and its
    delivery_month comes last, so a union branch `select * from` one misaligns the columns
    there (found by the Spark equality suite): such unions must name their columns."""
    compiled = tiny_pipeline.complete / "dbt-target" / "compiled" / "yibao" / "models"
    models = {path.stem: path.read_text(encoding="utf-8") for path in compiled.rglob("*.sql")}
    incremental = _incremental_models(tiny_pipeline.complete)
    offenders = {
        name: read
        for name, sql in models.items()
        if (read := _union_branches_reading_whole_tables(sql) & incremental)
    }
    assert len(models) > 100 and offenders == {}
    # the check itself sees such a union
    assert _union_branches_reading_whole_tables(
        'select * from "r"."i"."int_findings__coverage"\nunion all\nselect a from b'
    ) == {"int_findings__coverage"}


def test_an_incremental_month_equals_a_full_refresh(tiny_pipeline, tmp_path):
    """The second month built incrementally, and the same month with --full-refresh (every
    month rebuilt from the raw layer): the same warehouse, table by table."""
    data = copy_data(tiny_pipeline.complete, tmp_path / "data")
    second = tiny_pipeline.months[1]
    done = run_month(tiny_pipeline.landing, data, second, options=("--full-refresh",))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "time by stage" in done.stdout  # the run's closing summary (yibao.stage_times)
    assert f"in ('{second}')" not in built_sql(data, "int_id_number_checks")
    assert "full outer join added" not in built_sql(data, "int_persons")
    assert "delivery_month in" not in _compiled_test(data, MONTH_TEST)  # tests every month
    # Splink's candidates of the second month: merged into the first month's by the monthly
    # run, combined from every month by the full refresh; they are a work list, so the
    # state comparison below leaves them out
    assert "full outer join added" in built_sql(tiny_pipeline.complete, "int_linkage_candidates")
    assert "full outer join added" not in built_sql(data, "int_linkage_candidates")
    merged, combined = _candidates(tiny_pipeline.complete, second), _candidates(data, second)
    assert len(merged) > 1000 and merged == combined
    refreshed, incremental = state(data), state(tiny_pipeline.complete)
    assert len(refreshed.restricted) >= 50
    assert refreshed == incremental
