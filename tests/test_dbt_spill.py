"""dbt keeps working after DuckDB has spilled to disk (issue 10: the province tier's first
month died on it). dbt-duckdb runs a profile's `settings` as SET on every new cursor, and DuckDB
refuses to set temp_directory again once a query has spilled; so the profile sets DuckDB's
limits once, when the database opens (`config_options`). A two-model project on this profile,
with a memory limit small enough that the first model spills, must build both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

PROFILES = Path(__file__).resolve().parents[1] / "dbt"


def test_the_profile_sets_duckdb_limits_when_the_database_opens():
    duckdb_output = yaml.safe_load((PROFILES / "profiles.yml").read_text())["yibao"]["outputs"]
    options = duckdb_output["duckdb"]
    assert {"memory_limit", "temp_directory", "threads"} <= set(options["config_options"])
    assert "temp_directory" not in (options.get("settings") or {})


def test_duckdb_refuses_the_same_temp_directory_again_after_a_spill(tmp_path):
    """Why: the behaviour the profile works around (if DuckDB changes it, this says so)."""
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        con.execute(f"set temp_directory = '{tmp_path / 'spill'}'")
        con.execute("set memory_limit = '100MB'")
        con.execute(
            "create table t as select i, md5(i::text) s from range(3000000) r(i) order by s"
        )
        with pytest.raises(duckdb.NotImplementedException, match="temporary directory"):
            con.cursor().execute(f"set temp_directory = '{tmp_path / 'spill'}'")


def test_dbt_builds_on_after_a_model_spilled(tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: spill\nversion: '1.0.0'\nprofile: yibao\nconfig-version: 2\n"
        "models:\n  spill:\n    +materialized: table\n"
    )
    (project / "models" / "spills.sql").write_text(
        "select i, md5(i::text) as s from range(3000000) r(i) order by s"
    )
    (project / "models" / "after.sql").write_text("select count(*) as n from {{ ref('spills') }}")
    env = {
        **os.environ,
        "YIBAO_DBT_TARGET": "duckdb",
        "YIBAO_RESTRICTED": str(tmp_path / "restricted.duckdb"),
        "YIBAO_WAREHOUSE_CANDIDATE": str(tmp_path / "candidate.duckdb"),
        "YIBAO_DUCKDB_MEMORY_LIMIT": "100MB",
        "YIBAO_DUCKDB_TEMP_DIRECTORY": str(tmp_path / "spill"),
        "YIBAO_DUCKDB_THREADS": "2",
    }
    dbt = Path(sys.executable).with_name("dbt")
    done = subprocess.run(
        [str(dbt), "run", "--project-dir", str(project), "--profiles-dir", str(PROFILES),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "restricted.duckdb"), read_only=True) as con:
        assert con.execute("select n from main.after").fetchone()[0] == 3_000_000
