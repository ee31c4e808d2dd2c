"""The same warehouse on Spark: the first small month built with YIBAO_DBT_TARGET=spark (dbt-spark
session on local PySpark, Splink's SparkAPI, GX's Spark datasource) must give marts identical
to the DuckDB build of the same month, table by table and row by row (yibao.equality).

The Spark suite's time budget: one Spark pipeline run of one small month (about 6 minutes on
2 cores) plus one export; the module-scoped fixture runs it once for every test here.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import spark_run
from dbt_unit import declared_unit_tests, unit_test_results

from yibao.equality import compare_marts
from yibao.spark_jobs import run_spark_job

pytestmark = [pytest.mark.slow, pytest.mark.spark, pytest.mark.timeout(1200)]


_spark_env = spark_run.spark_env


@pytest.fixture(scope="module")
def spark_build(small_tier, tmp_path_factory) -> Path:
    """`yibao run` of the first small month on Spark, in a subprocess, started beside the DuckDB
    pipeline by tests/conftest.py (or here, when this suite runs alone), and its marts
    exported as Parquet."""
    if (started := spark_run.wait()) is None:
        spark_run.start(small_tier.out / "landing", small_tier.months[0],
                        tmp_path_factory.mktemp("spark"))  # fmt: skip
        started = spark_run.wait()
    folder, code = started
    assert code == 0, (folder / "run.log").read_text(encoding="utf-8")[-3000:]
    out = str(folder / "marts_export")
    run_spark_job("export", env=_spark_env(folder), schema="marts", out=out)
    return folder


def test_every_mart_is_identical_on_both_engines(spark_build, small_warehouse):
    duck = small_warehouse / "after_one_month.duckdb"
    results = compare_marts(duck, spark_build / "marts_export")
    report = "\n".join(str(r) for r in results)
    (spark_build / "equality.txt").write_text(report, encoding="utf-8")
    assert len(results) >= 7, report
    rows = {r.table: r.rows_left for r in results}
    assert rows["dim_person"] > 100_000 and rows["fct_person_link"] > rows["dim_person"], report
    assert all(r.equal for r in results), report


def test_the_comparison_sees_a_one_cent_change(spark_build, small_warehouse, tmp_path):
    """The equality check itself: a changed value and a dropped row are found."""
    altered = tmp_path / "altered.duckdb"
    altered.write_bytes((small_warehouse / "after_one_month.duckdb").read_bytes())
    with duckdb.connect(str(altered)) as con:
        con.execute("update marts.fct_person_link set match_probability = 0.5 "
                    "where link_method = 'probabilistic' and source_row_number = "
                    "(select min(source_row_number) from marts.fct_person_link "
                    " where link_method = 'probabilistic')")  # fmt: skip
        con.execute("delete from marts.dim_region where region_code = "
                    "(select max(region_code) from marts.dim_region)")  # fmt: skip
    results = {r.table: r for r in compare_marts(altered, spark_build / "marts_export")}
    assert not results["fct_person_link"].equal
    assert results["fct_person_link"].only_left >= 1
    assert not results["dim_region"].equal
    assert results["dim_region"].rows_right == results["dim_region"].rows_left + 1


def test_the_spark_run_used_the_lake_splink_and_gates_on_spark(spark_build):
    lake = spark_build / "lake"
    tables = {p.name for p in (lake / "raw").iterdir()}
    assert {"load_log", "rejects", "raw_enrolment", "raw_settlements"} <= tables
    months = {p.name for p in (lake / "raw" / "raw_enrolment").iterdir()}
    assert "_delivery_month=reference" in months and len(months) == 2
    model = json.loads((spark_build / "linkage_model.json").read_text(encoding="utf-8"))
    assert model["link_type"] == "link_only"
    assert model["sql_dialect"] == "spark"
    docs = spark_build / "data_docs"
    assert (docs / "index.html").exists()
    pages = [docs / "validations" / layer for layer in ("staging", "marts")]
    validated = {page.name for layer in pages for page in layer.iterdir()}
    assert {"stg_healthcare__settlements", "fct_person_link"} <= validated, validated
    assert not (spark_build / "warehouse.duckdb").exists()


def test_every_unit_test_passes_on_spark(spark_build, tmp_path):
    """The dbt unit tests on Spark, against the Spark build's tables (the monthly build leaves
    unit tests out; tests/test_dbt_unit_tests.py runs them on DuckDB)."""
    code, results = unit_test_results(_spark_env(spark_build), tmp_path / "target")
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert (code, failed) == (0, [])
    assert {r["unique_id"] for r in results} == declared_unit_tests(tmp_path / "target")
