"""Write-audit-publish for the analyst warehouse.

Analysts read ``warehouse.duckdb`` while the pipeline runs, and DuckDB lets one process write a
file at a time, so the pipeline never writes the published file:

1. **write**: the published file is copied to a candidate (``warehouse.candidate.duckdb``) and
   the month is built into the candidate (audit tables here, marts by dbt);
2. **audit**: dbt tests and the Great Expectations gates run on the candidate;
3. **publish**: the candidate is checkpointed and renamed over the published file. The rename is
   atomic: a reader that opened the file before keeps the previous complete state (its open
   file), and a reader that opens it after sees the new one. Nothing in between exists.

A failed gate leaves the candidate unpublished; the next run starts from a fresh copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from yibao.crashpoints import crash_point
from yibao.ingest.audit import AUDIT_TABLE_NAMES, audit_query


def candidate_beside(warehouse: str | Path) -> Path:
    path = Path(warehouse)
    return path.with_name(path.stem + ".candidate" + path.suffix)


def open_candidate(warehouse: Path, restricted: Path) -> Path:
    """Start the month's candidate from the published state, with the load audit (counts
    only, never a delivered value) copied from the restricted database."""
    candidate = candidate_beside(warehouse)
    for leftover in (candidate, Path(str(candidate) + ".wal")):
        leftover.unlink(missing_ok=True)
    if warehouse.exists():
        shutil.copyfile(warehouse, candidate)
        crash_point("candidate.copied")
    with duckdb.connect(str(candidate)) as con:
        con.execute(f"attach '{restricted}' as restricted (read_only)")
        con.execute("begin")
        con.execute("create schema if not exists audit")
        for name in AUDIT_TABLE_NAMES:
            query = audit_query(name, "restricted.raw")
            con.execute(f"create or replace table audit.{name} as {query}")
            crash_point("candidate.audit")
        con.execute("commit")
        con.execute("detach restricted")
    return candidate


def publish(warehouse: Path) -> Path:
    """Make the candidate the published warehouse, atomically."""
    candidate = candidate_beside(warehouse)
    if not candidate.exists():
        raise FileNotFoundError(f"no candidate warehouse at {candidate}")
    with duckdb.connect(str(candidate)) as con:
        con.execute("checkpoint")
    crash_point("publish.checkpointed")
    os.replace(candidate, warehouse)
    crash_point("publish.renamed")
    return warehouse
