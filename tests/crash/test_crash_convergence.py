"""Crash convergence (issue 9, part 3): the pipeline is killed with SIGKILL at 20 points of a
month's build, then run again, and ends exactly where an uninterrupted run ends.

Each kill happens at a named crash point (yibao.crashpoints) inside the real `yibao run`
process, which takes its dbt subprocess along: during ingestion (a file staged, inside the raw
transaction, just after its commit), while the candidate warehouse is made, between dbt models
and tests, after each Great Expectations gate has validated, while the linkage model is
written, around the publishing rename, and while exports are half written or being swapped in.

Two chains of ten kills, run side by side (one per core), each ending in one uninterrupted run:
- the first load of 2019-12 over a warehouse that holds 2019-11;
- a re-run of 2019-12 over the complete warehouse, where the raw month, the published file and
  the export folders already exist and are being replaced.
Each restart begins where the last kill left the files, so later kills also test recovery from
the damage of earlier ones.

After every kill, analysts still see a whole month: the published warehouse is the previous
month's until the rename and the new month's after it, and an export folder is either absent or
complete. After the final run the warehouse, the raw and intermediate layers and every export
file equal the uninterrupted run's, and nothing is left behind (no candidate, WAL, partial file
or half-swapped folder).

Time budget: two chains of eleven short runs of the tiny tier, about 7 minutes on 2 cores.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from tiny_pipeline import copy_data, leftovers, run_month, state

pytestmark = [pytest.mark.slow, pytest.mark.crash, pytest.mark.timeout(1200)]

#: The first load of the second month: (crash point, is the new month published by then).
FIRST_LOAD = [
    ("ingest.staged#1", False),
    ("ingest.inserted#4", False),
    ("gate.raw.validated", False),
    ("candidate.audit#1", False),
    ("dbt.warehouse_models#1", False),
    ("dbt.warehouse_models#90", False),
    ("linkage.model_written", False),
    ("dbt.person_master_models#120", False),
    ("publish.checkpointed", False),
    ("export.file_written#1", True),
]

#: A re-run of the same month over the complete warehouse.
RERUN = [
    ("ingest.inserted#9", True),
    ("ingest.committed", True),
    ("candidate.copied", True),
    ("dbt.warehouse_models#150", True),
    ("gate.staging.validated", True),
    ("dbt.person_master_models#40", True),
    ("gate.marts.validated", True),
    ("publish.renamed", True),
    ("export.folder_written#1", True),
    ("export.old_moved_aside#2", True),
]


@pytest.fixture(scope="module")
def uninterrupted(tiny_pipeline):
    return state(tiny_pipeline.complete)


def _folders(exports: dict[str, str]) -> dict[str, dict[str, str]]:
    by_folder: dict[str, dict[str, str]] = {}
    for name, digest in exports.items():
        folder, _, file = name.rpartition("/")
        by_folder.setdefault(folder, {})[file] = digest
    return by_folder


def _check_visible(data, expected) -> None:
    """What analysts and departments can see after a kill: whole months only. The published
    warehouse is one complete state, and each export folder is absent or complete."""
    now = state(data)
    assert now.published == expected.published
    want = _folders(expected.exports)
    for folder, files in _folders(now.exports).items():
        assert files == want[folder], folder


def _chain(tiny_pipeline, start, data, points, before, after):
    """Kill a run of the second month at each point in turn, then run it through; return the
    final state."""
    landing, month = tiny_pipeline.landing, tiny_pipeline.months[1]
    copy_data(start, data)
    for point, published in points:
        died = run_month(landing, data, month, crash_at=point)
        assert died.returncode == -9, (point, died.returncode, died.stderr[-2000:])
        _check_visible(data, after if published else before)
    done = run_month(landing, data, month)
    assert done.returncode == 0, done.stderr[-3000:]
    return state(data), leftovers(data)


def test_twenty_kills_converge_to_the_uninterrupted_run(tiny_pipeline, uninterrupted, tmp_path):
    before = state(tiny_pipeline.after_first)
    chains = {
        "first load": (tiny_pipeline.after_first, FIRST_LOAD, before),
        "rerun": (tiny_pipeline.complete, RERUN, uninterrupted),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {
            name: pool.submit(_chain, tiny_pipeline, start, tmp_path / name.replace(" ", "_"),
                              points, visible_before, uninterrupted)
            for name, (start, points, visible_before) in chains.items()
        }  # fmt: skip
        ended = {name: future.result() for name, future in running.items()}
    for name, (final, left) in ended.items():
        assert final == uninterrupted, name
        assert left == [], name


def test_twenty_distinct_points_in_every_phase():
    points = [p for p, _ in FIRST_LOAD + RERUN]
    assert len(points) == len(set(points)) == 20
    phases = {p.split(".")[0] for p in points}
    assert phases == {"ingest", "candidate", "dbt", "gate", "linkage", "publish", "export"}
