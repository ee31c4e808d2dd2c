"""The month's files for the departments, from the published warehouse (yibao.exports)."""

from pathlib import Path

import dagster as dg

from yibao.exports import export_bulletin, export_poverty_office_exchange

from ..layers import OWNERS, REPORTS
from ..partitions import delivery_months
from ..resources import DuckDBFile, ExportsFolder


@dg.asset(
    key="monthly_exports",
    group_name=REPORTS,
    owners=OWNERS[REPORTS],
    deps=["published_warehouse"],
    partitions_def=delivery_months,
    kinds={"xlsx"},
    description=(
        "月通报 and the findings list under exports/<YYYY-MM>/ (no raw IDs); the poverty "
        "office's flag exchange, one file per county, under exports/restricted/<YYYY-MM>/."
    ),
)
def monthly_exports(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBFile,
    restricted: DuckDBFile,
    exports: ExportsFolder,
):
    month = context.partition_key
    shared = export_bulletin(Path(warehouse.database), month, exports.root)
    exchange = export_poverty_office_exchange(Path(restricted.database), month, exports.root)
    return dg.MaterializeResult(
        metadata={
            "folder": str(exports.root / month),
            "restricted_folder": str(exports.root / "restricted" / month),
            **{name: rows for name, rows in shared.items()},
            "exchange_files": len(exchange),
            "exchange_rows": sum(exchange.values()),
        }
    )
