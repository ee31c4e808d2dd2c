"""The per-stage summary `yibao run` prints (yibao.stage_times)."""

from __future__ import annotations

from yibao.stage_times import format_table, stage_of, stage_seconds


def test_steps_are_grouped_into_stages():
    assert stage_of("raw_monthly_deliveries") == "ingest"
    assert stage_of("warehouse_models") == "dbt"
    assert stage_of("person_master_models") == "dbt"
    assert stage_of("gx_marts_gate") == "gates"
    assert stage_of("linkage__probabilistic_matches") == "linkage"
    assert stage_of("published_warehouse") == "publish"
    assert stage_of("monthly_exports") == "exports"
    assert stage_of("working_months_pruned") == "retention"
    assert stage_of("something_new") == "other"


def test_the_table_adds_up_each_month():
    steps = {
        "2019-11": {"raw_monthly_deliveries": 2.0, "warehouse_models": 10.0,
                    "person_master_models": 5.5, "gx_raw_gate": 1.0},
        "2019-12": {"raw_monthly_deliveries": 3.0, "monthly_exports": 1.5},
    }  # fmt: skip
    assert stage_seconds(steps["2019-11"]) == {"ingest": 2.0, "dbt": 15.5, "gates": 1.0}
    header, november, december = format_table(steps).splitlines()
    assert header.split() == ["seconds", "ingest", "dbt", "gates", "exports", "steps"]
    assert november.split() == ["2019-11", "2.0", "15.5", "1.0", "0.0", "18.5"]
    assert december.split() == ["2019-12", "3.0", "0.0", "0.0", "1.5", "4.5"]
