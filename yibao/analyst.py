"""The analyst's connection to the warehouse (docs/analysts.md).

Read-only, and sealed: no other database can be attached (the restricted one in particular), no
file read or written, and the settings locked, so a query cannot undo any of it. Analysts
receive warehouse.duckdb only; restricted.duckdb never leaves the pipeline's machine.

    from yibao.analyst import connect
    con = connect("data/warehouse.duckdb")
    con.sql("select * from marts.fct_coverage_monthly limit 5").show()
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SEALED = {"enable_external_access": False, "lock_configuration": True}


def connect(warehouse: str | Path = "data/warehouse.duckdb") -> duckdb.DuckDBPyConnection:
    path = Path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}")
    return duckdb.connect(str(path), read_only=True, config=dict(SEALED))
