"""Retention: once a month's models are built and the marts gate has passed, the
record-level working tables that no later month reads keep the latest delivered month only
(dbt macro prune_working_months, dbt/macros/retention.sql). On DuckDB it runs before the
publish, while dbt's profile still names the candidate warehouse that holds the load log."""

from collections.abc import Sequence

import dagster as dg
from dagster_dbt import DbtCliResource

from ..layers import CORE, OWNERS
from ..partitions import delivery_months
from .dbt import analyst_model_keys, dbt_target_path

PRUNE_ARGS = ["run-operation", "prune_working_months"]


def pruned_rows(messages: Sequence[str]) -> dict[str, int]:
    """Rows removed per model, from the macro's `pruned <model>: <rows> rows of …` lines."""
    found = {}
    for message in messages:
        if message.startswith("pruned ") and ": " in message:
            model, rest = message.removeprefix("pruned ").split(": ", 1)
            found[model] = int(rest.split(" ", 1)[0])
    return found


@dg.asset(
    key="working_months_pruned",
    group_name=CORE,
    owners=OWNERS[CORE],
    deps=analyst_model_keys(),
    partitions_def=delivery_months,
    kinds={"dbt"},
    description=(
        "Retention: the record-level working tables read only by their own month's build "
        "(dbt models with retention='latest_month') keep the latest delivered month only, "
        "9.9 GB a month at the province tier. A month that fails before it prunes nothing."
    ),
)
def working_months_pruned(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    invocation = dbt.cli(PRUNE_ARGS, target_path=dbt_target_path())
    messages = [event.raw_event["info"]["msg"] for event in invocation.stream_raw_events()]
    pruned = pruned_rows(messages)
    for model, rows in pruned.items():
        context.log.info(f"pruned {model}: {rows:,} rows of earlier months")
    return dg.MaterializeResult(metadata={"models": len(pruned), "rows": sum(pruned.values())})
