"""Benchmark one delivery month on both warehouse engines: DuckDB (the default) and local Spark.

    uv run python bench/engines.py --landing /tmp/citym/landing --month 2019-12 --label city

Each engine runs `yibao run --month M` in its own process on its own folder, from the same
landing files: ingestion, (for Spark) the Parquet lake export, dbt, Splink, the gates. Prints
wall time, peak RSS of the largest process (the JVM for Spark) and each Dagster step's seconds,
and writes bench/results/engines_<label>.json. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_engine(engine: str, landing: Path, month: str, work: Path) -> dict:
    folder = work / engine
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {**os.environ, "YIBAO_DBT_TARGET": engine}
    for variable in ("YIBAO_LAKE", "YIBAO_SPARK_WAREHOUSE", "YIBAO_SPARK_METASTORE"):
        env.pop(variable, None)
    steps = folder / "steps.json"
    argv = [
        sys.executable, "-m", "yibao.cli", "run", "--landing", str(landing),
        "--warehouse", str(folder / "warehouse.duckdb"), "--month", month,
        "--step-times", str(steps),
    ]  # fmt: skip
    started = time.perf_counter()
    with open(folder / "run.log", "wb") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        tail = (folder / "run.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{engine} run failed:\n{tail}")
    return {
        "engine": engine,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "steps": json.loads(steps.read_text(encoding="utf-8")).get(month, {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", required=True, type=Path)
    parser.add_argument("--month", required=True)
    parser.add_argument("--label", default="city")
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--work", default="/tmp/yibao-bench-engines", type=Path)
    args = parser.parse_args()

    results = [
        run_engine(engine, args.landing.resolve(), args.month, args.work / args.label)
        for engine in args.engines.split(",")
    ]
    steps = sorted({step for r in results for step in r["steps"]})
    print(f"{'step':<44}" + "".join(f"{r['engine']:>12}" for r in results))
    for step in steps:
        print(f"{step:<44}" + "".join(f"{r['steps'].get(step, 0):>12.1f}" for r in results))
    print(f"{'total wall seconds':<44}" + "".join(f"{r['seconds']:>12.1f}" for r in results))
    print(f"{'peak RSS MB (largest process)':<44}" + "".join(
        f"{r['peak_rss_mb']:>12.0f}" for r in results))  # fmt: skip
    out = ROOT / "bench" / "results" / f"engines_{args.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "landing": str(args.landing),
        "month": args.month,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "results": results,
    }
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
