"""Small-cell suppression of published aggregates and its interval audit (issue 9, part 4).

The audit reads the bulletin as a department receives it (the xlsx, with * for hidden cells),
takes every published figure of the month at both region levels and every relation between
them as linear constraints, and asks for each hidden cell how narrow its feasible range is.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from yibao.disclosure import HIDDEN, small_cell_threshold
from yibao.disclosure import bulletin as B
from yibao.disclosure.audit import at_least, equal, exposed, intervals
from yibao.disclosure.suppress import suppress
from yibao.exports.bulletin import BULLETIN_COLUMNS

T = small_cell_threshold()


def _two_by_two(a=5, b=20, c=30, d=40):
    """A 2×2 table with row, column and grand totals."""
    values = {"a": a, "b": b, "c": c, "d": d, "r1": a + b, "r2": c + d, "c1": a + c,
              "c2": b + d, "all": a + b + c + d}  # fmt: skip
    relations = [equal("r1", ["a", "b"]), equal("r2", ["c", "d"]), equal("c1", ["a", "c"]),
                 equal("c2", ["b", "d"]), equal("all", ["r1", "r2"])]  # fmt: skip
    return values, relations


def test_a_hidden_part_of_a_published_sum_has_the_sums_range():
    values = {"t": 25, "x": 5, "y": 20}
    assert intervals(values, {"x", "y"}, [equal("t", ["x", "y"])]) == {
        "x": (0, 25), "y": (0, 25)}  # fmt: skip


def test_a_hidden_total_over_an_unpublished_remainder_has_no_upper_bound():
    # t ≥ x: with t hidden, nothing caps it
    assert intervals({"t": 40, "x": 25}, {"t"}, [at_least("t", ["x"])]) == {"t": (25, math.inf)}


def test_a_table_that_contradicts_its_relations_is_refused():
    with pytest.raises(ValueError, match="contradicts its relations"):
        intervals({"t": 5, "x": 3, "y": 10}, {"x"}, [equal("t", ["x", "y"])])


def test_the_audit_finds_a_cell_the_margins_give_away():
    values, relations = _two_by_two()
    # a and b hidden in one row: the column totals still give a = c1 - c exactly
    assert exposed(values, {"a", "b"}, relations, T) == {"a": (5, 5), "b": (20, 20)}


def test_suppression_hides_the_small_cell_and_enough_others():
    values, relations = _two_by_two()
    hidden = suppress(values, ["a", "b", "c", "d"], relations, T)
    assert "a" in hidden and len(hidden) == 4
    assert exposed(values, hidden, relations, T) == {}
    low, high = intervals(values, hidden, relations)["a"]
    assert low <= 5 <= high and high - low > T


def test_the_threshold_is_the_seed():
    assert T == 10  # the CMS default; seeds/ref_disclosure_control.csv


def _published(path: Path) -> tuple[list[str], list[list]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return rows[0], rows[1:]


def _mart(warehouse: Path, month: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.rpt_monthly_bulletin where delivery_month = ?", [month])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


@pytest.fixture(scope="module")
def audited(small_tier, small_warehouse) -> dict[str, dict]:
    """Per month: the true figures, the published ones, the hidden cells and their ranges."""
    found = {}
    for month in small_tier.months:
        name = f"monthly_bulletin_{month.replace('-', '')}.xlsx"
        headers, rows = _published(small_warehouse / "exports" / month / name)
        names = {zh: en for en, zh in BULLETIN_COLUMNS.items()}
        published = [{names[h]: v for h, v in zip(headers, row, strict=True)} for row in rows]
        truth = {r["region_code"]: r for r in _mart(small_warehouse / "warehouse.duckdb", month)}
        structure = [{**truth[str(p["region_code"])]} for p in published]
        values, hidden = {}, set()
        for p in published:
            for column in B.COUNTS:
                cell = (str(p["region_code"]), column)
                if p[column] == HIDDEN:
                    hidden.add(cell)
                    values[cell] = math.nan
                else:
                    values[cell] = p[column]
        relations = B.relations(structure)
        found[month] = {"truth": structure, "published": published, "hidden": hidden,
                        "relations": relations,
                        "ranges": intervals(values, hidden, relations)}  # fmt: skip
    return found


def test_every_relation_holds_on_the_true_figures(audited):
    for month in audited.values():
        values = B.cells(month["truth"])
        for relation in month["relations"]:
            total = sum(values[c] * k for c, k in relation.terms)
            assert total >= 0 if relation.slack else total == 0, relation


def test_no_published_count_is_small(audited):
    small = [(p["region_code"], c, p[c]) for m in audited.values() for p in m["published"]
             for c in B.COUNTS if p[c] != HIDDEN and 1 <= p[c] <= T]  # fmt: skip
    assert small == []
    assert sum(len(m["hidden"]) for m in audited.values()) > 100


def test_every_hidden_cell_stays_wider_than_the_threshold(audited):
    narrow = {}
    for month, m in audited.items():
        truth = B.cells(m["truth"])
        assert set(m["ranges"]) == m["hidden"]
        for cell, (low, high) in m["ranges"].items():
            assert low - 1e-6 <= truth[cell] <= high + 1e-6, (month, cell)
            if high - low <= T:
                narrow[(month, cell)] = (low, high)
    assert narrow == {}


def test_a_rate_of_a_hidden_count_is_hidden(audited):
    for m in audited.values():
        hidden_rates = B.hidden_rates(m["truth"], m["hidden"])
        for p in m["published"]:
            for rate in B.RATES:
                shown = p[rate] != HIDDEN
                assert shown == ((str(p["region_code"]), rate) not in hidden_rates), (p, rate)
