"""Retention of the record-level working tables (issue 10): after a month is built and
published, the models marked retention='latest_month' keep the latest delivered month only
(dbt/macros/retention.sql), and no later build misses what was pruned."""

from __future__ import annotations

import json

import duckdb
from tiny_pipeline import copy_data, run_month, state

from dagster_project.assets.retention import pruned_rows

#: the working tables read only by their own month's build; a change to the list is deliberate
LATEST_MONTH_ONLY = {
    "int_id_number_checks",
    "int_linkage_features",
    "int_linkage_leftovers",
    "int_settlement_benefit_basis",
    "int_settlement_year_to_date",
    "int_benefit_check__catalogue",
    "int_benefit_check__covid",
    "int_benefit_check__medical_assistance",
    "int_benefit_check__newborn",
    "int_benefit_check__self_pay_caps",
    "int_person_month_poverty",
    "int_person_month_enrolment",
    "int_person_month_active_enrolment",
    "int_person_month_flags",
    "int_person_month_payments",
}


def _retention(data) -> dict[str, str]:
    manifest = json.loads((data / "dbt-target" / "manifest.json").read_text(encoding="utf-8"))
    return {
        node["name"]: node["config"]["meta"]["retention"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "retention" in node["config"]["meta"]
    }


def _months(data, table: str) -> list[str]:
    with duckdb.connect(str(data / "restricted.duckdb"), read_only=True) as con:
        rows = con.execute(
            f"select distinct delivery_month from intermediate.{table} order by 1"
        ).fetchall()
    return [month for (month,) in rows]


def test_the_marked_models_are_the_month_local_working_tables(tiny_pipeline):
    retention = _retention(tiny_pipeline.complete)
    assert {m for m, kept in retention.items() if kept == "latest_month"} == LATEST_MONTH_ONLY
    # every other month-incremental model keeps its history
    assert {m for m, kept in retention.items() if kept == "all_months"} >= {
        "int_person_links", "int_settlements_netted", "int_premium_subsidy_expected",
        "int_person_month_out_of_pocket", "int_register_by_person_number",
    }  # fmt: skip


def test_a_month_leaves_its_working_tables_holding_that_month_only(tiny_pipeline):
    first, second = tiny_pipeline.months
    for table in ("int_id_number_checks", "int_person_month_enrolment", "int_linkage_features"):
        assert _months(tiny_pipeline.after_first, table) == [first]
        assert _months(tiny_pipeline.complete, table) == [second], table
    # the history the later months read is kept
    for table in ("int_person_links", "int_settlements_netted", "int_person_month_coverage"):
        assert _months(tiny_pipeline.complete, table) == [first, second], table


def _dbt_messages(data) -> dict[str, list[str]]:
    """dbt's log messages (dbt.log and its rotations) by invocation, in order."""
    by_invocation: dict[str, list[tuple[str, str]]] = {}
    for path in (data / "dbt-target").glob("dbt.log*"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                info = json.loads(line)["info"]
                by_invocation.setdefault(info["invocation_id"], []).append(
                    (info["ts"], info["msg"])
                )
    return {key: [m for _, m in sorted(lines)] for key, lines in by_invocation.items()}


def test_the_older_months_go_before_the_new_month_is_written(tiny_pipeline):
    """The on-run-start hook prunes before the build writes, so a month's working rows take
    the space of the month before instead of adding to it."""
    first = tiny_pipeline.months[0]
    pruned = "pruned int_id_number_checks: "
    built = "OK created sql incremental model intermediate.int_id_number_checks"
    orders = []
    for messages in _dbt_messages(tiny_pipeline.complete).values():
        pruning = [i for i, m in enumerate(messages) if m.startswith(pruned)]
        building = [i for i, m in enumerate(messages) if m.startswith(built) or built in m]
        if pruning:
            assert messages[pruning[0]].endswith(f"rows of {first}")
            orders.append(bool(building) and pruning[0] < building[0])
    assert orders == [True], "pruned once, in the build of the second month, before writing"


def test_rerunning_the_latest_month_after_pruning_gives_the_same_warehouse(
    tiny_pipeline, tmp_path
):
    """The second month again, with the first month's working rows gone: a reader that needed
    them (a pruned table read over more than its own month) would build something else."""
    data = copy_data(tiny_pipeline.complete, tmp_path / "data")
    done = run_month(tiny_pipeline.landing, data, tiny_pipeline.months[1])
    assert done.returncode == 0, done.stderr[-3000:]
    assert "retention" in done.stdout  # its stage in the run's timing summary
    assert state(data) == state(tiny_pipeline.complete)


def test_the_pruned_rows_are_read_from_the_macros_log():
    lines = [
        "Running with dbt=1.11.16",
        "pruned int_id_number_checks: 397214 rows of 2019-11, 2019-12",
        "pruned int_linkage_leftovers: 474 rows of 2019-11",
    ]
    assert pruned_rows(lines) == {"int_id_number_checks": 397214, "int_linkage_leftovers": 474}
