"""Chronic-disease cards (issue 8, part 2): the warehouse finds exactly the card findings the
generator's own computation expects (poor people with a card disease and no card, abnormal
purchases, cards certified below G8's standard), and every injected abnormal purchase is among
them. Unused cards need six delivered months: the dbt unit test covers them on this tier."""

from __future__ import annotations

import csv

import duckdb
import pytest


def _truth(small_tier, group: str) -> list[dict[str, str]]:
    rows = []
    for month in small_tier.months:
        path = small_tier.out / "truth" / month / "problems.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["grp"] == group]
    return rows


@pytest.fixture(scope="module")
def findings(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("""select finding_kind, delivery_month, disease_code, source_file,
            source_row_number from marts.fct_chronic_card_finding""").fetchall()


def test_findings_are_the_expected_ones(small_tier, findings):
    expected = {(r["kind"], r["detail"], r["column_name"], r["source_file"], int(r["row_number"]))
                for r in _truth(small_tier, "chronic_card")}
    assert set(findings) == expected
    kinds = {f[0] for f in findings}
    assert {"eligible_without_card", "chronic_abnormal_frequency", "chronic_abnormal_cost",
            "certifier_below_standard"} <= kinds


def test_every_injected_abnormal_purchase_is_found(small_tier, findings):
    injected = _truth(small_tier, "chronic_card_injected")
    assert injected
    found = {(f[0], f[1], f[2]) for f in findings}
    for row in injected:
        kind = row["kind"].removesuffix("_injected")
        assert (kind, row["detail"], row["column_name"]) in found, row


def test_certifier_findings_are_guangxi_cards_once_each(findings, small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("""select insured_county_code, person_key, disease_code, count(*)
            from marts.fct_chronic_card_finding where finding_kind = 'certifier_below_standard'
            group by all""").fetchall()
    assert rows and all(county.startswith("45") and n == 1 for county, _, _, n in rows)
