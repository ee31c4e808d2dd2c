"""The tiny tier through `yibao run`, one month per process, and what a run leaves behind.

Shared by the rerun tests (tests/test_reruns.py), the crash-convergence tests (tests/crash/) and
the bad-input corpus's warehouse check. A data folder holds what `yibao run --warehouse
<folder>/warehouse.duckdb` writes: the two databases, exports/, data_docs/, dbt-target/ and the
linkage model.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from yibao.crashpoints import VARIABLE
from yibao.fingerprint import Fingerprint, fingerprints

#: What a finished run must not leave in its data folder (name patterns, searched recursively).
LEFTOVER_PATTERNS = ("*.candidate.*", "*.wal", "*.partial", ".*.old", "*.tmp")


def run_month(
    landing: Path,
    data: Path,
    month: str,
    crash_at: str | None = None,
    timeout: int = 600,
    options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """`yibao run` of one month in a process (and process group) of its own; with `crash_at`
    it kills itself at that crash point (yibao.crashpoints). `options` go on its command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
    env["YIBAO_DBT_TARGET"] = "duckdb"
    if crash_at:
        env[VARIABLE] = crash_at
    command = [
        sys.executable, "-m", "yibao.cli", "run", "--landing", str(landing),
        "--warehouse", str(data / "warehouse.duckdb"), "--month", month, *options,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if process.returncode is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        _wait_until_gone(process.pid)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _wait_until_gone(group: int, seconds: float = 60.0) -> None:
    """Wait until no live process of the process group is left. After a SIGKILL of the group
    the parent is reaped first; a child (dbt) may still be exiting and holding the database's
    lock for a moment. Zombies hold no lock and are not waited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_live_in_group(stat, group) for stat in Path("/proc").glob("[0-9]*/stat")):
            return
        time.sleep(0.05)
    raise TimeoutError(f"process group {group} still has live processes after {seconds} s")


def _live_in_group(stat: Path, group: int) -> bool:
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False  # the process ended while we looked
    state, process_group = fields[0], int(fields[2])
    return process_group == group and state not in ("Z", "X")


def copy_data(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target


@dataclass(frozen=True)
class State:
    """Everything a run is judged by: the content of every analyst table, of the raw and
    intermediate layers, and the bytes of every export file."""

    published: dict[str, Fingerprint]
    restricted: dict[str, Fingerprint]
    exports: dict[str, str]


def export_hashes(exports: Path) -> dict[str, str]:
    """SHA-256 of every file a department can be given: not the hidden work folders
    (``.<month>.partial``, ``.<month>.old``) nor half-written files."""
    if not exports.exists():
        return {}
    return {
        str(p.relative_to(exports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(exports.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(exports).parts)
    }


#: The linkage's work lists of the last run: which months it linked and their candidates. They
#: name the months a run built, so a re-run of an old month or a full refresh lists more.
RUN_WORK_LISTS = {"intermediate.int_linkage_months", "intermediate.int_linkage_candidates"}


def _fingerprints_when_free(database: Path, schemas: tuple[str, ...], seconds: float = 30.0):
    """Fingerprints of `database`, waiting up to `seconds` while another process still holds
    its lock. Seen in the crash suite's parallel chains right after a kill (once in three
    runs, not reproduced with the chains run one by one): the holder had exited by the time it
    was looked up. A lock held longer fails the test with DuckDB's message naming the PID."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return fingerprints(database, schemas)
        except duckdb.IOException as error:
            if "Conflicting lock" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def state(data: Path) -> State:
    warehouse = data / "warehouse.duckdb"
    restricted = _fingerprints_when_free(
        data / "restricted.duckdb", ("raw", "intermediate", "linkage")
    )
    published = _fingerprints_when_free(warehouse, ("audit", "marts")) if warehouse.exists() else {}
    return State(
        published=published,
        restricted={k: v for k, v in restricted.items() if k not in RUN_WORK_LISTS},
        exports=export_hashes(data / "exports"),
    )


def leftovers(data: Path) -> list[str]:
    """Files and folders a finished run should not have left."""
    found = {p for pattern in LEFTOVER_PATTERNS for p in data.rglob(pattern)}
    return sorted(str(p.relative_to(data)) for p in found)


def built_sql(data: Path, model: str) -> str:
    """The SELECT dbt last compiled for an intermediate `model` in this data folder."""
    run = data / "dbt-target" / "compiled" / "yibao" / "models" / "intermediate"
    (path,) = run.rglob(f"{model}.sql")
    return path.read_text(encoding="utf-8")
