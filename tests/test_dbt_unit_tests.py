"""dbt's unit tests (the worked examples of docs/rules.md, docs/fraud.md and the others) on DuckDB.

The monthly build leaves them out (they test the SQL, not a month's data); this runs every one
of them once, against a copy of the small-tier warehouse, whose tables give dbt the column types
of each model's inputs. The Spark run is in tests/test_spark_equality.py.
"""

from __future__ import annotations

import os
import shutil

from dbt_unit import declared_unit_tests, unit_test_results


def test_every_unit_test_passes_on_duckdb(small_warehouse, tmp_path):
    restricted, candidate = tmp_path / "restricted.duckdb", tmp_path / "candidate.duckdb"
    shutil.copyfile(small_warehouse / "restricted.duckdb", restricted)
    shutil.copyfile(small_warehouse / "warehouse.duckdb", candidate)
    env = {**os.environ, "YIBAO_DBT_TARGET": "duckdb", "YIBAO_RESTRICTED": str(restricted),
           "YIBAO_WAREHOUSE_CANDIDATE": str(candidate)}  # fmt: skip
    code, results = unit_test_results(env, tmp_path / "target")
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert (code, failed) == (0, [])
    ran = {r["unique_id"] for r in results}
    assert ran == declared_unit_tests(tmp_path / "target") and len(ran) >= 15
