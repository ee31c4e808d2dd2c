"""Great Expectations gates: the suites under `expectations/`, validated inside DuckDB.

A suite file is a GX 1.x expectation suite (name, expectations, each with a severity) whose
`meta` says where it applies: the database (`restricted` for raw and staging, `analyst` for
the candidate warehouse), the schema, the tables, and the column that holds the delivery month.
A month's gate validates only that month's rows (a query asset, filtered in DuckDB); a table
without a month column is validated whole. No table is pulled into pandas: GX sends its metric
queries to DuckDB through SQLAlchemy (with the `gx_duckdb` fix).

A `critical` expectation that fails closes the gate (Dagster check severity ERROR, blocking);
`warning` and `info` failures are reported and let the month through.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import duckdb
import great_expectations as gx
from great_expectations.core.expectation_suite import ExpectationSuite
from great_expectations.data_context.types.base import ProgressBarsConfig

from yibao import duckdb_settings
from yibao.crashpoints import crash_point

from . import gx_duckdb
from .failing_rows import rejected_files
from .suites import EXPECTATIONS_DIR, LAYERS, TableResult, load_suites

__all__ = ["EXPECTATIONS_DIR", "LAYERS", "TableResult", "load_suites", "validate_layer"]


def _describe(expectation) -> str:
    config = expectation.expectation_config
    kwargs = {
        k: v for k, v in config.kwargs.items() if k not in ("batch_id", "unexpected_rows_query")
    }
    label = config.description or config.type
    label = f"{label} {kwargs}" if kwargs else label
    info = expectation.exception_info or {}
    if info.get("raised_exception"):
        message = str(info.get("exception_message", "")).splitlines()[0][:200]
        return f"{label} (could not be evaluated: {message})"
    unexpected = (expectation.result or {}).get("unexpected_count")
    if unexpected is None:
        unexpected = (expectation.result or {}).get("observed_value")
    return f"{label} (unexpected: {unexpected})"


def _context(docs_dir: Path):
    """An ephemeral GX context whose Data Docs site is `docs_dir`."""
    warnings.filterwarnings("ignore", module="great_expectations")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="yibao",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return context


def _tables(layer: str, folder: Path):
    """(suite spec, table, GX suite name) for every table the layer's suites cover."""
    for spec in load_suites(layer, folder):
        for table in spec["meta"]["tables"]:
            yield spec, table, f"{layer}.{table}"


def database_views(path: Path) -> dict[str, list[str]]:
    """The views of a DuckDB database, as ``schema.name``, with their columns. Every expectation
    of a suite sends its own query, and a view is computed anew by each: the staging views of
    the city tier's month took 26.5 s to validate that way, 13.5 s from a temporary table of
    the month."""
    with duckdb.connect(str(path), read_only=True, config=duckdb_settings.config()) as con:
        rows = con.execute(
            "select c.table_schema || '.' || c.table_name, list(c.column_name order by"
            " c.ordinal_position) from information_schema.columns c join duckdb_views() v"
            " on v.schema_name = c.table_schema and v.view_name = c.table_name"
            " where not v.internal group by all"
        ).fetchall()
    return {name: columns for name, columns in rows}


def _kind(meta: dict, table: str, views: dict[str, dict]) -> tuple[str, bool]:
    """(database, whether the table is a view): which GX source validates it."""
    return meta["database"], f"{meta['schema']}.{table}" in views[meta["database"]]


#: SQL that reads whole rows rather than named columns
_WHOLE_ROW = re.compile(r"group\s+by\s+all|distinct\s+\*|\bexcept\b|\bcolumns\s*\(")


def suite_columns(spec: dict, columns: list[str]) -> list[str]:
    """The columns of `columns` that the suite's expectations name, in their kwargs or inside
    their SQL (a superset is harmless). A view's month is copied into a temporary table with
    only these: the province tier's enrolment view has 20 columns, its suite reads 6, and the
    whole month's copy spilled 22 GB."""
    text = json.dumps(spec["expectations"], ensure_ascii=False).lower()
    if _WHOLE_ROW.search(text):
        return list(columns)  # a rule over whole rows needs every column
    words = set(re.findall(r"[a-z_][a-z0-9_]*", text))
    return [column for column in columns if column.lower() in words]


def _month_query(meta: dict, table: str, month: str | None, columns: list | None = None) -> str:
    query = f"select {', '.join(columns) if columns else '*'} from {meta['schema']}.{table}"
    if meta.get("month_column") and month:
        query += f" where {meta['month_column']} = '{month}'"
    return query


def _checkpoint(context, name: str, definitions: list) -> gx.Checkpoint:
    """The gate's checkpoint, without GX's UpdateDataDocsAction: that action rebuilds the site
    (its index, static files and freshly compiled page templates) once per validated table, 7
    of the marts gate's 9 s on the tiny tier. The gate builds Data Docs once (`_build_docs`)."""
    return context.checkpoints.add(
        gx.Checkpoint(
            name=name,
            validation_definitions=definitions,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0},
        )
    )


