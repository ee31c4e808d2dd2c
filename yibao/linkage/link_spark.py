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
    OUTPUT_TABLE,
    RIGHT_QUERY,
    U_SAMPLE_TABLES,
    LinkageSummary,
    best_matches,
    train_and_predict,
    u_sample_queries,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_OUTPUT_COLUMNS = (
    "source_file string, source_row_number bigint, matched_id_number string, "
    "match_probability double, match_weight double"
)


def link_leftovers_spark(
    spark: SparkSession,
    source_schema: str = "intermediate",
    model_json: Path | None = None,
) -> LinkageSummary:
    """Link the leftovers of the Spark build and replace `linkage.probabilistic_matches`."""
    from splink import SparkAPI

    started = time.perf_counter()
    spark.sql("create schema if not exists linkage")
    left = spark.sql(LEFT_QUERY.format(schema=source_schema)).cache()
    left.createOrReplaceTempView("linkage_left")
    spark.sql(RIGHT_QUERY.format(schema=source_schema)).createOrReplaceTempView("linkage_right")
    leftovers = left.count()
    candidates = spark.table("linkage_right").count()
    spark.sql(f"drop table if exists {OUTPUT_TABLE}")
    if leftovers == 0 or candidates == 0:
        spark.sql(f"create table {OUTPUT_TABLE} ({_OUTPUT_COLUMNS}) using parquet")
        return LinkageSummary(leftovers, candidates, 0, time.perf_counter() - started)
    samples = u_sample_queries(source_schema, candidates)
    for name, query in zip(U_SAMPLE_TABLES, samples, strict=True):
        spark.sql(query).cache().createOrReplaceTempView(name)
    checkpoints = tempfile.mkdtemp(
        prefix=".splink-checkpoints-", dir=warehouse_folder(spark).parent
    )
    try:
        spark.sparkContext.setCheckpointDir(checkpoints)
        db_api = SparkAPI(spark_session=spark, break_lineage_method="checkpoint")
        predictions = train_and_predict(db_api, model_json)
        output = best_matches(predictions, source_schema)
        spark.sql(f"create table {OUTPUT_TABLE} using parquet as {output}")
    finally:
        shutil.rmtree(checkpoints, ignore_errors=True)
    stored = spark.table(OUTPUT_TABLE).count()
    left.unpersist()
    return LinkageSummary(leftovers, candidates, stored, time.perf_counter() - started)
