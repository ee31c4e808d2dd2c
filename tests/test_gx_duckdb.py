"""The GX-on-DuckDB override: the upstream bug is real, and the override fixes it."""

from __future__ import annotations

import warnings

import duckdb
import great_expectations as gx
import pytest

from yibao.quality import gx_duckdb


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "t.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table t as select range as id, range % 3 as k, "
            "case when range = 7 then null else range end as maybe from range(200000)"
        )
    return path


def _validate(path):
    warnings.filterwarnings("ignore")
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql(name="wh", connection_string=f"duckdb:///{path}")
    batch = source.add_table_asset(name="t", table_name="t").add_batch_definition_whole_table("all")
    suite = context.suites.add(gx.ExpectationSuite(name="s"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="id"))
    suite.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column="maybe"))
    suite.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(column="k", min_value=0, max_value=2)
    )
    suite.add_expectation(gx.expectations.ExpectTableRowCountToEqual(value=200000))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="v", data=batch, suite=suite)
    )
    return [
        (
            r.expectation_config.type,
            r.success,
            r.exception_info.get("raised_exception", False)
            if isinstance(r.exception_info, dict)
            else False,
        )
        for r in definition.run().results
    ]


def test_without_the_override_every_expectation_errors_upstream(table):
    """If this fails, GX fixed the bug upstream: remove yibao.quality.gx_duckdb."""
    gx_duckdb.remove()
    try:
        results = _validate(table)
    finally:
        gx_duckdb.apply()
    assert all(not success for _, success, _ in results)


def test_with_the_override_results_are_right(table):
    gx_duckdb.apply()
    assert gx_duckdb.is_applied()
    assert _validate(table) == [
        ("expect_column_values_to_not_be_null", True, False),
        ("expect_column_values_to_not_be_null", False, False),  # one null, found
        ("expect_column_values_to_be_between", True, False),
        ("expect_table_row_count_to_equal", True, False),
    ]


def test_the_override_refuses_another_gx_version(monkeypatch):
    monkeypatch.setattr(gx, "__version__", "9.9.9")
    with pytest.raises(RuntimeError, match="written for great-expectations"):
        gx_duckdb.apply()
