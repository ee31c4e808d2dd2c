"""Where a month's ingestion time goes: reading and checking the files, then writing each kind.

    uv run python bench/ingest.py LANDING MONTH [--readers 0 2] [--kinds poverty_roster ...]
                                  [--files-per-kind N] [--json out.json]

Loads the month (or the first N files of each kind) into a fresh database under a temporary
folder, once per reader-thread count asked for (``YIBAO_INGEST_READERS``), with the DuckDB
limits of the environment. For each it prints the seconds of the read phase (read, stage and
check every file, per kind), of each kind's inserts inside the month's transaction, and of the
commit, with the rows, and checks that every count loaded is the same. Nothing of the
project's warehouse is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import duckdb

from yibao import duckdb_settings
from yibao.ingest import read_ahead
from yibao.ingest.discovery import plan_month
from yibao.ingest.load import load_plan


def _plan(landing: Path, month: str, kinds: list[str] | None, per_kind: int | None):
    plan = plan_month(landing, month)
    chosen, seen = [], defaultdict(int)
    for planned in plan.delivered:
        name = planned.kind.name
        if kinds and name not in kinds:
            continue
        if per_kind is not None and seen[name] >= per_kind:
            continue
        seen[name] += 1
        chosen.append(planned)
    keep = {p.source_file for p in chosen}
    return replace(plan, files=tuple(f for f in plan.files if f.source_file in keep))


def measure(plan, readers: int) -> dict:
    read: dict[str, float] = defaultdict(float)
    rows: dict[str, int] = defaultdict(int)
    written: dict[str, dict] = {}
    clock = {"last": time.perf_counter()}

    def progress(position, files, planned, delivered) -> None:
        now = time.perf_counter()
        read[planned.kind.name] += now - clock["last"]
        rows[planned.kind.name] += delivered
        clock["last"] = now

    def on_written(kind: str, loaded: int, seconds: float) -> None:
        written[kind] = {"rows": loaded, "seconds": round(seconds, 2)}
        clock["written"] = time.perf_counter()

    previous = os.environ.get(read_ahead.READERS_ENV)
    os.environ[read_ahead.READERS_ENV] = str(readers)
    try:
        with tempfile.TemporaryDirectory(prefix="yibao-bench-ingest-") as folder:
            database = Path(folder) / "restricted.duckdb"
            config = duckdb_settings.config() | {"temp_directory": str(Path(folder) / "tmp")}
            with duckdb.connect(str(database), config=config) as con:
                started = clock["last"] = time.perf_counter()
                report = load_plan(con, plan, progress, on_written)
                total = time.perf_counter() - started
            size = database.stat().st_size
    finally:  # the caller's setting, not the benchmark's, holds afterwards
        if previous is None:
            os.environ.pop(read_ahead.READERS_ENV, None)
        else:
            os.environ[read_ahead.READERS_ENV] = previous
    return {
        "readers": readers,
        "seconds": round(total, 2),
        "read_seconds": {k: round(v, 2) for k, v in read.items()},
        "read_phase_seconds": round(sum(read.values()), 2),
        "written": written,
        "commit_and_rest_seconds": round(total - (clock.get("written", started) - started), 2),
        "rows_delivered": dict(rows),
        "rows_loaded": report.rows_loaded,
        "database_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("landing", type=Path)
    parser.add_argument("month")
    parser.add_argument("--readers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--kinds", nargs="+", help="only these file kinds")
    parser.add_argument("--files-per-kind", type=int, help="only the first N files of a kind")
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    args = parser.parse_args()

    plan = _plan(args.landing.resolve(), args.month, args.kinds, args.files_per_kind)
    print(f"{args.month}: {len(plan.delivered)} files")
    runs = []
    for readers in args.readers:
        run = measure(plan, readers)
        runs.append(run)
        print(f"readers {readers}: {run['seconds']:.1f} s, {run['rows_loaded']:,} rows loaded")
        for kind, seconds in sorted(run["read_seconds"].items()):
            wrote = run["written"].get(kind, {})
            print(
                f"  {kind:<26} read {seconds:>7.1f} s  write {wrote.get('seconds', 0):>7.1f} s"
                f"  {run['rows_delivered'][kind]:>12,} rows"
            )
        print(f"  commit and the rest: {run['commit_and_rest_seconds']:.1f} s")
    loaded = {run["rows_loaded"] for run in runs}
    if len(loaded) != 1:
        raise SystemExit(f"the runs loaded different row counts: {sorted(loaded)}")
    if args.json:
        args.json.write_text(json.dumps({"month": args.month, "runs": runs}, indent=2))
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
