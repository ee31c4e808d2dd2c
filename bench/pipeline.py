"""Benchmark the pipeline at a tier: generation, a full first month and an incremental next month.

    uv run python bench/pipeline.py --tier city --months 2019-11:2019-12

Stages, each with wall time and the peak resident memory of the whole process tree (Python,
dbt's subprocess, the JVM on Spark), sampled from /proc:
- generate: `yibao generate` of the tier and months (skipped with --landing);
- first month: `yibao run --month <first>` on an empty warehouse, split by the run's Dagster
  steps into ingest, candidate, dbt, linkage, gates, publish and exports;
- next month: `yibao run --month <second>` on top of it, the incremental month;
- reconciliation (who of the poor is not insured, coverage by county) for the next month, three
  ways over the same inputs (the month's raw tables as Parquet and Splink's matches):
  the pipeline's dbt models (`dbt run` of their ancestry, as the monthly run builds them), the
  floor (one hand-written DuckDB query, bench/reconciliation_floor.py) and the peer (pandas,
  bench/reconciliation_peer.py, in its own process; running out of memory is its result).
  The floor's and the peer's answers must equal the pipeline's before their times count.

Budgets bound a tier that takes too long: `--first-budget`, `--next-budget` and `--peer-budget`
(seconds) stop that run and record the steps that finished and the one it was stopped in (read
from the run's Dagster instance, kept on disk for this); a month that fails keeps them too,
with the end of its log. `--reconcile first` compares the first month instead, before the next
one runs; `--reconcile none` skips the comparison (at the province tier the pipeline contender
alone rebuilds the month's record-level models once more).

`--discard-landing` deletes the first month's landing folder once its run has loaded and
published it (the raw tables hold what was delivered): at the province tier a month's files are
6 GB that the next month's disk needs.

Prints a table and writes bench/results/pipeline_<tier>.json, after every stage, so a stopped
benchmark keeps what it measured. Run it on an otherwise idle machine: the figures are wall
times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_tree import Measured, run_measured  # noqa: E402
from reconciliation_floor import run_floor  # noqa: E402
from reconciliation_inputs import pipeline_answer, write_inputs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from yibao.stage_times import ORDER, stage_of  # noqa: E402

GB = 1024**3


def _yibao(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "yibao.cli", *arguments]


def _checked(name: str, measured: Measured, log: Path) -> Measured:
    if measured.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"stage {name} failed (exit {measured.returncode}):\n{tail}")
    return measured


def generate(tier: str, months: str, seed: int, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    log = out.with_name("generate.log")
    argv = _yibao("generate", "--tier", tier, "--months", months, "--seed", str(seed),
                  "--out", str(out), "--quiet")  # fmt: skip
    measured = _checked("generate", run_measured(argv, log, cwd=ROOT), log)
    manifest = json.loads((out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    rows = sum(manifest["rows"].values())
    return {
        "stage": "generate",
        "seconds": round(measured.seconds, 1),
        "peak_rss_gb": round(measured.peak_bytes / GB, 2),
        "rows": rows,
        "rows_by_kind": manifest["rows"],
    }


def _steps_so_far(home: Path) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """From a stopped run's Dagster instance: the windows of the steps that finished and the
    steps that had started but not finished."""
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef

    from yibao.run import _step_windows

    with dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}, []
        windows = _step_windows(instance, runs[0].run_id)
        started = instance.all_logs(runs[0].run_id, of_type=dg.DagsterEventType.STEP_START)
        running = [e.dagster_event.step_key for e in started if e.dagster_event is not None]
    return windows, [step for step in running if step not in windows]


def run_month(
    landing: Path, data: Path, month: str, label: str, budget: float | None = None
) -> dict:
    """`yibao run` of one month, with its stages' seconds and peak memory. Past `budget`
    seconds the run is stopped; stopped or failed, the result holds the steps that finished
    (and a failure the end of the run's log)."""
    steps_file = data / f"steps_{month}.json"
    log = data / f"run_{month}.log"
    # a Dagster instance on disk, so a stopped run's finished steps can still be read
    home = data / f"dagster_home_{month}"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    argv = _yibao("run", "--landing", str(landing), "--warehouse", str(data / "warehouse.duckdb"),
                  "--month", month, "--step-times", str(steps_file))  # fmt: skip
    env = {**os.environ, "DAGSTER_HOME": str(home.resolve())}
    measured = run_measured(argv, log, cwd=ROOT, env=env, budget=budget)
    failed = measured.returncode != 0 and not measured.timed_out
    if measured.timed_out or failed:
        windows, running = _steps_so_far(home)
    else:
        windows = json.loads(steps_file.read_text(encoding="utf-8"))["windows"][month]
        running = []
    stages: dict[str, dict] = {}
    for step, (start, end) in windows.items():
        stage = stages.setdefault(stage_of(step), {"seconds": 0.0, "peak_rss_gb": 0.0})
        stage["seconds"] = round(stage["seconds"] + (end - start), 1)
        peak = measured.peak_between(start, end) / GB
        stage["peak_rss_gb"] = round(max(stage["peak_rss_gb"], peak), 2)
    result = {
        "stage": label,
        "month": month,
        "finished": not measured.timed_out and not failed,
        "seconds": round(measured.seconds, 1),
        "peak_rss_gb": round(measured.peak_bytes / GB, 2),
        "stages": {s: stages[s] for s in ORDER if s in stages},
    }
    if measured.timed_out:
        result.update(budget_seconds=budget, stopped_in=running)
    if failed:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        result.update(exit_code=measured.returncode, failed_in=running, log_tail=tail)
    return result


#: the models the pipeline builds for the compared answer, with everything they are built from
RECONCILIATION_MODELS = "+int_findings__coverage +int_person_month_coverage"


def reconciliation(data: Path, month: str, peer_budget: float | None = None) -> dict:
    """The reconciliation of `month` by the pipeline, the floor and the peer; the peer is
    stopped after `peer_budget` seconds, and that is its result."""
    import duckdb

    restricted = data / "restricted.duckdb"
    inputs = data / "reconciliation_inputs"
    rows = write_inputs(restricted, month, inputs)
    expected = pipeline_answer(restricted, month)

    env = {**os.environ, "YIBAO_RESTRICTED": str(restricted),
           # the audit's load log the incremental months are read from
           "YIBAO_WAREHOUSE_CANDIDATE": str(data / "warehouse.duckdb")}  # fmt: skip
    log = data / "reconciliation_dbt.log"
    dbt = str(Path(sys.executable).with_name("dbt"))
    argv = [dbt, "run", "--select", *RECONCILIATION_MODELS.split(),
            "--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(ROOT / "dbt"),
            "--target-path", str(data / "dbt-target")]  # fmt: skip
    pipeline = _checked("reconciliation (dbt)", run_measured(argv, log, cwd=ROOT, env=env), log)
    if pipeline_answer(restricted, month) != expected:
        raise SystemExit("the pipeline's answer changed when its models were run again")

    with duckdb.connect() as con:
        started = time.perf_counter()
        floor_answer = run_floor(con, inputs, month)
        floor_seconds = time.perf_counter() - started
    if floor_answer != expected:
        raise SystemExit("the floor's answer differs from the pipeline's: fix it before timing")

    out = data / "reconciliation_peer.json"
    log = data / "reconciliation_peer.log"
    argv = [sys.executable, str(ROOT / "bench" / "reconciliation_peer.py"), str(inputs), month,
            str(out)]  # fmt: skip
    peer = run_measured(argv, log, cwd=ROOT, budget=peer_budget)
    peer_result: dict = {"peak_rss_gb": round(peer.peak_bytes / GB, 2)}
    if peer.timed_out:
        peer_result.update(finished=False, seconds=None, budget_seconds=peer_budget,
                           error=f"stopped after its budget of {peer_budget:.0f} s")  # fmt: skip
    elif peer.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-300:]
        peer_result.update(finished=False, exit_code=peer.returncode, seconds=None,
                           error=tail.strip().splitlines()[-1] if tail.strip() else "")  # fmt: skip
    else:
        answer = json.loads(out.read_text(encoding="utf-8"))
        counties = [tuple(c) for c in answer["counties"]]
        not_enrolled = {tuple(p) for p in answer["not_enrolled"]}
        if (counties, not_enrolled) != expected:
            raise SystemExit("the peer's answer differs from the pipeline's: fix it before timing")
        peer_result.update(finished=True, seconds=round(answer["seconds"], 2),
                           process_seconds=round(peer.seconds, 2))  # fmt: skip
    pipeline_seconds = pipeline.seconds
    return {
        "month": month,
        "input_rows": rows,
        "poor_not_enrolled": len(expected[1]),
        "counties": len(expected[0]),
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_peak_rss_gb": round(pipeline.peak_bytes / GB, 2),
        "floor_seconds": round(floor_seconds, 2),
        "peer": peer_result,
        "pipeline_over_floor": round(pipeline_seconds / floor_seconds, 2),
        "peer_over_pipeline": (
            round(peer_result["seconds"] / pipeline_seconds, 2) if peer_result["finished"] else None
        ),
    }


