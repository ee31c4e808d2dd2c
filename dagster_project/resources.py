"""Resources, configured from environment variables that default to the embedded setup.

| variable | default | what |
|---|---|---|
| ``YIBAO_LANDING`` | ``data/landing`` | the departments' deliveries |
| ``YIBAO_WAREHOUSE`` | ``data/warehouse.duckdb`` | the analyst warehouse |
| ``YIBAO_RESTRICTED`` | ``restricted.duckdb`` beside the warehouse | raw person-level data |
| ``YIBAO_WAREHOUSE_CANDIDATE`` | ``warehouse.candidate.duckdb`` beside it | the month being built |
| ``YIBAO_EXPORTS`` | ``exports`` beside the warehouse | files for departments; IDs in restricted/ |
| ``YIBAO_DBT_TARGET`` | ``duckdb`` | ``spark`` builds the warehouse on Spark (docs/scale-out.md) |
| ``YIBAO_LAKE`` | ``lake`` beside the restricted database | Parquet raw layer, for Spark |
| ``YIBAO_SPARK_WAREHOUSE`` | ``spark-warehouse`` beside it | Spark's tables |
| ``YIBAO_SPARK_METASTORE`` | ``spark-metastore`` beside it | Spark's Derby metastore |

DuckDB's memory limit, spill folder and threads: ``yibao/duckdb_settings.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from yibao import duckdb_settings, pseudonym

DEFAULT_LANDING = "data/landing"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def restricted_beside(warehouse: str | Path) -> str:
    return str(Path(warehouse).with_name("restricted.duckdb"))


#: Spark-side locations, beside the restricted database unless set in the environment. What the
#: user set is read once, at import: build_resources writes these variables for dbt, and a later
#: call for other paths (the tests build several warehouses) must not inherit them.
_BESIDE_RESTRICTED = {
    "YIBAO_LAKE": "lake",
    "YIBAO_SPARK_WAREHOUSE": "spark-warehouse",
    "YIBAO_SPARK_METASTORE": "spark-metastore",
}
_SET_BY_USER = {variable: os.environ.get(variable) for variable in _BESIDE_RESTRICTED}


class LandingResource(dg.ConfigurableResource):
    """The landing folder: landing/<YYYY-MM>/<department>/<file> and landing/reference/."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


class DuckDBFile(dg.ConfigurableResource):
    """One DuckDB database file.

    Like dagster-duckdb's DuckDBResource, but the connection is closed when the block raises too:
    DuckDBResource (0.29) leaves it open after an exception, and DuckDB then refuses any other
    connection to the file from the same process.
    """

    database: str

    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(self.database, read_only=read_only, config=duckdb_settings.config())
        try:
            yield con
        finally:
            con.close()


class LakeResource(dg.ConfigurableResource):
    """The Parquet lake the `spark` target reads the raw layer from (yibao.lake)."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


class ExportsFolder(dg.ConfigurableResource):
    """Where the monthly files for the departments go: ``<YYYY-MM>/`` (no raw identifiers) and
    ``restricted/<YYYY-MM>/`` (the poverty office's exchange, with its own IDs)."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


def dbt_executable() -> str:
    """The `dbt` installed beside this Python, so `.venv/bin/yibao run` works without the
    virtual environment on PATH; `dbt` from PATH otherwise (a system-wide install)."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.is_file() else "dbt"


def put_own_dbt_on_path() -> None:
    """Put this Python's scripts folder first on PATH. dagster-dbt's manifest preparation
    (`dbt parse` when the manifest is missing or stale) looks `dbt` up on PATH and takes no
    executable, so without this a fresh clone's `.venv/bin/yibao run` fails there."""
    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = os.pathsep.join([scripts, path]) if path else scripts


def exports_beside(warehouse: str | Path) -> str:
    return str(Path(warehouse).with_name("exports"))


def default_paths() -> dict[str, str]:
    warehouse = os.environ.get("YIBAO_WAREHOUSE", DEFAULT_WAREHOUSE)
    return {
        "landing": os.environ.get("YIBAO_LANDING", DEFAULT_LANDING),
        "warehouse": warehouse,
        "restricted": os.environ.get("YIBAO_RESTRICTED", restricted_beside(warehouse)),
    }


def build_resources(landing: str, warehouse: str, restricted: str) -> dict[str, object]:
    """Resources for these paths. The paths are also exported as the environment variables
    above, because dbt (profiles.yml) reads the same variables: one setting feeds both sides.
    They are made absolute first: dbt runs in the dbt project folder, not the caller's."""
    from .assets.dbt import dbt_project

    landing, warehouse, restricted = (
        str(Path(p).resolve()) for p in (landing, warehouse, restricted)
    )
    for path in (warehouse, restricted):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    from .publish import candidate_beside

    beside = Path(restricted).parent
    os.environ.update(
        {
            "YIBAO_LANDING": landing,
            "YIBAO_WAREHOUSE": warehouse,
            "YIBAO_RESTRICTED": restricted,
            "YIBAO_WAREHOUSE_CANDIDATE": str(candidate_beside(warehouse)),
        }
    )
    for variable, name in _BESIDE_RESTRICTED.items():
        os.environ[variable] = str(Path(_SET_BY_USER[variable] or beside / name).resolve())
    pseudonym.export_for_dbt()
    duckdb_settings.apply_defaults(restricted)
    return {
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        "landing": LandingResource(path=landing),
        "restricted": DuckDBFile(database=restricted),
        "warehouse": DuckDBFile(database=warehouse),
        "lake": LakeResource(path=os.environ["YIBAO_LAKE"]),
        "exports": ExportsFolder(
            path=str(Path(os.environ.get("YIBAO_EXPORTS") or exports_beside(warehouse)).resolve())
        ),
    }
