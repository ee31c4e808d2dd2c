"""Premium subsidy compliance (issue 7, part 2): the generator pays by the rules of
ref_policy_parameters (就高, 次月生效 in Wenzhou) and injects violations of each kind; the check
finds exactly the injected ones, and every rule region is exercised."""

from __future__ import annotations

import csv

import duckdb
import pytest

from yibao_synth.problems import KINDS


@pytest.fixture(scope="module")
def checks(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con.execute("""
            select finding_category, subsidy_basis_category, expected_subsidy, actual_subsidy,
                county_code, source_file, source_row_number
            from marts.fct_premium_subsidy_check""").fetchall()


def test_findings_are_exactly_the_injected_violations(small_tier, checks):
    truth = set()
    for path in sorted((small_tier.out / "truth").glob("*/problems.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            truth |= {(r["kind"], r["source_file"], int(r["row_number"]))
                      for r in csv.DictReader(f) if r["grp"] == "premium"}
    found = {(c[0], c[5], c[6]) for c in checks if c[0] is not None}
    assert found == truth
    assert {k for k, _, _ in truth} == {k.name for k in KINDS.values() if k.group == "premium"}


def test_every_category_and_rule_region_is_exercised(checks):
    bases = {c[1] for c in checks if c[1]}
    assert bases == {"extremely_poor", "minimum_living_allowance", "registered_poor"}
    subsidies = {(c[4][:4], c[1], c[2]) for c in checks if c[1]}
    assert ("3401", "registered_poor", 252) in subsidies  # 合肥 90% of 280 (H2)
    assert ("5305", "registered_poor", 180) in subsidies  # 施甸 fixed 180 (S5.2.1)
    assert ("5305", "minimum_living_allowance", 120) in subsidies
    assert any(b == "extremely_poor" and e == 280 for _, b, e in subsidies)
