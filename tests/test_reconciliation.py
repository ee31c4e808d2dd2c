"""The analyst mart fct_reconciliation_finding holds exactly the reconciliation findings of the
generator's ground truth, category by category and month by month (issue 6, POLICY_RULES §1),
each proved by the same source row; and its run-to-run status follows the months."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import pytest

from yibao_synth.problems import KINDS


def _truth(out: Path, months: list[str]) -> set[tuple]:
    rows = set()
    for month in months:
        table = pacsv.read_csv(
            out / "truth" / month / "problems.csv",
            convert_options=pacsv.ConvertOptions(strings_can_be_null=True),
        )
        rows |= {
            (month, r["kind"], r["source_file"], int(r["row_number"]))
            for r in table.to_pylist()
            if r["grp"] == "reconciliation"
        }
    return rows


@pytest.fixture(scope="module")
def warehouse(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def truth_and_found(small_tier, warehouse):
    found = warehouse.execute("""
        select delivery_month, finding_category, evidence_file, evidence_row_number
        from marts.fct_reconciliation_finding where status <> 'resolved'""").fetchall()
    return _truth(small_tier.out, small_tier.months), found


def test_every_category_and_month_equals_the_truth(truth_and_found):
    truth, found = truth_and_found
    by_month_and_kind = Counter((month, kind) for month, kind, _, _ in found)
    assert by_month_and_kind == Counter((month, kind) for month, kind, _, _ in truth)
    assert set(found) == truth
    assert len(found) == len(set(found))


def test_the_tier_exercises_every_reconciliation_category(truth_and_found):
    truth, _ = truth_and_found
    kinds = {kind for _, kind, _, _ in truth}
    assert kinds == {k for k, spec in KINDS.items() if spec.group == "reconciliation"}


def test_not_eligible_keeps_its_reason(small_tier, warehouse):
    truth = set()
    for month in small_tier.months:
        table = pacsv.read_csv(small_tier.out / "truth" / month / "problems.csv")
        truth |= {
            (month, r["source_file"], r["row_number"], r["detail"])
            for r in table.to_pylist()
            if r["kind"] == "not_eligible"
        }
    found = warehouse.execute("""
        select delivery_month, evidence_file, evidence_row_number, finding_detail
        from marts.fct_reconciliation_finding
        where finding_category = 'not_eligible' and status <> 'resolved'""").fetchall()
    assert set(found) == truth


def test_status_compares_with_the_previous_month(small_tier, warehouse):
    rows = warehouse.execute("""
        select delivery_month, person_key, finding_category, status, first_seen_month
        from marts.fct_reconciliation_finding""").fetchall()
    months = small_tier.months
    open_in = {
        m: {(k, c) for mm, k, c, s, _ in rows if mm == m and s != "resolved"} for m in months
    }
    for index, month in enumerate(months):
        status = {(k, c): s for mm, k, c, s, _ in rows if mm == month}
        previous = open_in[months[index - 1]] if index else set()
        assert {key for key, s in status.items() if s == "new"} == open_in[month] - previous
        assert {key for key, s in status.items() if s == "persisting"} == open_in[month] & previous
        assert {key for key, s in status.items() if s == "resolved"} == previous - open_in[month]
    first_seen = {(m, k, c): f for m, k, c, _, f in rows}
    for m, k, c, s, f in rows:
        if s == "persisting":
            previous_month = months[months.index(m) - 1]
            assert f == first_seen[(previous_month, k, c)]
        elif s == "new":
            assert f == m
    assert Counter(s for *_, s, _ in rows)["resolved"] > 0


def test_every_finding_has_an_action_and_no_raw_identifier(warehouse):
    columns = {
        name
        for (name,) in warehouse.execute("""
            select column_name from information_schema.columns
            where table_name = 'fct_reconciliation_finding'""").fetchall()
    }
    assert not columns & {"id_number", "person_name", "certno", "person_cluster_id"}
    missing = warehouse.execute("""
        select count(*) from marts.fct_reconciliation_finding
        where suggested_action_zh is null or evidence_file is null""").fetchone()[0]
    assert missing == 0
