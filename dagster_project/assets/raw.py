"""Raw assets: the departments' files, landed as delivered, one asset per file kind.

A month is loaded in one transaction (see yibao.ingest.load), so all monthly kinds are produced by
one multi-asset: either every raw table holds the month, or none was touched.
"""

import dagster as dg

from yibao import contracts as C
from yibao.ingest.load import load_month, load_reference
from yibao.ingest.report import MonthLoadReport

from ..layers import RAW
from ..partitions import delivery_months
from ..resources import DuckDBFile, LandingResource


def raw_key(kind: C.FileKind) -> dg.AssetKey:
    return dg.AssetKey(kind.raw_table)


def _spec(kind: C.FileKind) -> dg.AssetSpec:
    return dg.AssetSpec(
        raw_key(kind),
        group_name=RAW,
        description=f"{kind.description} Table raw.{kind.raw_table} in the restricted database.",
        kinds={"duckdb"},
        owners=[f"team:{kind.department}"] if kind.department != "reference" else [],
        metadata={
            "department": kind.department,
            "file_formats": ", ".join(kind.formats),
            "contract_columns": ", ".join(kind.column_names),
        },
    )


def _results(report: MonthLoadReport, kinds: tuple[C.FileKind, ...]):
    for kind in kinds:
        files = [f for f in report.files if f.kind == kind.name]
        loaded = [f for f in files if f.status == "loaded"]
        yield dg.MaterializeResult(
            asset_key=raw_key(kind),
            metadata={
                "files_loaded": len(loaded),
                "files_ignored": len(files) - len(loaded),
                "rows_delivered": sum(f.rows_delivered for f in loaded),
                "rows_loaded": sum(f.rows_loaded for f in loaded),
                "rows_rejected": sum(f.rows_rejected for f in loaded),
                "notices": dg.MetadataValue.md(
                    "\n".join(f"- {n}" for f in files for n in f.notices) or "none"
                ),
            },
        )


@dg.multi_asset(
    specs=[_spec(k) for k in C.MONTHLY_KINDS],
    partitions_def=delivery_months,
    can_subset=False,
    name="raw_monthly_deliveries",
)
def raw_monthly_deliveries(
    context: dg.AssetExecutionContext,
    landing: LandingResource,
    restricted: DuckDBFile,
):
    """Load one delivery month of all four departments, atomically."""
    month = context.partition_key

    def progress(position: int, files: int, planned, rows: int) -> None:
        context.log.info(f"read {position}/{files}: {planned.source_file}, {rows:,} rows")

    def written(kind: str, rows: int, seconds: float) -> None:
        context.log.info(f"wrote {kind}: {rows:,} rows in {seconds:.1f} s")

    with restricted.get_connection() as con:
        report = load_month(con, landing.root, month, progress, written)
    context.log.info(str(report))
    yield from _results(report, C.MONTHLY_KINDS)


@dg.multi_asset(specs=[_spec(k) for k in C.REFERENCE_KINDS], name="raw_reference")
def raw_reference(
    context: dg.AssetExecutionContext, landing: LandingResource, restricted: DuckDBFile
):
    """Reference data delivered once and replaced by new versions (户籍人口 by township)."""
    with restricted.get_connection() as con:
        report = load_reference(con, landing.root)
    context.log.info(str(report))
    yield from _results(report, C.REFERENCE_KINDS)
