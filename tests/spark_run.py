"""The Spark build of the first small month, started as early as possible.

It is a process of its own (`yibao run` with YIBAO_DBT_TARGET=spark; the engine is chosen when
Dagster's definitions are imported), so it can run while this process builds the DuckDB
small-tier pipeline: tests/conftest.py starts it as soon as the small tier is generated, when
the session includes the Spark suite, and tests/test_spark_equality.py waits for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_started: dict[str, tuple[Path, subprocess.Popen]] = {}


def spark_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        YIBAO_DBT_TARGET="spark",
        YIBAO_LAKE=str(folder / "lake"),
        YIBAO_SPARK_WAREHOUSE=str(folder / "spark-warehouse"),
        YIBAO_SPARK_METASTORE=str(folder / "spark-metastore"),
    )
    return env


def start(landing: Path, month: str, folder: Path) -> None:
    """Start `yibao run` of `month` on Spark into `folder`; its output goes to run.log."""
    command = [
        sys.executable, "-m", "yibao.cli", "run", "--landing", str(landing),
        "--warehouse", str(folder / "warehouse.duckdb"), "--month", month,
    ]  # fmt: skip
    log = (folder / "run.log").open("w", encoding="utf-8")
    process = subprocess.Popen(command, env=spark_env(folder), stdout=log, stderr=log)
    _started["spark"] = (folder, process)


def wait(timeout: int = 1500) -> tuple[Path, int] | None:
    """The folder and exit status of the started build, once it has finished; None if none was
    started."""
    if "spark" not in _started:
        return None
    folder, process = _started.pop("spark")
    return folder, process.wait(timeout=timeout)


def stop() -> None:
    """End a started build nobody waited for (the session stopped early)."""
    if "spark" in _started:
        _, process = _started.pop("spark")
        process.kill()
        process.wait()
