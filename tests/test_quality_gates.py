"""Great Expectations gates: they pass on clean deliveries, and a failed critical expectation
blocks the month, so analysts keep the previous published state."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from yibao.quality.gates import (
    LAYERS,
    database_views,
    load_suites,
    suite_columns,
    validate_layer,
)
from yibao.run import run_pipeline


def test_every_suite_names_its_database_tables_and_severities():
    for layer in LAYERS:
        suites = load_suites(layer)
        assert suites, f"no suite for {layer}"
        for suite in suites:
            assert suite["meta"]["database"] in ("restricted", "analyst")
            assert suite["meta"]["tables"]
            assert all(
                e["severity"] in ("critical", "warning", "info") for e in suite["expectations"]
            )


@pytest.mark.parametrize("layer", LAYERS)
def test_the_gates_pass_on_the_clean_small_tier(layer, small_tier, small_warehouse, tmp_path):
    databases = {
        "restricted": small_warehouse / "restricted.duckdb",
        "analyst": small_warehouse / "warehouse.duckdb",
    }
    month = small_tier.months[-1]
    results = validate_layer(layer, databases, month, tmp_path / "docs")
    assert results and all(r.evaluated > 0 for r in results)
    assert [r for r in results if not r.passed] == []
    assert (tmp_path / "docs" / "index.html").exists()


def _published(warehouse: Path) -> tuple[list[str], int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        months = [
            m
            for (m,) in con.execute(
                """select distinct delivery_month from marts.fct_delivery_files
               where delivery_month <> 'reference' order by 1"""
            ).fetchall()
        ]
        persons = con.execute("select count(*) from marts.dim_person").fetchall()[0][0]
    return months, persons


def test_a_broken_month_is_blocked_and_analysts_keep_the_previous_state(
    tiny_pipeline, tmp_path, capsys
):
    """Settlements that end before they begin pass the ingestion contract (each date is a
    date) but fail the staging gate's critical expectation: the month is not published, and
    the message names the gate, the table and the file with the rows to look at. On the tiny
    tier's deliveries: the gate behaves the same at any size."""
    landing = tmp_path / "landing"
    shutil.copytree(tiny_pipeline.landing, landing)
    first, second = tiny_pipeline.months
    settlements = next((landing / second / "healthcare").glob("settlements_*.parquet"))
    table = pq.read_table(settlements)
    column = table.column_names.index("enddate")
    ends = table.column(column).to_pylist()
    ends[:5] = [datetime.date(2000, 1, 1)] * 5
    ended = pa.array(ends, table.schema.field(column).type)
    pq.write_table(table.set_column(column, "enddate", ended), settlements)

    warehouse = tmp_path / "warehouse.duckdb"
    out = io.StringIO()
    assert run_pipeline(landing, warehouse, months=[first], out=out) == 0
    before = _published(warehouse)
    assert before[0] == [first] and before[1] > 0

    capsys.readouterr()
    assert run_pipeline(landing, warehouse, months=[second], out=out) == 1
    assert _published(warehouse) == before, "the blocked month must not reach analysts"
    message = capsys.readouterr().err
    assert f"month {second} failed: a quality gate closed" in message
    broken = settlements.relative_to(landing).as_posix()
    line = next(line for line in message.splitlines() if "stg_healthcare__settlements" in line)
    assert line.strip().startswith("staging gate gx_stg_healthcare__settlements")
    assert f"{broken} rows " in line, message


def test_views_are_validated_from_a_temporary_table_of_the_month(small_warehouse):
    """A staging view is computed once per gate (GX's create_temp_table), not once for each
    expectation's query; tables are read where they are (yibao/quality/gates.py)."""
    views = database_views(small_warehouse / "restricted.duckdb")
    staging = {f"staging.{spec['meta']['tables'][0]}" for spec in load_suites("staging")}
    assert staging and staging <= views.keys()
    assert "raw.raw_enrolment" not in views


def test_a_views_temporary_table_holds_only_the_columns_its_suite_names(small_warehouse):
    """The month's copy of a staging view keeps what the suite checks: the province tier's
    enrolment view copied whole spilled 22 GB. Raw ID numbers and names stay out of it unless an
    expectation reads them."""
    views = database_views(small_warehouse / "restricted.duckdb")
    for spec in load_suites("staging"):
        columns = views[f"staging.{spec['meta']['tables'][0]}"]
        kept = suite_columns(spec, columns)
        named = {e["kwargs"]["column"] for e in spec["expectations"] if "column" in e["kwargs"]}
        assert named <= set(kept), spec["name"]
        assert len(kept) < len(columns), spec["name"]
        assert "id_number" not in kept and "person_name" not in kept, (spec["name"], kept)
    enrolment = next(s for s in load_suites("staging") if s["name"] == "stg_healthcare__enrolment")
    columns = views["staging.stg_healthcare__enrolment"]
    assert sorted(suite_columns(enrolment, columns)) == sorted(
        ["person_number", "insurance_type", "enrolment_status", "enrolment_date"]
        + ["delivery_month", "insured_region_code"]
    )


def test_a_rule_over_whole_rows_keeps_every_column_of_the_view():
    columns = ["person_number", "id_number", "delivery_month"]
    query = "select * from {batch} group by all having count(*) > 1"
    duplicates = {
        "expectations": [
            {"type": "unexpected_rows_expectation", "kwargs": {"unexpected_rows_query": query}}
        ]
    }
    assert suite_columns(duplicates, columns) == columns
    named = {"expectations": [{"type": "x", "kwargs": {"column": "person_number"}}]}
    assert suite_columns(named, columns) == ["person_number"]
