"""Probabilistic person linkage (Splink) between the two dbt steps; see yibao.linkage."""

from pathlib import Path

import dagster as dg

from yibao.linkage.link import OUTPUT_TABLE, LinkageSummary, link_leftovers
from yibao.spark_session import engine, on_spark

from ..layers import CORE, OWNERS
from ..partitions import delivery_months
from ..resources import DuckDBFile
from .dbt import model_key


@dg.asset(
    key=dg.AssetKey(OUTPUT_TABLE.split(".")),
    group_name=CORE,
    owners=OWNERS[CORE],
    deps=[
        model_key("int_linkage_months"),
        model_key("int_linkage_leftovers"),
        model_key("int_linkage_candidates"),
    ],
    partitions_def=delivery_months,
    kinds={"splink", engine()},
    description=(
        "Each record without a valid ID number and its best Splink candidate person among "
        "the people known in its month (restricted); the months being built are linked, one "
        "by one. The model trained on the last is written beside the restricted database."
    ),
)
def probabilistic_matches(context: dg.AssetExecutionContext, restricted: DuckDBFile):
    model_json = Path(restricted.database).with_name("linkage_model.json")
    if on_spark():
        summary = _link_on_spark(model_json)
    else:
        with restricted.get_connection() as con:
            summary = link_leftovers(con, model_json=model_json)
    context.log.info(f"linkage: {summary}")
    return dg.MaterializeResult(
        metadata={
            "months_linked": summary.months,
            "leftover_records": summary.leftovers,
            "candidate_persons": summary.candidates,
            "stored_matches": summary.stored,
            "seconds": round(summary.seconds, 1),
            "model": dg.MetadataValue.path(str(model_json)),
        }
    )


def _link_on_spark(model_json: Path) -> LinkageSummary:
    """Splink on the Spark build, in a subprocess with its own JVM (yibao.spark_jobs)."""
    from yibao.spark_jobs import run_spark_job

    return LinkageSummary(**run_spark_job("link", model_json=str(model_json)))
