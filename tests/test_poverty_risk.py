"""Return-to-poverty early warning (issue 8, part 4): the warnings are exactly the persons the
generator's own computation expects (on no roster, or exited, with 12 months of out-of-pocket
cost at half the province's income), every injected catastrophic stay is among them, the list is
ranked per county, and the watch levels follow the poverty incidence."""

from __future__ import annotations

import csv

import duckdb
import pyarrow.parquet as pq
import pytest

from yibao.pseudonym import person_key


def _truth(small_tier, group: str) -> list[dict[str, str]]:
    rows = []
    for month in small_tier.months:
        path = small_tier.out / "truth" / month / "problems.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["grp"] == group]
    return rows


@pytest.fixture(scope="module")
def keys(small_tier) -> dict[str, str]:
    persons = pq.read_table(small_tier.out / "truth" / "persons.parquet",
                            columns=["person_uid", "id_number"])
    return {str(u): person_key(i) for u, i in zip(persons["person_uid"].to_pylist(),
                                                  persons["id_number"].to_pylist(), strict=True)}


@pytest.fixture(scope="module")
def warnings(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("""select delivery_month, person_key, warning_kind,
            insured_county_code, county_rank, burden_share, watched_by
            from marts.fct_poverty_risk_warning""").fetchall()


def test_warnings_are_the_expected_ones(small_tier, keys, warnings):
    expected = {(r["detail"], keys[r["person_uid"]], r["kind"], r["column_name"])
                for r in _truth(small_tier, "poverty_risk")}
    assert {w[:4] for w in warnings} == expected
    assert {w[2] for w in warnings} == {"non_poor_at_risk", "exited_at_risk"}


def test_every_injected_catastrophe_is_warned(small_tier, keys, warnings):
    injected = _truth(small_tier, "poverty_risk_injected")
    assert injected
    warned = {(w[0], w[1]) for w in warnings}
    for row in injected:
        assert (row["detail"], keys[row["person_uid"]]) in warned, row


def test_the_list_is_ranked_per_county(warnings):
    by_county: dict[tuple[str, str], list] = {}
    for w in warnings:
        by_county.setdefault((w[0], w[3]), []).append(w)
    for rows in by_county.values():
        rows.sort(key=lambda w: w[4])
        assert [w[4] for w in rows] == list(range(1, len(rows) + 1))
        assert [w[5] for w in rows] == sorted((w[5] for w in rows), reverse=True)


def test_watch_levels_follow_the_incidence(small_warehouse, warnings):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        levels = con.execute("""select delivery_month, region_level, region_code,
            poverty_incidence, incidence_min, is_high_incidence, watched_by
            from marts.fct_poverty_watch_level""").fetchall()
    assert {lv[1] for lv in levels} == {"county", "township"}
    for _month, level, _, incidence, minimum, high, by in levels:
        assert high == (incidence >= minimum)
        assert by == ("province" if level == "county" else "city")
    high_counties = {(m, code) for m, level, code, _, _, high, _ in levels
                     if level == "county" and high}
    for w in warnings:
        assert w[6] == ("province" if (w[0], w[3]) in high_counties else "county")