def discard_month(landing: Path, month: str) -> None:
    """Delete a month's delivered files, once the warehouse has loaded them."""
    folder = landing / month
    if not folder.is_dir():
        raise SystemExit(f"no landing folder {folder} to discard")
    shutil.rmtree(folder)
    print(f"discarded {folder}", flush=True)


def _print(result: dict) -> None:
    print(f"tier {result['tier']}, months {result['months']}, {result['machine']}")
    print(f"{'stage':<28}{'seconds':>10}{'peak RSS GB':>14}")
    for stage in result["stages"]:
        stopped = (
            ""
            if stage.get("finished", True)
            else f"  stopped in {', '.join(stage['stopped_in']) or 'start-up'}"
        )
        print(f"{stage['stage']:<28}{stage['seconds']:>10.1f}{stage['peak_rss_gb']:>14.2f}"
              f"{stopped}")  # fmt: skip
        for name, part in stage.get("stages", {}).items():
            label = f"  {name}"
            print(f"{label:<28}{part['seconds']:>10.1f}{part['peak_rss_gb']:>14.2f}")
    recon = result["reconciliation"]
    if recon is None:
        print("reconciliation: not compared (--reconcile none)")
        return
    peer = recon["peer"]
    peer_time = f"{peer['seconds']:.2f} s" if peer["finished"] else f"did not finish ({peer})"
    print(f"reconciliation of {recon['month']} ({recon['poor_not_enrolled']:,} poor not "
          f"insured, {recon['counties']} counties): pipeline {recon['pipeline_seconds']:.2f} s, "
          f"floor {recon['floor_seconds']:.2f} s, peer {peer_time}")  # fmt: skip
    print(
        f"pipeline/floor {recon['pipeline_over_floor']}, "
        f"peer/pipeline {recon['peer_over_pipeline']}"
    )


