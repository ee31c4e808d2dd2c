"""Premium subsidy compliance (issue 7, part 2): the generator pays by the rules of
ref_policy_parameters (就高, 次月生效 in Wenzhou), so on the clean CI tier every payment gets
exactly the subsidy the warehouse expects, and the check has something to check."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def checks(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con.execute("""
            select finding_category, subsidy_basis_category, expected_subsidy, actual_subsidy,
                county_code
            from marts.fct_premium_subsidy_check""").fetchall()


def test_clean_payments_break_no_subsidy_rule(checks):
    assert [c for c in checks if c[0] is not None] == []


def test_every_category_and_rule_region_is_exercised(checks):
    bases = {c[1] for c in checks if c[1]}
    assert bases == {"extremely_poor", "minimum_living_allowance", "registered_poor"}
    subsidies = {(c[4][:4], c[1], c[2]) for c in checks if c[1]}
    assert ("3401", "registered_poor", 252) in subsidies  # 合肥 90% of 280 (H2)
    assert ("5305", "registered_poor", 180) in subsidies  # 施甸 fixed 180 (S5.2.1)
    assert ("5305", "minimum_living_allowance", 120) in subsidies
    assert any(b == "extremely_poor" and e == 280 for _, b, e in subsidies)
