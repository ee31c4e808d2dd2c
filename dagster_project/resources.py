"""Resources, configured from environment variables that default to the embedded setup.

| variable | default | what |
|---|---|---|
| ``YIBAO_LANDING`` | ``data/landing`` | the departments' deliveries |
| ``YIBAO_WAREHOUSE`` | ``data/warehouse.duckdb`` | the analyst warehouse |
| ``YIBAO_RESTRICTED`` | ``restricted.duckdb`` beside the warehouse | raw person-level data |
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

DEFAULT_LANDING = "data/landing"
DEFAULT_WAREHOUSE = "data/warehouse.duckdb"


def restricted_beside(warehouse: str | Path) -> str:
    return str(Path(warehouse).with_name("restricted.duckdb"))


class LandingResource(dg.ConfigurableResource):
    """The landing folder: landing/<YYYY-MM>/<department>/<file> and landing/reference/."""

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)


def default_paths() -> dict[str, str]:
    warehouse = os.environ.get("YIBAO_WAREHOUSE", DEFAULT_WAREHOUSE)
    return {
        "landing": os.environ.get("YIBAO_LANDING", DEFAULT_LANDING),
        "warehouse": warehouse,
        "restricted": os.environ.get("YIBAO_RESTRICTED", restricted_beside(warehouse)),
    }


def build_resources(landing: str, warehouse: str, restricted: str) -> dict[str, object]:
    for path in (warehouse, restricted):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {
        "landing": LandingResource(path=landing),
        "restricted": DuckDBResource(database=restricted),
        "warehouse": DuckDBResource(database=warehouse),
    }
