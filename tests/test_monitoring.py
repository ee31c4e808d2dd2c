"""Monthly monitoring (issue 8, part 1): the indicators add up over the levels and count every
settlement of the month as delivered; the alerts are exactly those the generator's own
computation expects, and every injected swing (an inpatient surge, a one-stop outage, and the
return the month after) raises its alert."""

from __future__ import annotations

import csv

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest


def _truth(small_tier, group: str) -> list[dict[str, str]]:
    rows = []
    for month in small_tier.months:
        path = small_tier.out / "truth" / month / "problems.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows += [dict(r, month=month) for r in csv.DictReader(f) if r["grp"] == group]
    return rows


@pytest.fixture(scope="module")
def con(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as c:
        yield c


def test_alerts_are_the_expected_ones(small_tier, con):
    expected = {(r["month"], *r["column_name"].split(" ")) for r in
                _truth(small_tier, "monitoring")}
    found = set(con.execute("""
        select delivery_month, region_level, region_code, indicator
        from marts.fct_monitoring_alert where population_category = 'all_insured'""").fetchall())
    assert found == expected
    assert len(found) >= 10


def test_every_injected_swing_raises_its_alert(small_tier, con):
    swings = _truth(small_tier, "monitoring_swing")
    assert swings
    alerts = set(con.execute("""select delivery_month, region_code, indicator
        from marts.fct_monitoring_alert where region_level = 'county'""").fetchall())
    for swing in swings:
        _, county, indicator = swing["column_name"].split(" ")
        assert (swing["month"], county, indicator) in alerts, swing


def test_visits_count_the_months_settlements_as_delivered(small_tier, con):
    """A month's visits are its settlements less those reversed that same month; a reversal
    delivered later counts in its own month and does not restate this one."""
    landing = small_tier.out / "landing"
    reversed_later = 0
    for month in small_tier.months:
        ym = month.replace("-", "")
        settlements = pq.read_table(landing / month / "healthcare" / f"settlements_{ym}.parquet",
                                    columns=["setl_id", "refd_setl_flag"])
        is_reversal = pc.equal(settlements["refd_setl_flag"], "1")
        originals = set(settlements.filter(pc.invert(is_reversal))["setl_id"].to_pylist())
        reversals = set(settlements.filter(is_reversal)["setl_id"].to_pylist())
        reversed_later += len(reversals - originals)
        (visits,) = con.execute("""select sum(visits) from marts.fct_monitoring_monthly
            where delivery_month = ? and region_level = 'province'
              and population_category = 'all_insured'""", [month]).fetchone()
        assert visits == len(originals - reversals), month
    assert reversed_later > 0  # the later reversals that must not restate a month are there


def test_every_level_adds_up_and_rates_are_consistent(con):
    bad = con.execute("""
        select c.delivery_month, c.population_category, c.parent_region_code
        from marts.fct_monitoring_monthly c
        join marts.fct_monitoring_monthly p
            on p.region_code = c.parent_region_code and p.delivery_month = c.delivery_month
            and p.population_category = c.population_category
        group by all
        having max(p.total_cost) <> sum(c.total_cost)
            or max(p.inpatient_persons) <> sum(c.inpatient_persons)
            or max(p.visits_out_of_province) <> sum(c.visits_out_of_province)""").fetchall()
    assert bad == []
    categories = {r[0] for r in con.execute(
        "select distinct population_category from marts.fct_monitoring_monthly").fetchall()}
    assert {"all_insured", "all_poor", "registered_poor"} <= categories
    (wrong,) = con.execute("""select count(*) from marts.fct_monitoring_monthly
        where one_stop_rate <> round(one_stop_visits / visits, 4)""").fetchone()
    assert wrong == 0
