"""The analysts' access (issue 9, part 4): the sealed read-only connection of docs/analysts.md
reads the marts and can do nothing else, and the analyst warehouse is a database file of its
own that holds none of the restricted layers."""

from __future__ import annotations

import duckdb
import pytest

from yibao.analyst import connect


@pytest.fixture
def analyst(small_warehouse):
    with connect(small_warehouse / "warehouse.duckdb") as con:
        yield con


def test_an_analyst_reads_the_marts(analyst):
    assert analyst.execute("select count(*) from marts.fct_coverage_monthly").fetchone()[0] > 0


@pytest.mark.parametrize("statement", [
    "create table marts.mine as select 1 as x",
    "delete from marts.dim_region",
    "attach '{restricted}' as restricted (read_only)",
    "select * from read_csv('{restricted}')",
    "copy marts.dim_region to '{folder}/dim_region.csv'",
    "set enable_external_access = true",
    "install httpfs",
])  # fmt: skip
def test_an_analyst_can_do_nothing_else(analyst, small_warehouse, statement):
    sql = statement.format(restricted=small_warehouse / "restricted.duckdb", folder=small_warehouse)
    with pytest.raises(duckdb.Error):
        analyst.execute(sql)


def test_the_restricted_layers_live_in_another_file(small_warehouse):
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        catalogs = {r[0] for r in con.execute("select database_name from duckdb_databases() "
                                              "where not internal").fetchall()}  # fmt: skip
        schemas = {r[0] for r in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
    assert catalogs == {"warehouse"} and schemas == {"audit", "marts"}
    with duckdb.connect(str(small_warehouse / "restricted.duckdb"), read_only=True) as con:
        schemas = {r[0] for r in con.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
    assert {"raw", "staging", "intermediate"} <= schemas
