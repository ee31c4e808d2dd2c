"""DuckDB's memory limit, spill folder and threads, from the environment, for every connection.

| variable | default | what |
|---|---|---|
| ``YIBAO_DUCKDB_MEMORY_LIMIT`` | ``50%`` | memory (``12GB``, ``50%``); DuckDB spills past it |
| ``YIBAO_DUCKDB_TEMP_DIRECTORY`` | ``duckdb-tmp`` beside the restricted DB | where it spills |
| ``YIBAO_DUCKDB_THREADS`` | the machine's cores | worker threads |

Half the memory, not DuckDB's own 80%: the pipeline's Python readers (pyarrow, fastexcel) and
dbt's process live beside DuckDB, and the province tier must spill rather than be killed. dbt
reads the same variables (``dbt/profiles.yml``); ``apply_defaults`` writes the defaults into the
environment so both sides use one value.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMORY_LIMIT = "YIBAO_DUCKDB_MEMORY_LIMIT"
TEMP_DIRECTORY = "YIBAO_DUCKDB_TEMP_DIRECTORY"
THREADS = "YIBAO_DUCKDB_THREADS"

DEFAULT_MEMORY_LIMIT = "50%"


#: what the user set, read once at import: apply_defaults writes these variables too, and a
#: default it wrote for one restricted database must not stick for the next (the module-level
#: Definitions are built with the default paths before `yibao run` builds its own)
_SET_BY_USER = {name: os.environ.get(name) for name in (MEMORY_LIMIT, TEMP_DIRECTORY, THREADS)}


def apply_defaults(restricted: str | Path) -> None:
    """Write the variables the user did not set: the spill folder beside `restricted`."""
    defaults = {
        MEMORY_LIMIT: DEFAULT_MEMORY_LIMIT,
        TEMP_DIRECTORY: str(Path(restricted).resolve().with_name("duckdb-tmp")),
        THREADS: str(os.cpu_count() or 1),
    }
    for name, default in defaults.items():
        os.environ[name] = _SET_BY_USER[name] or default


def config() -> dict[str, str]:
    """The settings for ``duckdb.connect(config=...)``: only what the environment sets."""
    chosen = {
        "memory_limit": os.environ.get(MEMORY_LIMIT),
        "temp_directory": os.environ.get(TEMP_DIRECTORY),
        "threads": os.environ.get(THREADS),
    }
    return {key: value for key, value in chosen.items() if value}
