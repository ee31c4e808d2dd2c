"""A failed expectation's rejected rows, traced to their delivered files and row numbers
(yibao.quality.failing_rows), for each kind of expectation the suites use."""

from __future__ import annotations

import json

import duckdb
import pytest

from yibao.quality.failing_rows import rejected_files, rejected_rows_query
from yibao.quality.suites import EXPECTATIONS_DIR

ROWS = [("a.csv", 1, 5, "x"), ("a.csv", 2, -1, "y"), ("b.csv", 7, -3, "x"), ("b.csv", 9, 4, None)]


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create table t (source_file text, source_row_number int, n int, k text)")
    con.executemany("insert into t values (?, ?, ?, ?)", ROWS)
    return con


@pytest.mark.parametrize(
    ("kind", "kwargs", "expected"),
    [
        ("expect_column_values_to_be_between", {"column": "n", "min_value": 0},
         ["a.csv rows 2", "b.csv rows 7"]),
        ("expect_column_values_to_not_be_null", {"column": "k"}, ["b.csv rows 9"]),
        ("expect_column_values_to_be_in_set", {"column": "k", "value_set": ["x"]},
         ["a.csv rows 2"]),
        ("expect_column_values_to_be_unique", {"column": "k"}, ["a.csv rows 1", "b.csv rows 7"]),
        ("expect_compound_columns_to_be_unique", {"column_list": ["source_file", "k"]}, []),
        ("unexpected_rows_expectation",
         {"unexpected_rows_query": "select * from {batch} where n < 0"},
         ["a.csv rows 2", "b.csv rows 7"]),
    ],
)  # fmt: skip
def test_each_kind_names_the_files_and_rows(con, kind, kwargs, expected):
    assert rejected_files(con, "select * from t", kind, kwargs) == expected


def test_many_rows_are_summarised(con):
    con.execute("insert into t select 'c.csv', i, -i, 'z' from range(10, 30) r(i)")
    (line,) = [
        f
        for f in rejected_files(con, "select * from t", "expect_column_values_to_be_between",
                                {"column": "n", "min_value": 0})  # fmt: skip
        if f.startswith("c.csv")
    ]
    assert line == "c.csv rows 10, 11, 12, 13, 14 (20 rows)"


def test_every_critical_expectation_of_the_suites_can_be_traced():
    kinds = {
        e["type"]
        for path in EXPECTATIONS_DIR.glob("*/*.json")
        for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]
        if e["severity"] == "critical"
    }
    for kind in kinds:
        kwargs = {"column": "k", "value_set": ["x"], "min_value": 0, "column_list": ["k"],
                  "unexpected_rows_query": "select * from {batch}"}  # fmt: skip
        assert rejected_rows_query("select * from t", kind, kwargs) is not None, kind
