"""Session fixtures: one small generated tier, shared by every suite that needs real deliveries.

Three months cover the premium season (2019-11, 2019-12), a corrected civil-affairs file (the
second month), a duplicate tax delivery (the third month) and the start of an insured year
(2020-01), where paid-but-not-enrolled findings appear.
"""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from yibao.run import run_pipeline
from yibao_synth.calendar import parse_months
from yibao_synth.generate import Report, generate

SMALL_MONTHS = "2019-11:2020-01"
SEED = 20200630


_WANTS_SPARK = pytest.StashKey[bool]()


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config.stash[_WANTS_SPARK] = any(i.get_closest_marker("spark") for i in session.items)


@pytest.fixture(scope="session")
def small_tier(request, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The small tier. When the session includes the Spark suite, its Spark build starts here,
    in a process of its own, and runs while this process builds the DuckDB pipeline
    (tests/spark_run.py)."""
    out = tmp_path_factory.mktemp("small")
    report = generate(out, "small", parse_months(SMALL_MONTHS), SEED)
    if request.config.stash.get(_WANTS_SPARK, False):
        import spark_run

        spark_run.start(out / "landing", report.months[0], tmp_path_factory.mktemp("spark"))
        request.addfinalizer(spark_run.stop)
    return report


@pytest.fixture(scope="session")
def small_landing(small_tier: Report) -> Path:
    return small_tier.out / "landing"


@pytest.fixture(scope="session")
def small_warehouse(small_tier, tmp_path_factory) -> Path:
    """The pipeline over the small tier, run as in production: month by month. Copies of the
    published warehouse after the first and the second month are kept as
    `after_one_month.duckdb` (the Spark build is compared with it) and `after_two_months.duckdb`
    (to compare a month's state with the next one's)."""
    folder = tmp_path_factory.mktemp("warehouse")
    landing, warehouse = small_tier.out / "landing", folder / "warehouse.duckdb"
    out = io.StringIO()
    assert run_pipeline(landing, warehouse, months=small_tier.months[:1], out=out) == 0
    shutil.copyfile(warehouse, folder / "after_one_month.duckdb")
    assert run_pipeline(landing, warehouse, months=small_tier.months[1:2], out=out) == 0
    shutil.copyfile(warehouse, folder / "after_two_months.duckdb")
    assert run_pipeline(landing, warehouse, months=small_tier.months[2:], out=out) == 0
    assert "warehouse (analysts)" in out.getvalue()
    return folder


@dataclass(frozen=True)
class TinyPipeline:
    """The tiny tier (2019-11 and 2019-12, seed 7) with the bad-input corpus's unknown township
    in its second month, run by `yibao run` one month per process: the data folder after the
    first month (`after_first`) and after both (`complete`). Copy them before writing."""

    landing: Path
    months: tuple[str, str]
    after_first: Path
    complete: Path


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory) -> TinyPipeline:
    sys.path.insert(0, str(Path(__file__).parent / "faults"))
    from corpus import CASES
    from make_corpus import generate_base, write_case
    from tiny_pipeline import copy_data, run_month

    folder = tmp_path_factory.mktemp("tiny")
    township = next(c for c in CASES if c.name == "civil_unknown_township")
    landing = write_case(generate_base(folder / "clean"), township, folder / "case")
    first, second = sorted(p.name for p in landing.iterdir() if p.name[:2] == "20")
    data = folder / "data"
    for month, keep in ((first, folder / "after_first"), (second, folder / "complete")):
        done = run_month(landing, data, month)
        assert done.returncode == 0, done.stderr[-3000:]
        copy_data(data, keep)
    return TinyPipeline(landing, (first, second), folder / "after_first", folder / "complete")
