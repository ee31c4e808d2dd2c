"""The Parquet lake for the `spark` target: each loaded month exported from the restricted
database, one Parquet partition per table and month (yibao.lake, docs/scale-out.md)."""

import dagster as dg

from yibao import contracts as C
from yibao.lake import export_month

from ..layers import CORE, OWNERS, RAW
from ..partitions import delivery_months
from ..resources import DuckDBFile, LakeResource
from .raw import raw_key
from .warehouse import AUDIT_KEYS


def lake_key(kind: C.FileKind) -> dg.AssetKey:
    return dg.AssetKey(["lake", kind.raw_table])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            lake_key(kind),
            group_name=RAW,
            owners=OWNERS[CORE],
            deps=[raw_key(kind)],
            description=f"raw.{kind.raw_table} as Parquet, partitioned by delivery month.",
            kinds={"parquet"},
        )
        for kind in C.ALL_KINDS
    ]
    + [
        dg.AssetSpec(
            key,
            group_name=RAW,
            owners=OWNERS[CORE],
            deps=[raw_key(k) for k in C.MONTHLY_KINDS],
            description="The load audit (counts only) as Parquet, partitioned by month.",
            kinds={"parquet"},
        )
        for key in AUDIT_KEYS
    ],
    partitions_def=delivery_months,
    can_subset=False,
    name="lake_export",
)
def lake_export(context: dg.AssetExecutionContext, restricted: DuckDBFile, lake: LakeResource):
    """Export the month (and the reference data, which is small) to the Parquet lake."""
    summaries = []
    with restricted.get_connection(read_only=True) as con:
        for month in ("reference", context.partition_key):
            summaries.append(export_month(con, lake.root, month))
    for summary in summaries:
        context.log.info(f"lake: {summary}")
    month = summaries[-1]
    for key in [*(lake_key(k) for k in C.ALL_KINDS), *AUDIT_KEYS]:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={"lake": str(lake.root), "rows": month.rows, "bytes": month.bytes},
        )
