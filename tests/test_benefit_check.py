"""Benefit compliance (issue 7, part 3): the generator splits every settlement by the rules of
the seeds and injects violations of each; fct_benefit_check finds exactly the injected ones,
and fct_benefit_pool_ratio exactly the pools the truth computes below their minimum."""

from __future__ import annotations

import csv

import duckdb
import pytest

from yibao_synth.problems import KINDS


def _truth(small_tier, group: str) -> list[dict[str, str]]:
    rows = []
    for path in sorted((small_tier.out / "truth").glob("*/problems.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["grp"] == group]
    return rows


@pytest.fixture(scope="module")
def checks(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        cursor = con.execute("select * from marts.fct_benefit_check")
        names = [d[0] for d in cursor.description]
        yield [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def pools(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con.execute("""select finding_kind, pool_code || ' ' || settlement_year, pool_ratio
            from marts.fct_benefit_pool_ratio""").fetchall()


def test_findings_are_exactly_the_injected_violations(small_tier, checks):
    truth = {(r["kind"], r["source_file"], int(r["row_number"])) for r in
             _truth(small_tier, "benefit")}
    found = {(c["finding_kind"], c["source_file"], c["source_row_number"]) for c in checks
             if c["finding_kind"] is not None}
    assert found == truth
    kinds = {k for k, _, _ in truth}
    assert kinds == {k.name for k in KINDS.values() if k.group == "benefit"}


def test_each_finding_names_its_rule_and_the_yuan_at_stake(checks):
    for c in checks:
        assert c["difference_yuan"] == c["actual_amount"] - c["expected_amount"]
        assert c["source_document"] and c["policy_ref"], c["rule_id"]
        if c["finding_kind"] in ("critical_illness_underpaid", "medical_assistance_underpaid",
                                 "rare_disease_assistance_underpaid", "newborn_not_covered",
                                 "catalogue_share_below_min"):
            assert c["difference_yuan"] < 0
        elif c["finding_kind"] is not None:
            assert c["difference_yuan"] > 0


def test_every_rule_checks_compliant_settlements_too(checks):
    rules = {c["rule_id"] for c in checks}
    assert rules == {
        "critical_illness_payment", "medical_assistance", "rare_disease_assistance",
        "inpatient_self_pay_cap_share", "chronic_outpatient_self_pay_cap_share",
        "catalogue_share", "covid_free_treatment", "covid_insurance_share", "newborn_coverage",
    }
    for rule in rules:
        assert any(c["finding_kind"] is None for c in checks if c["rule_id"] == rule), rule


def test_pool_ratios_below_minimum_are_the_truths(small_tier, pools):
    truth = {(r["kind"], r["detail"], r["delivered_value"]) for r in
             _truth(small_tier, "benefit_pool")}
    found = {(k, pool, str(ratio)) for k, pool, ratio in pools if k is not None}
    assert found == truth
    assert ("basic_policy_ratio_below_min", "3415 2020") in {(k, p) for k, p, _ in truth}
