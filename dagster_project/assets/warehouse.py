"""The analyst warehouse's write-audit-publish around the dbt build (see ..publish)."""

from pathlib import Path

import dagster as dg

from yibao import contracts as C

from ..layers import CORE, OWNERS, RAW, REPORTS
from ..partitions import delivery_months
from ..publish import open_candidate, publish
from ..resources import DuckDBFile
from .dbt import analyst_model_keys
from .raw import raw_key

AUDIT_KEYS = [dg.AssetKey(["audit", "load_log"]), dg.AssetKey(["audit", "rejects_by_column"])]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name=RAW,
            owners=OWNERS[CORE],
            deps=[raw_key(k) for k in C.MONTHLY_KINDS],
            description=description,
            kinds={"duckdb"},
        )
        for key, description in zip(
            AUDIT_KEYS,
            [
                "Every delivered file with its rows delivered, loaded and rejected (counts only).",
                "Rejected rows per file and column (counts only; the rows stay restricted).",
            ],
            strict=True,
        )
    ],
    partitions_def=delivery_months,
    can_subset=False,
    name="warehouse_candidate",
)
def warehouse_candidate(
    context: dg.AssetExecutionContext, warehouse: DuckDBFile, restricted: DuckDBFile
):
    """Write: start the month's candidate warehouse from the published one, with the load audit."""
    candidate = open_candidate(Path(warehouse.database), Path(restricted.database))
    context.log.info(f"candidate warehouse {candidate}")
    for key in AUDIT_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata={"candidate": str(candidate)})


@dg.asset(
    key="published_warehouse",
    group_name=REPORTS,
    owners=OWNERS[REPORTS],
    deps=[*AUDIT_KEYS, *analyst_model_keys(), "working_months_pruned"],
    partitions_def=delivery_months,
    kinds={"duckdb"},
    description="Publish: the audited candidate replaces the analyst warehouse atomically.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: DuckDBFile):
    path = publish(Path(warehouse.database))
    return dg.MaterializeResult(metadata={"path": str(path), "bytes": path.stat().st_size})
