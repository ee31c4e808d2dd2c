"""`yibao run`: materialise every asset for every delivery month, through Dagster, in process.

The in-process executor is deliberate: the multiprocess executor costs about 2.7 s per step on a
2-core machine, more than most steps themselves.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb

from yibao import pseudonym
from yibao.ingest.discovery import discover_months
from yibao.ingest.errors import ContractError
from yibao.spark_session import on_spark
from yibao.stage_times import format_table

#: set while a month's dbt builds run with --full-refresh (dagster_project/assets/dbt.py)
FULL_REFRESH = "YIBAO_DBT_FULL_REFRESH"


def _instance() -> dg.DagsterInstance:
    """The user's instance when DAGSTER_HOME is set (runs show up in the UI), else ephemeral."""
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def _failed_gates(instance: dg.DagsterInstance) -> list[str]:
    """The failed gates of the last run (dagster_project.failures), with their files."""
    from dagster_project.failures import failed_gates

    runs = instance.get_runs(limit=1)
    return failed_gates(instance, runs[0].run_id) if runs else []


def _user_error(exc: BaseException) -> BaseException:
    while isinstance(exc, dg.DagsterError) and getattr(exc, "user_exception", None) is not None:
        exc = exc.user_exception  # type: ignore[attr-defined]
    return exc


def run_pipeline(
    landing: Path,
    warehouse: Path,
    restricted: Path | None = None,
    months: list[str] | None = None,
    out=sys.stdout,
    verbose: bool = False,
    step_times: Path | None = None,
    full_refresh: bool = False,
) -> int:
    """Run the reference job and the monthly job for each month; 0 on success, 1 on a refused
    month (the months before it stay loaded), 2 when there is nothing to load."""
    from dagster_project.definitions import build_definitions
    from dagster_project.partitions import delivery_months
    from dagster_project.resources import restricted_beside

    restricted = restricted or Path(restricted_beside(warehouse))
    banner = pseudonym.development_secret_banner()
    if banner:
        print(banner, file=sys.stderr)
    found = discover_months(landing)
    months = months or found
    missing = sorted(set(months) - set(found))
    if missing or not months:
        print(
            f"no delivery month {', '.join(missing) or ''} in {landing}".replace("  ", " "),
            file=sys.stderr,
        )
        return 2
    defs = build_definitions(str(landing), str(warehouse), str(restricted))
    instance = _instance()
    instance.add_dynamic_partitions(delivery_months.name, months)
    timings: list[tuple[str, float]] = []
    steps: dict[str, dict[str, float]] = {}
    windows: dict[str, dict[str, tuple[float, float]]] = {}
    # Dagster's console log (with tracebacks) only on request; errors are reported below.
    level = "DEBUG" if verbose else "CRITICAL"
    run_config = {"loggers": {"console": {"config": {"log_level": level}}}}

    started = time.perf_counter()
    if (landing / "reference").is_dir():
        defs.resolve_job_def("reference_job").execute_in_process(
            instance=instance, run_config=run_config
        )
        timings.append(("reference", time.perf_counter() - started))
    job = defs.resolve_job_def("monthly_job")
    for position, month in enumerate(months):
        t0 = time.perf_counter()
        # the first month's dbt builds rebuild every month; the next ones build incrementally
        if full_refresh and position == 0:
            os.environ[FULL_REFRESH] = "1"
        else:
            os.environ.pop(FULL_REFRESH, None)
        try:
            result = job.execute_in_process(
                partition_key=month, instance=instance, run_config=run_config
            )
        except Exception as exc:  # noqa: BLE001 - shown to the operator without a traceback
            error = _user_error(exc)
            kind = "refused" if isinstance(error, ContractError) else "failed"
            gates = _failed_gates(instance)
            if gates:
                print(f"month {month} {kind}: a quality gate closed", file=sys.stderr)
                for line in gates:
                    print(f"  {line}", file=sys.stderr)
            else:
                print(f"month {month} {kind}: {error}", file=sys.stderr)
            print(
                f"months before {month} stay loaded; nothing of {month} was written.",
                file=sys.stderr,
            )
            _summary(warehouse, restricted, timings, out)
            if banner:
                print(banner, file=sys.stderr)
            return 1
        timings.append((month, time.perf_counter() - t0))
        windows[month] = _step_windows(instance, result.run_id)
        steps[month] = {
            step: round(ended - started, 1) for step, (started, ended) in windows[month].items()
        }
    if step_times is not None:
        # "windows": each step's start and end (Unix seconds), for bench/pipeline.py's memory
        step_times.write_text(json.dumps({**steps, "windows": windows}, indent=2), "utf-8")
    _summary(warehouse, restricted, timings, out)
    print_stage_seconds(steps, out)
    if banner:  # again at the end, where the operator looks
        print(banner, file=sys.stderr)
    return 0


def print_stage_seconds(steps: dict[str, dict[str, float]], out) -> None:
    """Where each month's time went, by stage (yibao.stage_times)."""
    if steps:
        print("time by stage (Dagster steps; the rest is Dagster's own overhead):", file=out)
        print(format_table(steps), file=out)


def _step_windows(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[float, float]]:
    """Each step's start and end time (Unix seconds), from the run's step-success log entries;
    the `yibao run` summary's seconds per step are their differences."""
    windows = {}
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS):
        event = entry.dagster_event
        if event is not None and event.step_key:
            end = entry.timestamp
            start = end - event.event_specific_data.duration_ms / 1000
            windows[event.step_key] = (round(start, 2), round(end, 2))
    return windows


def _summary(warehouse: Path, restricted: Path, timings, out) -> None:
    if on_spark():
        print(
            f"warehouse (analysts):      Spark schema marts, {os.environ['YIBAO_SPARK_WAREHOUSE']}",
            file=out,
        )
    else:
        from dagster_project.resources import exports_beside

        exports = Path(os.environ.get("YIBAO_EXPORTS") or exports_beside(warehouse))
        print(f"warehouse (analysts):      {warehouse}", file=out)
        print(f"exports (departments):     {exports}  (restricted/ holds IDs)", file=out)
    print(f"restricted (raw, PII):     {restricted}", file=out)
    if not restricted.exists():
        return
    try:
        con = duckdb.connect(str(restricted), read_only=True)
    except duckdb.IOException as exc:
        # after a failed step, its dbt subprocess may still hold the database for a moment
        print(f"no load summary: {restricted} is in use ({exc})", file=out)
        return
    with con:
        rows = con.execute("""
            select delivery_month, count(*) filter (where status = 'loaded') as files,
                sum(rows_delivered) filter (where status = 'loaded'),
                sum(rows_loaded) filter (where status = 'loaded'),
                sum(rows_rejected) filter (where status = 'loaded'),
                count(*) filter (where status <> 'loaded')
            from raw.load_log group by delivery_month order by delivery_month
        """).fetchall()
    seconds = dict(timings)
    print(
        f"{'month':<10}{'files':>7}{'delivered':>12}{'loaded':>12}{'rejected':>10}"
        f"{'ignored':>9}{'seconds':>9}",
        file=out,
    )
    for month, files, delivered, loaded, rejected, ignored in rows:
        print(
            f"{month:<10}{files:>7}{delivered:>12,}{loaded:>12,}{rejected:>10,}{ignored:>9}"
            f"{seconds.get(month, float('nan')):>9.1f}",
            file=out,
        )
