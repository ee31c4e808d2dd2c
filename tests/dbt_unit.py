"""dbt's unit tests run in a process of their own, for the DuckDB and the Spark suites."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def unit_test_results(env: dict[str, str], target: Path) -> tuple[int, list[dict]]:
    """Run `dbt test --select test_type:unit` in a process of its own; its exit status and the
    unit-test results."""
    dbt = Path(sys.executable).parent / "dbt"
    project = str(ROOT / "dbt")
    done = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit", "--project-dir", project,
         "--profiles-dir", project, "--target-path", str(target), "--log-path", str(target)],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return done.returncode, [r for r in results if r["unique_id"].startswith("unit_test.")]


def declared_unit_tests(target: Path) -> set[str]:
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return set(manifest["unit_tests"])
