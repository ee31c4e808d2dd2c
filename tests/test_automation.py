"""Operations (issue 11, part 3): the landing sensor and the monthly schedule start a month only
when it is complete, say which department a partial month waits for, and keep months in order;
asset groups follow the architecture's layers."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.automation import REFERENCE_TAG, monthly_schedule, next_month
from dagster_project.definitions import defs
from dagster_project.layers import LAYERS
from yibao.ingest.readiness import month_readiness


def delivery_month_sensor(context):
    return defs.resolve_sensor_def("delivery_month_sensor")(context)


def _reference_loaded(instance, landing: Path) -> None:
    """Record a successful reference run for the landing folder's reference data."""
    from dagster_project.automation import reference_fingerprint

    run = dg.DagsterRun(
        job_name="reference_job",
        run_id=f"ref-{time.time_ns()}",
        status=dg.DagsterRunStatus.SUCCESS,
        tags={REFERENCE_TAG: reference_fingerprint(landing)},
    )
    instance.add_run(run)


@pytest.fixture
def landing(tiny_pipeline, tmp_path, monkeypatch) -> Path:
    """A copy of the tiny tier's landing folder (two months), files settled an hour ago."""
    folder = tmp_path / "landing"
    shutil.copytree(tiny_pipeline.landing, folder)
    an_hour_ago = time.time() - 3600
    for path in folder.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    monkeypatch.setenv("YIBAO_LANDING", str(folder))
    return folder


def _months(landing: Path) -> list[str]:
    return sorted(p.name for p in landing.iterdir() if p.name[:2] == "20")


def test_a_complete_month_is_ready(landing):
    first = _months(landing)[0]
    readiness = month_readiness(landing, first)
    assert readiness.ready and readiness.fingerprint
    assert str(readiness) == f"{first} is complete"


def test_a_month_without_the_tax_bureau_waits_and_says_so(landing):
    first = _months(landing)[0]
    shutil.rmtree(landing / first / "tax")
    readiness = month_readiness(landing, first)
    assert not readiness.ready
    assert readiness.missing_departments == ["税务"]
    assert "税务 (tax): premium_payments" in str(readiness)


def test_a_county_missing_from_a_per_county_kind_is_named(landing):
    first, second = _months(landing)[:2]
    rosters = sorted((landing / second / "poverty").glob("poverty_roster_*"))
    assert len(rosters) >= 2
    county = rosters[0].name.split("_")[2]
    rosters[0].unlink()
    readiness = month_readiness(landing, second)
    assert f"扶贫 (poverty): poverty_roster for county {county}" in readiness.missing


def test_a_file_still_being_written_holds_the_month(landing):
    first = _months(landing)[0]
    written = next((landing / first / "healthcare").iterdir())
    os.utime(written, None)  # modified just now
    readiness = month_readiness(landing, first, settle_seconds=120)
    assert readiness.settling == [str(written.relative_to(landing))]
    assert not readiness.ready
    assert month_readiness(landing, first, settle_seconds=120, now=time.time() + 300).ready


def test_reference_data_loads_before_the_first_month(landing):
    with dg.instance_for_test() as instance:
        request = delivery_month_sensor(dg.build_sensor_context(instance=instance))
        assert request.job_name == "reference_job" and request.run_key.startswith("reference:")
        assert next_month(instance, landing)[0] is None
        _reference_loaded(instance, landing)
        assert next_month(instance, landing)[0] == _months(landing)[0]
        # a new reference delivery loads again
        population = next((landing / "reference").iterdir())
        os.utime(population, (time.time() - 1000, time.time() - 1000))
        assert delivery_month_sensor(dg.build_sensor_context(instance=instance)).job_name == (
            "reference_job"
        )


def test_the_sensor_starts_the_earliest_complete_month_once(landing):
    first, second = _months(landing)[:2]
    with dg.instance_for_test() as instance:
        _reference_loaded(instance, landing)
        result = delivery_month_sensor(dg.build_sensor_context(instance=instance))
        assert [r.partition_key for r in result.run_requests] == [first]
        assert result.dynamic_partitions_requests[0].partition_keys == [first]
        key = result.run_requests[0].run_key
        assert key.startswith(f"{first}:")

        # the month published: the next one is asked for
        instance.add_dynamic_partitions("delivery_month", [first])
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key="monthly_report", partition=first)
        )
        result = delivery_month_sensor(dg.build_sensor_context(instance=instance))
        assert [r.partition_key for r in result.run_requests] == [second]


def test_a_partial_month_holds_the_sensor_and_the_months_after_it(landing):
    first = _months(landing)[0]
    shutil.rmtree(landing / first / "civil_affairs")
    with dg.instance_for_test() as instance:
        _reference_loaded(instance, landing)
        result = delivery_month_sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(result, dg.SkipReason)
        assert f"{first} waits" in result.skip_message
        assert "民政 (civil_affairs): assistance_roster" in result.skip_message


def test_nothing_new_means_nothing_runs(landing):
    with dg.instance_for_test() as instance:
        _reference_loaded(instance, landing)
        months = _months(landing)
        instance.add_dynamic_partitions("delivery_month", months)
        for month in months:
            instance.report_runless_asset_event(
                dg.AssetMaterialization(asset_key="monthly_report", partition=month)
            )
        assert next_month(instance, landing) == (None, f"no new delivery month in {landing}")


def test_the_schedule_adds_the_partition_and_requests_the_month(landing):
    first = _months(landing)[0]
    with dg.instance_for_test() as instance:
        _reference_loaded(instance, landing)
        request = monthly_schedule(dg.build_schedule_context(instance=instance))
        assert request.partition_key == first
        assert instance.has_dynamic_partition("delivery_month", first)


def test_asset_groups_are_the_architecture_layers():
    from dagster_project.definitions import defs

    specs = list(defs.resolve_all_asset_specs())
    groups = {spec.group_name for spec in specs}
    assert groups <= set(LAYERS)
    for layer in ("raw", "staging", "core", "reconciliation", "rules", "monitoring", "reports"):
        assert layer in groups, layer
    assert all(spec.owners for spec in specs if spec.group_name != "raw")
    by_key = {spec.key.to_user_string(): spec for spec in specs}
    assert by_key["marts/fct_coverage_monthly"].group_name == "reconciliation"
    assert by_key["marts/rpt_monthly_bulletin"].group_name == "reports"
    assert by_key["monthly_report"].group_name == "reports"
    assert by_key["staging/stg_healthcare__settlements"].group_name == "staging"
    assert by_key["marts/fct_fraud_flag"].group_name == "monitoring"
