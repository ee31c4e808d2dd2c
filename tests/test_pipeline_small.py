"""End to end on the generated small tier: `yibao run` through Dagster into DuckDB."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq

from yibao import contracts as C
from yibao.run import run_pipeline


def _restricted(folder: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(folder / "restricted.duckdb"), read_only=True)


def test_definitions_load():
    from dagster_project.definitions import defs

    dg.Definitions.validate_loadable(defs)
    graph = defs.get_repository_def().asset_graph
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {k.raw_table for k in C.ALL_KINDS} <= keys
    assert {"staging/stg_poverty__roster", "reference/code_person_statuses"} <= keys
    checks = {c.name for c in graph.asset_check_keys}
    assert any(name.startswith("unique_combination") for name in checks), "dbt tests as checks"
    assert "assert_arithmetic_is_portable" in checks, "the macro test runs in every dbt build"
    assert defs.resolve_job_def("monthly_job").partitions_def is not None


STAGING = {
    "poverty_roster": "stg_poverty__roster",
    "assistance_roster": "stg_civil_affairs__assistance_roster",
    "premium_payments": "stg_tax__premium_payments",
    "enrolment": "stg_healthcare__enrolment",
    "person_identities": "stg_healthcare__person_identities",
    "settlements": "stg_healthcare__settlements",
    "chronic_certifications": "stg_healthcare__chronic_certifications",
    "institutions": "stg_healthcare__institutions",
    "poor_enrolment_summary": "stg_healthcare__poor_enrolment_summary",
    "population": "stg_reference__population",
}


def test_staging_views_carry_every_raw_row(small_warehouse):
    assert set(STAGING) == {k.name for k in C.ALL_KINDS}
    with _restricted(small_warehouse) as con:
        for kind in C.ALL_KINDS:
            raw = con.execute(f"select count(*) from raw.{kind.raw_table}").fetchall()[0][0]
            staged = con.execute(f"select count(*) from staging.{STAGING[kind.name]}").fetchall()
            assert staged[0][0] == raw > 0, kind.name


def test_every_generated_row_is_loaded_and_nothing_rejected(small_tier, small_warehouse):
    with _restricted(small_warehouse) as con:
        log = con.execute("""select delivery_month, kind, source_file, status, rows_delivered,
                                    rows_loaded, rows_rejected from raw.load_log""").fetchall()
        loaded = {r[2]: r for r in log if r[3] == "loaded"}
        for _, kind, source_file, _, delivered, rows_loaded, rejected in loaded.values():
            assert rows_loaded + rejected == delivered
            assert rejected == 0, source_file
            count = con.execute(
                f"select count(*) from raw.raw_{kind} where _source_file = ?", [source_file]
            ).fetchone()[0]
            assert count == rows_loaded
    for month in small_tier.months:
        records = pq.read_table(small_tier.out / "truth" / month / "records.parquet")
        per_file = Counter(records["source_file"].to_pylist())
        for source_file, n in per_file.items():
            assert loaded[source_file][5] == n, source_file
    total = sum(r[5] for r in loaded.values() if r[1] != "population")
    assert total == sum(small_tier.rows.values())


def test_corrections_and_duplicate_deliveries_follow_the_contract(small_tier, small_warehouse):
    months = small_tier.months
    with _restricted(small_warehouse) as con:
        status = dict(con.execute("select source_file, status from raw.load_log").fetchall())
    v2 = [f for f in status if f.startswith(f"{months[1]}/civil_affairs/") and "_v2" in f][0]
    assert status[v2] == "loaded"
    assert status[v2.replace("_v2", "")] == "superseded"
    copy = [f for f in status if f.startswith(f"{months[2]}/tax/") and "_v2" in f][0]
    assert status[copy] == "duplicate"
    assert status[copy.replace("_v2", "")] == "loaded"


def test_row_numbers_point_at_the_generated_person(small_tier, small_warehouse):
    month = small_tier.months[0]
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet")
    records = pq.read_table(small_tier.out / "truth" / month / "records.parquet")
    with _restricted(small_warehouse) as con:
        con.register("records", records)
        con.register("persons", persons)
        mismatched = con.execute("""
            select count(*) from raw.raw_enrolment r
            join records t on t.source_file = r._source_file and t.row_number = r._row_number
            join persons p on p.person_uid = t.person_uid
            where r.certno <> p.id_number
        """).fetchone()[0]
        matched = con.execute(
            """
            select count(*) from raw.raw_poverty_roster r
            join records t on t.source_file = r._source_file and t.row_number = r._row_number
            join persons p on p.person_uid = t.person_uid
            where r.姓名 = p.name and r._delivery_month = ?
        """,
            [month],
        ).fetchone()[0]
        roster_rows = con.execute(
            "select count(*) from raw.raw_poverty_roster where _delivery_month = ?", [month]
        ).fetchone()[0]
    assert mismatched == 0
    assert matched == roster_rows  # the poverty roster carries true names


def test_the_analyst_warehouse_holds_no_person_table(small_warehouse):
    """Only the audit counts and the marts reach the analysts' file; raw, staging and
    intermediate models stay in the restricted database."""
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        assert {t.split(".")[0] for t in tables} == {"audit", "marts"}
        assert {"audit.load_log", "marts.fct_delivery_files", "marts.dim_region"} <= tables
        assert con.execute("select count(*) from audit.load_log").fetchone()[0] > 0
        assert con.execute("select count(*) from marts.fct_region_name_finding").fetchall() == [
            (0,)
        ], "every generated region name resolves"


def test_a_refused_month_leaves_earlier_months_loaded(tiny_pipeline, tmp_path):
    """On the tiny tier's deliveries (the behaviour does not depend on size; a small-tier
    month would cost a minute more)."""
    landing = tmp_path / "landing"
    shutil.copytree(tiny_pipeline.landing, landing)
    first, last = tiny_pipeline.months
    roster = sorted((landing / last / "poverty").glob("*.xlsx"))[0]
    roster.write_bytes(roster.read_bytes()[:2000])  # truncated in transit
    err = io.StringIO()
    code = run_pipeline(
        landing, tmp_path / "wh" / "warehouse.duckdb", months=[first, last], out=err
    )
    assert code == 1
    with _restricted(tmp_path / "wh") as con:
        months = {
            r[0]
            for r in con.execute(
                "select distinct _delivery_month from raw.raw_poverty_roster"
            ).fetchall()
        }
    assert months == {first}


def test_relative_paths_work_from_any_folder(tiny_pipeline, tmp_path, monkeypatch):
    """The README passes relative paths; dbt runs in its own folder, so they must be resolved
    against the caller's folder before dbt sees them (on the tiny tier's deliveries)."""
    landing = tmp_path / "data" / "landing"
    shutil.copytree(tiny_pipeline.landing, landing)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    month = tiny_pipeline.months[0]
    assert (
        run_pipeline(Path("data/landing"), Path("data/warehouse.duckdb"), months=[month], out=out)
        == 0
    )
    assert (tmp_path / "data" / "warehouse.duckdb").exists()
    assert (tmp_path / "data" / "restricted.duckdb").exists()
    assert not (Path(__file__).resolve().parents[1] / "dbt" / "data").exists()
