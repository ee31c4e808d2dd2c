"""The single Definitions of the platform."""

from __future__ import annotations

import dagster as dg

from yibao.spark_session import on_spark

from .assets.dbt import person_master_models, warehouse_models
from .assets.exports import monthly_exports
from .assets.lake import lake_export
from .assets.linkage import probabilistic_matches
from .assets.quality import GATES
from .assets.raw import raw_monthly_deliveries, raw_reference
from .assets.report import monthly_report
from .assets.retention import working_months_pruned
from .assets.warehouse import published_warehouse, warehouse_candidate
from .automation import automation
from .resources import build_resources, default_paths


def monthly_assets() -> list:
    """The monthly job's assets on the selected engine. DuckDB builds a candidate analyst
    warehouse and publishes it; Spark reads the month from the Parquet lake and builds its
    tables in place (docs/scale-out.md)."""
    if on_spark():
        return [
            raw_monthly_deliveries,
            lake_export,
            warehouse_models,
            probabilistic_matches,
            person_master_models,
            working_months_pruned,
        ]
    return [
        raw_monthly_deliveries,
        warehouse_candidate,
        warehouse_models,
        probabilistic_matches,
        person_master_models,
        working_months_pruned,
        published_warehouse,
        monthly_exports,
        monthly_report,
    ]


reference_job = dg.define_asset_job(
    "reference_job",
    selection=dg.AssetSelection.assets(raw_reference),
    description="Reference data delivered once a year (户籍人口).",
)


def build_definitions(landing: str, warehouse: str, restricted: str) -> dg.Definitions:
    assets = monthly_assets()
    monthly_job = dg.define_asset_job(
        "monthly_job",
        selection=dg.AssetSelection.assets(*assets),
        description="Everything that depends on one delivery month, from the landing files on.",
    )
    return dg.Definitions(
        assets=[*assets, raw_reference],
        asset_checks=GATES,
        jobs=[monthly_job, reference_job],
        **automation(monthly_job, reference_job),
        resources=build_resources(landing, warehouse, restricted),
        executor=dg.in_process_executor,
    )


defs = build_definitions(**default_paths())
