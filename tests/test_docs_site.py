"""Documentation sites (issue 11, part 2): `dbt docs generate` works on a built warehouse, and
every mart model and every column analysts see is described, in English with its Chinese term;
a column added to a mart without a description fails here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from yibao.docs_gen import mart_models

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _documented() -> dict[str, dict]:
    return {model["name"]: model for _, model in mart_models()}


def _warehouse_columns(warehouse: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def test_every_mart_and_column_analysts_see_is_described_in_both_languages(small_warehouse):
    documented = _documented()
    tables = _warehouse_columns(small_warehouse / "warehouse.duckdb")
    assert len(tables) >= 20
    problems = []
    for table, columns in tables.items():
        model = documented.get(table)
        if model is None:
            problems.append(f"{table}: no model documentation")
            continue
        if not CJK.search(model.get("description", "")):
            problems.append(f"{table}: description without its Chinese term")
        described = {c["name"]: c.get("description") or "" for c in model.get("columns") or []}
        for column in columns:
            text = described.get(column, "")
            if not text.strip():
                problems.append(f"{table}.{column}: not described")
            elif not CJK.search(text):
                problems.append(f"{table}.{column}: description without its Chinese term")
        problems += [f"{table}.{c}: described but not in the table" for c in described
                     if c not in columns]  # fmt: skip
    assert problems == []


def test_dbt_docs_generate_builds_the_site_with_the_catalog(small_warehouse, tmp_path):
    restricted = tmp_path / "restricted.duckdb"
    shutil.copyfile(small_warehouse / "restricted.duckdb", restricted)
    shutil.copyfile(small_warehouse / "warehouse.duckdb", tmp_path / "candidate.duckdb")
    env = {**os.environ, "YIBAO_DBT_TARGET": "duckdb", "YIBAO_RESTRICTED": str(restricted),
           "YIBAO_WAREHOUSE_CANDIDATE": str(tmp_path / "candidate.duckdb"),
           "YIBAO_DUCKDB_TEMP_DIRECTORY": str(tmp_path / "spill")}  # fmt: skip
    target = tmp_path / "target"
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "docs", "generate",
         "--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(ROOT / "dbt"),
         "--target-path", str(target), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert (target / "index.html").stat().st_size > 100_000
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    marts = {n["metadata"]["name"] for n in catalog["nodes"].values()
             if n["metadata"]["schema"] == "marts"}  # fmt: skip
    assert {"fct_coverage_monthly", "dim_person", "rpt_monthly_bulletin"} <= marts
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    coverage = next(n for n in manifest["nodes"].values() if n["name"] == "fct_coverage_monthly")
    assert CJK.search(coverage["columns"]["coverage_rate"]["description"])
