"""The pipeline benchmark's own parts: its summary prints whatever the run measured, with or
without a reconciliation comparison (``--reconcile none`` ran into a TypeError after a city
run), and ``--discard-landing`` deletes one month's files and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import pipeline as bench_pipeline  # noqa: E402

STAGES = [
    {
        "stage": "first month (full)",
        "seconds": 314.3,
        "peak_rss_gb": 7.03,
        "finished": True,
        "stages": {"ingest": {"seconds": 42.5, "peak_rss_gb": 2.06}},
    },
    {
        "stage": "next month (incremental)",
        "seconds": 12.0,
        "peak_rss_gb": 1.5,
        "finished": False,
        "stopped_in": ["dbt_person_master"],
    },
]


def _result(reconciliation):
    return {
        "tier": "city",
        "months": "2019-11:2019-12",
        "machine": {"cpus": 2},
        "stages": STAGES,
        "reconciliation": reconciliation,
    }


def test_a_run_without_a_comparison_prints_its_stages(capsys):
    bench_pipeline._print(_result(None))
    out = capsys.readouterr().out
    assert "first month (full)" in out and "  ingest" in out
    assert "stopped in dbt_person_master" in out
    assert "not compared" in out


def test_a_comparison_prints_both_ratios(capsys):
    recon = {
        "month": "2019-12",
        "poor_not_enrolled": 4988,
        "counties": 80,
        "pipeline_seconds": 68.8,
        "floor_seconds": 7.5,
        "pipeline_over_floor": 9.17,
        "peer": {"finished": True, "seconds": 236.3},
        "peer_over_pipeline": 3.43,
    }
    bench_pipeline._print(_result(recon))
    out = capsys.readouterr().out
    assert "pipeline/floor 9.17, peer/pipeline 3.43" in out
    assert "peer 236.30 s" in out


def test_discarding_a_month_leaves_the_other_months_and_the_reference(tmp_path):
    for folder in ("2019-11/poverty", "2019-12/poverty", "reference"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "file.csv").write_text("x\n", encoding="utf-8")
    bench_pipeline.discard_month(tmp_path, "2019-11")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2019-12", "reference"]
    with pytest.raises(SystemExit, match="no landing folder"):
        bench_pipeline.discard_month(tmp_path, "2019-11")
