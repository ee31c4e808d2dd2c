"""Great Expectations gates as blocking Dagster asset checks, one per layer and table.

The raw and staging gates validate the month's rows in the restricted database; the marts gate
validates the candidate analyst warehouse before it is published. A failed `critical`
expectation fails its check with severity ERROR, and because the checks are blocking, nothing
downstream runs for that month: in particular `published_warehouse`, so analysts keep the
previous state (write-audit-publish; a blocking check cannot un-write an asset, dagster #25112).
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from yibao.quality.suites import TableResult, load_suites
from yibao.spark_session import on_spark

from ..publish import candidate_beside
from ..resources import DuckDBFile
from .dbt import model_key


def _asset_key(schema: str, table: str) -> dg.AssetKey:
    """Raw tables are the ingestion's assets (keyed by table name); the rest are dbt models."""
    return dg.AssetKey(table) if schema == "raw" else model_key(table)


def data_docs_dir(restricted: DuckDBFile) -> Path:
    """GX Data Docs, beside the restricted database: raw and staging results are restricted."""
    return Path(restricted.database).with_name("data_docs")


def _specs(layer: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            name=f"gx_{suite['name']}"
            if table == suite["name"]
            else f"gx_{suite['name']}__{table}",
            asset=_asset_key(suite["meta"]["schema"], table),
            blocking=True,
            description=suite["meta"].get("description"),
        )
        for suite in load_suites(layer)
        for table in suite["meta"]["tables"]
    ]


def _results(
    layer: str, specs: list[dg.AssetCheckSpec], results: list[TableResult], docs: Path
) -> Iterator[dg.AssetCheckResult]:
    index = docs / "index.html"
    for spec, result in zip(specs, results, strict=True):
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if result.failed_critical
            else dg.AssetCheckSeverity.WARN,
            metadata={
                "layer": layer,
                "suite": result.suite,
                "expectations": result.evaluated,
                "failed_critical": "; ".join(result.failed_critical) or "none",
                "failed_warning": "; ".join(result.failed_other) or "none",
                "rejected_rows_in": "; ".join(result.rejected_files) or "none",
                "data_docs": dg.MetadataValue.path(str(index)),
            },
        )


def _validate(layer: str, month: str | None, docs: Path, restricted: str, warehouse: str):
    """The layer's results: in DuckDB, or on the Spark build (staging and marts) when the
    `spark` target is selected. The raw layer is DuckDB's on both: ingestion loads it there."""
    if on_spark() and layer != "raw":
        from yibao.spark_jobs import run_spark_job

        found = run_spark_job("gate", layer=layer, month=month or "", docs_dir=str(docs))
        return [TableResult(**r) for r in found]
    from yibao.quality.gates import validate_layer  # Great Expectations loads here, not at import

    databases = {"restricted": Path(restricted), "analyst": candidate_beside(warehouse)}
    return validate_layer(layer, databases, month, docs)


def gate_failure(result: TableResult) -> str:
    """One failed table for the operator: what failed and in which delivered files."""
    where = f" (in {'; '.join(result.rejected_files)})" if result.rejected_files else ""
    return f"{result.table}: {'; '.join(result.failed_critical)}{where}"


def _gate(layer: str):
    specs = _specs(layer)

    @dg.multi_asset_check(specs=specs, name=f"gx_{layer}_gate")
    def gate(context: dg.AssetCheckExecutionContext, restricted: DuckDBFile, warehouse: DuckDBFile):
        month = context.run.tags.get("dagster/partition")
        docs = data_docs_dir(restricted)
        results = _validate(layer, month, docs, restricted.database, warehouse.database)
        failed = [gate_failure(r) for r in results if not r.passed]
        if failed:
            context.log.error(f"{layer} gate closed for {month}: " + " | ".join(failed))
        yield from _results(layer, specs, results, docs)

    return gate


gx_raw_gate = _gate("raw")
gx_staging_gate = _gate("staging")
gx_marts_gate = _gate("marts")
GATES = [gx_raw_gate, gx_staging_gate, gx_marts_gate]