def _build_docs(context) -> None:
    """Data Docs for everything this gate validated: its suites and results, and the index."""
    context.build_data_docs(site_names=["yibao"])


def _result(suite_name: str, table: str, validation) -> TableResult:
    result = TableResult(suite_name, table, len(validation.results))
    for expectation in validation.results:
        if expectation.success:
            continue
        severity = str(expectation.expectation_config.severity.value)
        target = result.failed_critical if severity == "critical" else result.failed_other
        target.append(_describe(expectation))
    return result


def validate_layer(
    layer: str,
    databases: dict[str, Path],
    month: str | None,
    docs_dir: Path,
    folder: Path = EXPECTATIONS_DIR,
) -> list[TableResult]:
    """Validate every table of a layer for one delivery month in DuckDB; build Data Docs."""
    gx_duckdb.apply()
    context = _context(docs_dir)
    tables = list(_tables(layer, folder))
    views = {
        name: database_views(path)
        for name, path in databases.items()
        if name in {spec["meta"]["database"] for spec, _, _ in tables}
    }
    # A view's month is computed once, with the columns its suite names, into a temporary table
    # that every expectation then reads (GX's create_temp_table); a table is read where it is.
    # One source per database and kind.
    kind = {name: _kind(spec["meta"], table, views) for spec, table, name in tables}
    sources = {
        (name, is_view): context.data_sources.add_sql(
            name=f"{name}_{'views' if is_view else 'tables'}",
            connection_string=f"duckdb:///{databases[name]}",
            create_temp_table=is_view,
            kwargs={"connect_args": {"read_only": True, "config": duckdb_settings.config()}},
        )
        for name, is_view in set(kind.values())
    }
    definitions = []
    for spec, table, name in tables:
        meta = spec["meta"]
        suite = context.suites.add(
            ExpectationSuite(name=name, expectations=spec["expectations"], meta=meta)
        )
        view_columns = views[meta["database"]].get(f"{meta['schema']}.{table}")
        columns = suite_columns(spec, view_columns) if view_columns else None
        asset = sources[kind[name]].add_query_asset(
            name=name, query=_month_query(meta, table, month, columns)
        )
        batch = asset.add_batch_definition_whole_table(name)
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
        )
    checkpoint = _checkpoint(context, f"{layer}_gate", definitions)
    try:
        run = checkpoint.run()
        _build_docs(context)
        crash_point(f"gate.{layer}.validated")
    finally:
        # Close the pooled connections: DuckDB keeps a database open in this process while any
        # connection lives, and a stale read-only instance would hide what dbt writes next.
        for source in sources.values():
            source.get_execution_engine().close()
            source.get_engine().dispose()
    by_name = {r.suite_name: r for r in run.run_results.values()}
    results = [_result(spec["name"], table, by_name[name]) for (spec, table, name) in tables]
    for (spec, table, name), result in zip(tables, results, strict=True):
        if result.failed_critical:
            path = databases[spec["meta"]["database"]]
            query = _month_query(spec["meta"], table, month)
            result.rejected_files = _rejected_files(path, query, by_name[name])
    return results


def _rejected_files(database: Path, batch: str, validation) -> list[str]:
    """The files of the rows each failed critical expectation rejects (for the message)."""
    found: list[str] = []
    with duckdb.connect(str(database), read_only=True, config=duckdb_settings.config()) as con:
        for expectation in validation.results:
            config = expectation.expectation_config
            if expectation.success or str(config.severity.value) != "critical":
                continue
            for line in rejected_files(con, batch, config.type, config.kwargs):
                if line not in found:
                    found.append(line)
    return found


def validate_layer_spark(
    layer: str,
    spark,  # pyspark.sql.SparkSession
    month: str | None,
    docs_dir: Path,
    folder: Path = EXPECTATIONS_DIR,
) -> list[TableResult]:
    """The same suites on the Spark build, through GX's Spark datasource: each table's month is
    a Spark DataFrame (a query Spark runs, never collected) validated by GX's Spark engine."""
    context = _context(docs_dir)
    source = context.data_sources.add_spark(name="spark")
    results = []
    for spec, table, name in _tables(layer, folder):
        meta = spec["meta"]
        suite = context.suites.add(
            ExpectationSuite(name=name, expectations=spec["expectations"], meta=meta)
        )
        batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        frame = spark.sql(_month_query(meta, table, month))
        run = _checkpoint(context, f"{layer}_gate.{table}", [definition]).run(
            batch_parameters={"dataframe": frame}
        )
        (validation,) = run.run_results.values()
        results.append(_result(spec["name"], table, validation))
    _build_docs(context)
    return results