def _write(result: dict) -> Path:
    out = ROOT / "bench" / "results" / f"pipeline_{result['tier']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="city", choices=("tiny", "small", "city", "province"))
    parser.add_argument("--months", default="2019-11:2019-12", help="FIRST:NEXT")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/yibao-bench-pipeline"))
    parser.add_argument("--landing", type=Path, help="use this landing folder; no generation")
    parser.add_argument("--reconcile", choices=("first", "next", "none"), default="next",
                        help="the month whose reconciliation is compared, or none")  # fmt: skip
    parser.add_argument("--discard-landing", action="store_true",
                        help="delete the first month's files once it is loaded")  # fmt: skip
    for name in ("first", "next", "peer"):
        parser.add_argument(f"--{name}-budget", type=float, metavar="SECONDS",
                            help=f"stop the {name} {'month' if name != 'peer' else 'run'} "
                            "after this long and report how far it got")  # fmt: skip
    args = parser.parse_args()

    first, second = args.months.split(":")
    work = args.work / args.tier
    work.mkdir(parents=True, exist_ok=True)
    result = {
        "tier": args.tier,
        "months": args.months,
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GB),
            "python": platform.python_version(),
        },
        "stages": [],
        "reconciliation": None,
    }
    stages = result["stages"]
    landing = args.landing
    if landing is None:
        stages.append(generate(args.tier, args.months, args.seed, work / "generated"))
        landing = work / "generated" / "landing"
        _write(result)  # what ran so far survives a stopped benchmark
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    landing = landing.resolve()
    stages.append(run_month(landing, data, first, "first month (full)", args.first_budget))
    written = _write(result)
    if not stages[-1]["finished"]:
        raise SystemExit(f"the first month did not finish (written {written}): {stages[-1]}")
    if args.discard_landing:
        discard_month(landing, first)
    if args.reconcile == "first":
        result["reconciliation"] = reconciliation(data, first, args.peer_budget)
        _write(result)
    stages.append(run_month(landing, data, second, "next month (incremental)", args.next_budget))
    written = _write(result)
    if "exit_code" in stages[-1]:
        raise SystemExit(f"the next month failed (written {written}): {stages[-1]}")
    if args.reconcile == "next":
        if not stages[-1]["finished"]:
            raise SystemExit("the next month did not finish: no reconciliation to compare")
        result["reconciliation"] = reconciliation(data, second, args.peer_budget)
    _print(result)
    print(f"written {_write(result)}")


if __name__ == "__main__":
    main()
