"""Benchmark the foundation: the synthetic generator and the ingestion of a tier.

    uv run python bench/foundation.py --tier city --months 2019-11:2019-12

Each stage runs in its own process, so its wall time and peak RSS (including the workers it
forks) are its own. Prints a table and writes bench/results/foundation_<tier>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]


def run_stage(name: str, argv: list[str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        print(output[-4000:], file=sys.stderr)
        raise SystemExit(f"stage {name} failed")
    return {
        "stage": name,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output_tail": output[-2000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="city", choices=("small", "city", "province"))
    parser.add_argument("--months", default="2019-11:2019-12")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default="/tmp/yibao-bench")
    args = parser.parse_args()

    work = Path(args.work) / args.tier
    work.mkdir(parents=True, exist_ok=True)
    yibao = [sys.executable, "-m", "yibao.cli"]
    gen = run_stage(
        "generate",
        yibao
        + [
            "generate",
            "--tier",
            args.tier,
            "--months",
            args.months,
            "--seed",
            str(args.seed),
            "--out",
            str(work),
            "--quiet",
        ],
    )
    manifest = json.loads((work / "truth" / "manifest.json").read_text(encoding="utf-8"))
    rows = sum(manifest["rows"].values())
    gen["rows"] = rows
    gen["rows_per_second"] = round(rows / gen["seconds"])
    gen["files"] = manifest["files"]

    for name in ("warehouse.duckdb", "restricted.duckdb"):
        (work / name).unlink(missing_ok=True)
    ingest = run_stage(
        "ingest",
        yibao
        + [
            "run",
            "--landing",
            str(work / "landing"),
            "--warehouse",
            str(work / "warehouse.duckdb"),
        ],
    )
    with duckdb.connect(str(work / "restricted.duckdb"), read_only=True) as con:
        loaded = con.execute(
            "select sum(rows_loaded) from raw.load_log where status = 'loaded'"
        ).fetchone()[0]
    ingest["rows"] = int(loaded)
    ingest["rows_per_second"] = round(loaded / ingest["seconds"])

    result = {
        "tier": args.tier,
        "months": args.months,
        "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rows_by_kind": manifest["rows"],
        "stages": [gen, ingest],
    }
    print(f"tier {args.tier}, months {args.months}")
    print(f"{'stage':<10}{'seconds':>10}{'rows':>14}{'rows/s':>12}{'peak RSS MB':>14}")
    for s in (gen, ingest):
        print(
            f"{s['stage']:<10}{s['seconds']:>10.1f}{s['rows']:>14,}{s['rows_per_second']:>12,}"
            f"{s['peak_rss_mb']:>14,.0f}"
        )
    out = ROOT / "bench" / "results" / f"foundation_{args.tier}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    for s in (gen, ingest):
        s.pop("output_tail")
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
