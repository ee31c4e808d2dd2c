"""The analyst warehouse holds no raw ID number, mobile number or name of a generated person.

Walks every column of every table and view of the published warehouse, in SQL inside DuckDB,
and fails on any value shaped like an ID number (18 or 15 digits, also with x or full-width
characters), a mobile number, or equal to a name of the generated roster.
"""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq

# Digit runs standing alone: inside a hex digest (file_hash, person_key) a run of digits is
# bounded by letters and is not an ID.
_ALONE_BEFORE, _ALONE_AFTER = "(^|[^0-9A-Za-z０-９])", "([^0-9A-Za-z０-９]|$)"
ID_SHAPES = f"{_ALONE_BEFORE}([0-9０-９]{{17}}[0-9０-９XxＸｘ]|[0-9]{{15}}){_ALONE_AFTER}"
MOBILE_SHAPE = f"{_ALONE_BEFORE}1[3-9][0-9]{{9}}{_ALONE_AFTER}"


def _columns(con) -> list[tuple[str, str, str]]:
    return con.execute("""
        select table_schema, table_name, column_name from information_schema.columns
        where table_catalog = current_database()
        order by all
    """).fetchall()


def test_no_id_number_mobile_or_name_in_any_analyst_column(small_tier, small_warehouse):
    names = pq.read_table(small_tier.out / "truth" / "persons.parquet", columns=["name"])
    with duckdb.connect(str(small_warehouse / "warehouse.duckdb"), read_only=True) as con:
        con.register("roster_names", names)
        columns = _columns(con)
        assert len(columns) > 20
        leaks = []
        for schema, table, column in columns:
            value = f'cast("{column}" as varchar)'
            found = con.execute(f"""
                select count(*) filter (where regexp_matches({value}, '{ID_SHAPES}')),
                       count(*) filter (where regexp_matches({value}, '{MOBILE_SHAPE}')),
                       count(*) filter (where {value} in (select name from roster_names))
                from "{schema}"."{table}"
            """).fetchall()[0]
            if any(found):
                leaks.append((schema, table, column, found))
    assert leaks == []


def test_the_scanner_sees_what_it_looks_for(small_warehouse):
    """The same patterns on the restricted database find IDs and phones, and pass a digest."""
    with duckdb.connect(str(small_warehouse / "restricted.duckdb"), read_only=True) as con:
        ids, phones = con.execute(f"""
            select count(*) filter (where regexp_matches("证件号码", '{ID_SHAPES}')),
                   count(*) filter (where regexp_matches("联系电话", '{MOBILE_SHAPE}'))
            from raw.raw_poverty_roster
        """).fetchall()[0]
    assert ids > 0 and phones > 0
    with duckdb.connect() as con:
        digest = "9596077a1ffe455351c7a2c594dc8de2745a292e9e6ea8b65605127602ccac20"
        probes = [digest, "a330324193712260645b", "张三330324193712260645", "1381234567"]
        hits = [
            con.execute(f"select regexp_matches(?, '{ID_SHAPES}')", [p]).fetchall()[0][0]
            for p in probes
        ]
    assert hits == [False, False, True, False]
