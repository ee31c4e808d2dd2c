"""The same linkage on Spark (the `spark` dbt target): Splink's SparkAPI over the dbt-built tables
in the Spark metastore, with the same model, training and output as yibao.linkage.link.

Splink breaks the lineage of its intermediate tables by checkpointing them, into a temporary
folder beside the Spark warehouse that is removed afterwards. Its `persist` method is not
enough here: every EM iteration re-ran the whole blocking and comparison (Spark dropped the
cached comparison vectors), about 15 s an iteration on the small tier instead of 1 s.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..spark_session import warehouse_folder
from .link import (
    LEFT_QUERY,
    MONTHS_QUERY,
    OUTPUT_COLUMNS,
    OUTPUT_TABLE,
    RIGHT_QUERY,
    U_SAMPLE_TABLES,
    LinkageSummary,
    best_matches,
    link_each_month,
    train_and_predict,
    u_sample_queries,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def _ensure_output(spark: SparkSession) -> None:
    """The output table, partitioned by the leftover's month; one of an older release (not
    partitioned) is replaced: run that build once with `yibao run --full-refresh`."""
    names = [name for name, _ in OUTPUT_COLUMNS]
    if spark.catalog.tableExists(OUTPUT_TABLE):
        table = spark.table(OUTPUT_TABLE)
        partitioned = [c.name for c in spark.catalog.listColumns(OUTPUT_TABLE) if c.isPartition]
        if table.columns == names and partitioned == ["delivery_month"]:
            return
        spark.sql(f"drop table {OUTPUT_TABLE}")
    listed = ", ".join(
        f"{name} {'string' if kind == 'varchar' else kind}" for name, kind in OUTPUT_COLUMNS
    )
    spark.sql(
        f"create table {OUTPUT_TABLE} ({listed}) using parquet partitioned by (delivery_month)"
    )


def link_leftovers_spark(
    spark: SparkSession,
    source_schema: str = "intermediate",
    model_json: Path | None = None,
) -> LinkageSummary:
    """Link the leftovers of every month of `int_linkage_months` on Spark, each month replacing
    its partition of `linkage.probabilistic_matches`."""
    spark.sql("create schema if not exists linkage")
    _ensure_output(spark)
    months = [row[0] for row in spark.sql(MONTHS_QUERY.format(schema=source_schema)).collect()]
    return link_each_month(
        months, lambda month, json: _link_month(spark, source_schema, month, json), model_json
    )


def _link_month(
    spark: SparkSession, source_schema: str, month: str, model_json: Path | None
) -> LinkageSummary:
    from splink import SparkAPI

    started = time.perf_counter()
    spark.sql(f"alter table {OUTPUT_TABLE} drop if exists partition (delivery_month = '{month}')")
    left = spark.sql(LEFT_QUERY.format(schema=source_schema, month=month)).cache()
    left.createOrReplaceTempView("linkage_left")
    right = spark.sql(RIGHT_QUERY.format(schema=source_schema, month=month)).cache()
    right.createOrReplaceTempView("linkage_right")
    leftovers, candidates = left.count(), right.count()
    if leftovers == 0 or candidates == 0:
        left.unpersist()
        right.unpersist()
        return LinkageSummary(leftovers, candidates, 0, time.perf_counter() - started)
    samples = u_sample_queries(source_schema, candidates, month)
    for name, query in zip(U_SAMPLE_TABLES, samples, strict=True):
        spark.sql(query).cache().createOrReplaceTempView(name)
    checkpoints = tempfile.mkdtemp(
        prefix=".splink-checkpoints-", dir=warehouse_folder(spark).parent
    )
    try:
        spark.sparkContext.setCheckpointDir(checkpoints)
        db_api = SparkAPI(spark_session=spark, break_lineage_method="checkpoint")
        predictions = train_and_predict(db_api, model_json)
        output = spark.sql(best_matches(predictions, source_schema, month)).cache()
        stored = output.count()
        output.createOrReplaceTempView("linkage_output")
        spark.sql(f"insert into {OUTPUT_TABLE} select * from linkage_output")
        output.unpersist()
    finally:
        shutil.rmtree(checkpoints, ignore_errors=True)
    left.unpersist()
    right.unpersist()
    return LinkageSummary(leftovers, candidates, stored, time.perf_counter() - started)
