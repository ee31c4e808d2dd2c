"""yibao.seed_changes: a dbt build after a seed edit rebuilds every month."""

from __future__ import annotations

import json
from pathlib import Path

from yibao.seed_changes import RECORD, record_build, seeds_changed, seeds_checksum

ROOT = Path(__file__).resolve().parents[1]


def _seeds(folder: Path, value: str = "0.90") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ref_policy_parameters.csv").write_text(f"rule_id,value\nshare,{value}\n", "utf-8")
    (folder / "code_statuses.csv").write_text("status\n在保\n", "utf-8")
    return folder


def test_a_warehouse_without_a_record_takes_the_seeds_as_they_are(tmp_path):
    assert not seeds_changed(tmp_path / "dbt-target", "warehouse_models", _seeds(tmp_path / "s"))


def test_an_edited_seed_is_seen_by_every_step_until_it_builds(tmp_path):
    target, seeds = tmp_path / "dbt-target", _seeds(tmp_path / "s")
    for step in ("warehouse_models", "person_master_models"):
        record_build(target, step, seeds)
        assert not seeds_changed(target, step, seeds)
    _seeds(seeds, value="0.85")
    assert seeds_changed(target, "warehouse_models", seeds)
    record_build(target, "warehouse_models", seeds)
    assert not seeds_changed(target, "warehouse_models", seeds)
    assert seeds_changed(target, "person_master_models", seeds)  # not built with them yet
    assert not list(target.glob(".*partial"))


def test_the_checksum_covers_names_and_bytes(tmp_path):
    seeds = _seeds(tmp_path / "s")
    before = seeds_checksum(seeds)
    (seeds / "code_statuses.csv").rename(seeds / "code_statuses_renamed.csv")
    renamed = seeds_checksum(seeds)
    (seeds / "code_statuses_renamed.csv").write_text("status\n暂停\n", "utf-8")
    assert len({before, renamed, seeds_checksum(seeds)}) == 3


def test_each_build_records_the_seeds_it_built_with(tiny_pipeline):
    """Wiring: the monthly dbt steps (dagster_project/assets/dbt.py) wrote the record."""
    record = json.loads((tiny_pipeline.complete / "dbt-target" / RECORD).read_text("utf-8"))
    assert record == dict.fromkeys(
        ("person_master_models", "warehouse_models"), seeds_checksum(ROOT / "seeds")
    )
