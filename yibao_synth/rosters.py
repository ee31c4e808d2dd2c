"""The poverty office's xlsx rosters, written on every core for large tiers."""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

import pyarrow as pa

from yibao.contracts import POVERTY_ROSTER_REGION_GROUP

from .xlsx_writer import write_roster_xlsx

PARALLEL_ABOVE_ROWS = 200_000
_JOBS: list[tuple[Path, str, str, pa.Table]] = []


def _title(county_name: str, month: str) -> str:
    return f"{county_name}{POVERTY_TITLE}（{int(month[:4])}年{int(month[5:])}月）"


POVERTY_TITLE = "建档立卡贫困人口花名册"


def _write(i: int) -> None:
    path, county_name, month, table = _JOBS[i]
    group, leaves = POVERTY_ROSTER_REGION_GROUP
    write_roster_xlsx(
        path,
        title=_title(county_name, month),
        export_time=f"导出时间：{month}-03 09:12:44",
        columns=table.column_names,
        groups={group: list(leaves)},
        data=table,
    )


def write_rosters(jobs: list[tuple[Path, str, str, pa.Table]]) -> None:
    """Write (path, county name, month, contract-column table) jobs; forked workers share the
    tables copy-on-write, so nothing is pickled."""
    global _JOBS
    _JOBS = jobs
    try:
        rows = sum(j[3].num_rows for j in jobs)
        workers = min(os.cpu_count() or 1, 2)
        if rows < PARALLEL_ABOVE_ROWS or workers == 1:
            for i in range(len(jobs)):
                _write(i)
            return
        with mp.get_context("fork").Pool(workers) as pool:
            pool.map(_write, range(len(jobs)), chunksize=1)
    finally:
        _JOBS = []
