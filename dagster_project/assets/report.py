"""The month's report (月度报告) from the published warehouse (yibao.report)."""

from pathlib import Path

import dagster as dg

from yibao.report import reports_beside, write_report

from ..layers import OWNERS, REPORTS
from ..partitions import delivery_months
from ..resources import DuckDBFile, ExportsFolder


@dg.asset(
    key="monthly_report",
    group_name=REPORTS,
    owners=OWNERS[REPORTS],
    deps=["published_warehouse", "monthly_exports"],
    partitions_def=delivery_months,
    kinds={"html", "xlsx"},
    description=(
        "月度报告: one offline HTML page with charts and the same tables as xlsx, under "
        "reports/<YYYY-MM>/ beside the warehouse; each section cites its policy article and "
        "person counts are suppressed as in the published bulletin."
    ),
)
def monthly_report(
    context: dg.AssetExecutionContext, warehouse: DuckDBFile, exports: ExportsFolder
):
    month = context.partition_key
    files = write_report(Path(warehouse.database), month, exports=exports.root)
    return dg.MaterializeResult(
        metadata={
            "page": dg.MetadataValue.path(str(files.html)),
            "workbook": dg.MetadataValue.path(str(files.xlsx)),
            "charts": files.figures,
            "folder": str(reports_beside(warehouse.database) / month),
        }
    )
