"""Coverage and vertical consistency (issue 6, S5.1.3): the warehouse's coverage mart adds up
level by level, agrees with every county figure the platforms report, and the vertical check
finds exactly the disagreements the generator injected, naming level, region, category and
measure."""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pyarrow.csv as pacsv
import pytest

from yibao.quality.gates import EXPECTATIONS_DIR, validate_layer


@pytest.fixture(scope="module")
def warehouse(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con


def test_the_vertical_check_finds_exactly_the_injected_disagreements(small_tier, warehouse):
    truth = set()
    for month in small_tier.months:
        table = pacsv.read_csv(small_tier.out / "truth" / month / "problems.csv")
        truth |= {
            (month, r["detail"]) for r in table.to_pylist() if r["kind"] == "summary_disagreement"
        }
    found = warehouse.execute("""
        select delivery_month, finding_detail from marts.fct_vertical_consistency
        where not agrees_with_counties""").fetchall()
    assert set(found) == truth and len(found) == len(truth) > 0


def test_the_warehouse_agrees_with_every_figure_the_platforms_got_right(warehouse):
    """Outside the injected rows, the platforms' 省/市/县 figures are the generator's true counts:
    the warehouse's own coverage, built from the rosters and the register, must equal them."""
    rows = warehouse.execute("""
        select agrees_with_counties, agrees_with_warehouse, count(*)
        from marts.fct_vertical_consistency group by all""").fetchall()
    counts = {(c, w): n for c, w, n in rows}
    assert counts.get((True, False), 0) == 0
    assert counts.get((False, True), 0) == 0
    assert counts[(True, True)] > 1000


def test_coverage_rates_are_the_exact_quotients(warehouse):
    rows = warehouse.execute("""
        select enrolled_count, eligible_count, coverage_rate, premium_paid_count,
            eligible_count - employee_enrolled_count, premium_payment_rate
        from marts.fct_coverage_monthly""").fetchall()
    quantum = Decimal("0.0001")
    for enrolled, eligible, rate, paid, payers, payment_rate in rows:
        for n, d, r in ((enrolled, eligible, rate), (paid, payers, payment_rate)):
            expected = (
                None if d == 0 else (Decimal(n) / Decimal(d)).quantize(quantum, ROUND_HALF_UP)
            )
            assert r == expected
    levels = {
        r[0]
        for r in warehouse.execute(
            "select distinct region_level from marts.fct_coverage_monthly"
        ).fetchall()
    }
    assert levels == {"province", "city", "county", "township"}


def test_the_province_is_the_sum_of_its_counties(warehouse):
    """Independently of the roll-up macro: each province's counts over the county rows."""
    rows = warehouse.execute("""
        select p.delivery_month, p.population_category, p.region_code, p.enrolled_count,
            sum(c.enrolled_count), p.roster_count, sum(c.roster_count)
        from marts.fct_coverage_monthly p
        join marts.fct_coverage_monthly c
            on c.region_level = 'county' and substr(c.region_code, 1, 2) = p.region_code
            and c.delivery_month = p.delivery_month
            and c.population_category = p.population_category
        where p.region_level = 'province'
        group by all""").fetchall()
    assert rows and all(r[3] == r[4] and r[5] == r[6] for r in rows)


def test_the_roll_up_gate_blocks_a_county_that_does_not_add_up(small_warehouse, tmp_path):
    broken = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse / "warehouse.duckdb", broken)
    with duckdb.connect(str(broken)) as con:
        month, code = con.execute("""
            select delivery_month, region_code from marts.fct_coverage_monthly
            where region_level = 'county' order by all limit 1""").fetchone()
        con.execute(f"""
            update marts.fct_coverage_monthly set enrolled_count = enrolled_count + 1,
                eligible_count = eligible_count + 1, roster_count = roster_count + 1
            where region_code = '{code}' and delivery_month = '{month}'""")
    suites = tmp_path / "suites"
    (suites / "marts").mkdir(parents=True)
    suite = json.loads((EXPECTATIONS_DIR / "marts" / "fct_coverage_monthly.json").read_text())
    (suites / "marts" / "fct_coverage_monthly.json").write_text(json.dumps(suite))
    (result,) = validate_layer("marts", {"analyst": broken}, month, tmp_path / "docs", suites)
    assert not result.passed
    assert any("vertical consistency" in failure for failure in result.failed_critical)
