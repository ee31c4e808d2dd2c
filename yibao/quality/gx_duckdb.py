"""Great Expectations 1.x on DuckDB: the one override that makes its SQL datasource work.

The bug (GX issues #11579, #10738): every metric fails with IndexError in
``resolve_metric_bundle`` on DuckDB. The cause: ``SqlAlchemyExecutionEngine.execute_query``
returns the cursor result *after* its ``with self.get_connection()`` block has closed the
connection; closing rolls back, and duckdb-engine's cursor is empty after that rollback, so every
metric query returns no rows.

The fix: buffer the rows while the connection is still open. SQLAlchemy's ``Result.freeze()``
fetches them into a ``FrozenResult``, and calling it gives back an ordinary ``Result`` that GX
reads as before. Only the DuckDB dialect takes the new path; every other dialect keeps GX's
own code. The override is pinned to the GX version it was written for: ``apply()`` refuses any
other version, and a test reproduces the upstream bug without the override, so an upstream
change or fix fails loudly instead of silently.

Why not another path: GX's Spark and pandas datasources would pull tables out of the
warehouse; validating inside DuckDB through SQL is the point.
"""

from __future__ import annotations

import great_expectations as gx
from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

PINNED_GX_VERSION = "1.24.1"
_engine = engine_module.SqlAlchemyExecutionEngine
_original_execute_query = _engine.execute_query


def _execute_query(self, query):  # type: ignore[no-untyped-def]
    if self.dialect_name != "duckdb":
        return _original_execute_query(self, query)
    with self.get_connection() as connection:
        result = self._execute_query_with_recovery(connection, query)
        return result.freeze()()


def apply() -> None:
    """Install the override (idempotent)."""
    if gx.__version__ != PINNED_GX_VERSION:
        raise RuntimeError(
            f"yibao.quality.gx_duckdb was written for great-expectations {PINNED_GX_VERSION}, "
            f"found {gx.__version__}: check whether the DuckDB result bug (GX #11579) is still "
            "there (tests/test_gx_duckdb.py) and update or remove the override."
        )
    _engine.execute_query = _execute_query


def remove() -> None:
    """Restore GX's own method (for the test that shows the upstream bug)."""
    _engine.execute_query = _original_execute_query


def is_applied() -> bool:
    return _engine.execute_query is _execute_query
