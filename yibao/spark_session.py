"""The local Spark session of the `spark` target, for the steps that run outside dbt (Splink, the
gates, the equality test).

dbt-spark's session method starts its own SparkSession inside the dbt process from the
`server_side_parameters` of profiles.yml. The Python steps must see the same metastore and
warehouse folder, so `spark_conf()` mirrors those parameters, from the same environment
variables with the same defaults; tests/test_spark_config.py keeps the two equal.

The metastore is an embedded Derby database, which one JVM can open at a time. So the Python
steps run in a subprocess of their own too (yibao.spark_jobs), like dbt: each JVM has ended,
and released the metastore, before the next step starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The dbt target that selects Spark (environment variable YIBAO_DBT_TARGET).
SPARK_TARGET = "spark"


def engine() -> str:
    """'spark' or 'duckdb': the warehouse engine selected by YIBAO_DBT_TARGET."""
    return os.environ.get("YIBAO_DBT_TARGET", "duckdb")


def on_spark() -> bool:
    """True when YIBAO_DBT_TARGET selects the Spark target."""
    return engine() == SPARK_TARGET


def spark_conf() -> dict[str, str]:
    """The Spark settings of profiles.yml's `spark` output, rendered from the environment."""
    env = os.environ.get
    metastore = env("YIBAO_SPARK_METASTORE", "data/spark-metastore")
    return {
        "spark.master": env("YIBAO_SPARK_MASTER", "local[2]"),
        "spark.driver.memory": env("YIBAO_SPARK_DRIVER_MEMORY", "4g"),
        "spark.sql.warehouse.dir": env("YIBAO_SPARK_WAREHOUSE", "data/spark-warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={metastore};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={metastore}-logs",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": env("YIBAO_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        # the embedded Derby metastore cannot filter partitions by a string key itself
        "spark.sql.hive.metastorePartitionPruningFallbackOnException": "true",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }


def get_spark(extra: dict[str, str] | None = None) -> SparkSession:
    """The session with the target's metastore, started if need be."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("yibao").enableHiveSupport()
    for key, value in {**spark_conf(), **(extra or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    warehouse_folder(session).mkdir(parents=True, exist_ok=True)
    return session


def warehouse_folder(session: SparkSession) -> Path:
    """The local folder of the session's Spark warehouse (spark.sql.warehouse.dir)."""
    return Path(session.conf.get("spark.sql.warehouse.dir").removeprefix("file:"))
