"""Unattended monthly runs: a sensor on the landing folder, a monthly schedule as a backstop,
and a failure sensor that writes what went wrong where the operator looks.

Months load in order (each builds on the one before), one run at a time. The next month to load
is the earliest delivery month in landing/ that the warehouse has not published. It runs when it
is complete (yibao.ingest.readiness): every department's files, for every county, settled. A
partial month waits and says which department is missing; later months wait behind it. A run
is keyed by the month and its files' fingerprint, so a failed month is tried again only when
its files change (a corrected delivery), not at every tick.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from yibao.ingest.discovery import discover_months
from yibao.ingest.readiness import files_fingerprint, month_readiness
from yibao.spark_session import on_spark

from .failures import failure_summary
from .partitions import delivery_months
from .resources import DEFAULT_LANDING, default_paths

MONTHLY_JOB = "monthly_job"
REFERENCE_JOB = "reference_job"
REFERENCE_TAG = "yibao/reference_fingerprint"
ACTIVE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]
#: the last asset of a month's run, whose materialisation means "published"
DONE_DUCKDB = dg.AssetKey("monthly_report")


def _landing() -> Path:
    return Path(os.environ.get("YIBAO_LANDING", DEFAULT_LANDING))


def _published(instance: dg.DagsterInstance) -> set[str]:
    if on_spark():
        from .assets.dbt import model_key

        key = model_key("dim_person")
    else:
        key = DONE_DUCKDB
    return set(instance.get_materialized_partitions(key))


def _running(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return list(instance.get_runs(dg.RunsFilter(statuses=ACTIVE), limit=1))


def reference_fingerprint(landing: Path) -> str | None:
    """A fingerprint of landing/reference (names, sizes, times); None when there is none."""
    folder = landing / "reference"
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return files_fingerprint(landing, files) or None


def reference_pending(instance: dg.DagsterInstance, landing: Path) -> str | None:
    """The reference folder's fingerprint when no successful reference run has loaded it."""
    fingerprint = reference_fingerprint(landing)
    if fingerprint is None:
        return None
    loaded = instance.get_runs(
        dg.RunsFilter(job_name=REFERENCE_JOB, statuses=[dg.DagsterRunStatus.SUCCESS],
                      tags={REFERENCE_TAG: fingerprint}),
        limit=1,
    )  # fmt: skip
    return None if loaded else fingerprint


def next_month(instance: dg.DagsterInstance, landing: Path) -> tuple[str | None, str]:
    """(the month to run now, or None) and why. Reference data (户籍人口) loads first: the
    months read it."""
    running = _running(instance)
    if running:
        what = running[0].tags.get("dagster/partition") or running[0].job_name
        return None, f"a run is in progress ({what})"
    if reference_pending(instance, landing):
        return None, f"the reference data in {landing / 'reference'} has not been loaded yet"
    published = _published(instance)
    pending = [m for m in discover_months(landing) if m not in published]
    if not pending:
        return None, f"no new delivery month in {landing}"
    readiness = month_readiness(landing, pending[0])
    if not readiness.ready:
        return None, str(readiness)
    return pending[0], readiness.fingerprint


def _request(month: str, fingerprint: str, job_name: str | None = None) -> dg.RunRequest:
    return dg.RunRequest(run_key=f"{month}:{fingerprint}", partition_key=month,
                         job_name=job_name,
                         tags={"yibao/delivery_fingerprint": fingerprint})  # fmt: skip


def _sensor(monthly_job, reference_job) -> dg.SensorDefinition:
    @dg.sensor(
        name="delivery_month_sensor",
        jobs=[monthly_job, reference_job],
        minimum_interval_seconds=300,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Loads new reference data, then starts the monthly run when a complete "
        "delivery month appears in landing/; a partial month waits, naming the missing "
        "department.",
    )
    def delivery_month_sensor(context: dg.SensorEvaluationContext):
        landing = _landing()
        if not _running(context.instance):
            fingerprint = reference_pending(context.instance, landing)
            if fingerprint:
                return dg.RunRequest(run_key=f"reference:{fingerprint}", job_name=REFERENCE_JOB,
                                     tags={REFERENCE_TAG: fingerprint})  # fmt: skip
        month, why = next_month(context.instance, landing)
        if month is None:
            return dg.SkipReason(why)
        context.log.info(f"{month} is complete: starting its run")
        return dg.SensorResult(
            run_requests=[_request(month, why, MONTHLY_JOB)],
            dynamic_partitions_requests=[delivery_months.build_add_request([month])],
        )

    return delivery_month_sensor


@dg.schedule(
    job_name=MONTHLY_JOB,
    cron_schedule="0 2 8 * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="The 8th of each month, 02:00 Beijing time: runs the next complete month if "
    "the sensor has not (comparison due by the 10th, vertical check by the 15th), or says "
    "what it waits for.",
)
def monthly_schedule(context: dg.ScheduleEvaluationContext):
    month, why = next_month(context.instance, _landing())
    if month is None:
        return dg.SkipReason(why)
    context.instance.add_dynamic_partitions(delivery_months.name, [month])
    return _request(month, why)


def failures_log() -> Path:
    return Path(default_paths()["warehouse"]).with_name("run_failures.log")


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes each failed run's gate, table and files to run_failures.log beside "
    "the warehouse.",
)
def run_failure_report(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    month = run.tags.get("dagster/partition", "reference")
    summary = failure_summary(context.instance, run.run_id) or context.failure_event.message
    line = f"{month} run {run.run_id} failed: {summary}"
    context.log.error(line)
    with failures_log().open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def automation(monthly_job, reference_job) -> dict[str, list]:
    """The sensors and the schedule, for Definitions(**automation(...))."""
    return {
        "sensors": [_sensor(monthly_job, reference_job), run_failure_report],
        "schedules": [monthly_schedule],
    }
