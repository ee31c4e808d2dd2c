"""The dbt project as Dagster assets, partitioned by delivery month; dbt tests are asset checks."""

import json
import os
import shutil
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dagster_dbt.dbt_project import using_dagster_dev

from yibao.build_inputs import inputs_checksum, month_needs_full_refresh, record_build
from yibao.crashpoints import crash_point
from yibao.run import FULL_REFRESH
from yibao.spark_session import on_spark

from ..layers import OWNERS, dbt_layer
from ..partitions import delivery_months
from ..resources import put_own_dbt_on_path

DBT_DIR = Path(__file__).resolve().parents[2] / "dbt"
SEEDS_DIR = DBT_DIR.parent / "seeds"


def _stale(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_DIR / "dbt_project.yml", DBT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests"):
        sources += (DBT_DIR / folder).rglob("*")
    sources += SEEDS_DIR.rglob("*")
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


put_own_dbt_on_path()
dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
# Parse under `dagster dev`, and whenever the manifest is missing or older than a model, macro,
# test, seed or project file, so `yibao run` and the tests never load a stale manifest.
if using_dagster_dev() or _stale(dbt_project.manifest_path):
    dbt_project.preparer.prepare(dbt_project)


@cache
def _models() -> tuple[Mapping[str, Any], ...]:
    """The manifest's model nodes, read once per process."""
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    return tuple(n for n in manifest["nodes"].values() if n["resource_type"] == "model")


def analyst_model_keys() -> list[dg.AssetKey]:
    """The dbt models built into the analyst warehouse (database `analyst`), as asset keys."""
    translator = WarehouseTranslator()
    return [
        translator.get_asset_key(node)
        for node in _models()
        if node["config"].get("database") == "analyst"
    ]


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset groups by layer (dagster_project.layers: staging, core, reconciliation, rules,
    monitoring, reports; seeds are reference data) with the layer's owners. On Spark the raw
    sources are the Parquet lake's tables (assets lake/<table>, see .lake)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        key = super().get_asset_key(dbt_resource_props)
        if (
            dbt_resource_props["resource_type"] == "source"
            and dbt_resource_props["source_name"] == "raw"
            and on_spark()
        ):
            return dg.AssetKey(["lake", *key.path])
        return key

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return OWNERS[dbt_layer(dbt_resource_props)]


#: Everything dbt builds from the Splink links on; the rest runs before linkage.
AFTER_LINKAGE = "source:linkage+"


#: The monthly build leaves dbt's unit tests out: they test the SQL's logic, not the month's
#: data, and run once per engine in CI (tests/test_dbt_unit_tests.py).
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]
#: a month's two dbt build steps (before and after Splink)
BUILD_STEPS = ("warehouse_models", "person_master_models")


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` into one target folder per warehouse, reused month after month: dbt's
    partial parse holds only while the profile (the database paths) and the command-line vars
    stay the same, so a fresh folder per invocation would mean a full parse every time.
    Each build's run results are kept as ``run_results/<month>_<step>.json`` (per-model
    seconds, for bench/dbt_profile.py), as the next build overwrites dbt's own.

    A build rebuilds every month with ``--full-refresh`` when asked (``yibao run
    --full-refresh``) or when the seeds or the pseudonym secret changed since either step last
    built the warehouse (yibao.build_inputs): they reach the months built before the edit."""
    target = dbt_target_path()
    step = context.op_def.name
    refresh = os.environ.get(FULL_REFRESH) == "1"
    built_with = inputs_checksum(SEEDS_DIR)
    if not refresh and month_needs_full_refresh(target, BUILD_STEPS, built_with):
        context.log.info(
            f"{step}: the seeds or the pseudonym secret changed since the last build; "
            "rebuilding every month"
        )
        refresh = True
    args = BUILD_ARGS + (["--full-refresh"] if refresh else [])
    invocation = dbt.cli(args, context=context, target_path=target)
    for event in invocation.stream():
        yield event
        crash_point(f"dbt.{step}")
    kept = target / "run_results" / f"{context.partition_key}_{step}.json"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(target / "run_results.json", kept)
    record_build(target, step, built_with)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    exclude=AFTER_LINKAGE,
    partitions_def=delivery_months,
    dagster_dbt_translator=WarehouseTranslator(),
    name="warehouse_models",
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build and test the month's models up to the linkage inputs with `dbt build`."""
    yield from _build(context, dbt)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    select=AFTER_LINKAGE,
    partitions_def=delivery_months,
    dagster_dbt_translator=WarehouseTranslator(),
    name="person_master_models",
)
def person_master_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build and test the person master and what depends on it, after Splink has run."""
    yield from _build(context, dbt)


def dbt_target_path() -> Path:
    """dbt's target folder for this warehouse: ``dbt-target`` beside the restricted database, so
    the last build's run results and logs stay with the warehouse they built."""
    return Path(os.environ["YIBAO_RESTRICTED"]).with_name("dbt-target")


def model_key(name: str) -> dg.AssetKey:
    """The asset key of the dbt model called `name`."""
    for node in _models():
        if node["name"] == name:
            return WarehouseTranslator().get_asset_key(node)
    raise KeyError(f"no dbt model {name}")
