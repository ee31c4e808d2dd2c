"""`.venv/bin/yibao run` must find dbt without the virtual environment on PATH: the pipeline
calls the dbt installed beside its own Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_project.resources import build_resources, dbt_executable


def test_dbt_is_the_one_beside_this_python():
    assert dbt_executable() == str(Path(sys.executable).with_name("dbt"))


def test_it_runs_with_a_path_that_lacks_the_virtual_environment():
    bare = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    bare["PATH"] = "/usr/bin:/bin"
    done = subprocess.run([dbt_executable(), "--version"], env=bare, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "duckdb" in done.stdout


def test_the_pipeline_resource_uses_it(tmp_path, monkeypatch):
    for variable in ("YIBAO_LANDING", "YIBAO_WAREHOUSE", "YIBAO_RESTRICTED",
                     "YIBAO_WAREHOUSE_CANDIDATE", "YIBAO_LAKE", "YIBAO_SPARK_WAREHOUSE",
                     "YIBAO_SPARK_METASTORE", "YIBAO_DUCKDB_TEMP_DIRECTORY"):  # fmt: skip
        monkeypatch.setenv(variable, os.environ.get(variable, ""))
    resources = build_resources(str(tmp_path / "landing"), str(tmp_path / "w.duckdb"),
                                str(tmp_path / "r.duckdb"))  # fmt: skip
    assert resources["dbt"].dbt_executable == dbt_executable()

