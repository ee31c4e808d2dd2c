"""yibao.build_inputs: a dbt build after a seed edit or a new pseudonym secret rebuilds
every month."""

from __future__ import annotations

import json
from pathlib import Path

from yibao.build_inputs import (
    RECORD,
    inputs_changed,
    inputs_checksum,
    month_needs_full_refresh,
    record_build,
)

STEPS = ("warehouse_models", "person_master_models")

ROOT = Path(__file__).resolve().parents[1]


def _seeds(folder: Path, value: str = "0.90") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ref_policy_parameters.csv").write_text(f"rule_id,value\nshare,{value}\n", "utf-8")
    (folder / "code_statuses.csv").write_text("status\n在保\n", "utf-8")
    return folder


def test_a_warehouse_without_a_record_takes_the_seeds_as_they_are(tmp_path):
    seeds = _seeds(tmp_path / "s")
    assert not inputs_changed(tmp_path / "dbt-target", "warehouse_models", inputs_checksum(seeds))


def test_an_edited_seed_is_seen_by_every_step_until_it_builds(tmp_path):
    target, seeds = tmp_path / "dbt-target", _seeds(tmp_path / "s")
    for step in ("warehouse_models", "person_master_models"):
        record_build(target, step, inputs_checksum(seeds))
        assert not inputs_changed(target, step, inputs_checksum(seeds))
    _seeds(seeds, value="0.85")
    assert inputs_changed(target, "warehouse_models", inputs_checksum(seeds))
    record_build(target, "warehouse_models", inputs_checksum(seeds))
    assert not inputs_changed(target, "warehouse_models", inputs_checksum(seeds))
    # the other step has not built with them yet, so neither step builds incrementally: a
    # re-run after a kill between the two would otherwise prune what the second step reads
    assert inputs_changed(target, "person_master_models", inputs_checksum(seeds))
    assert month_needs_full_refresh(target, STEPS, inputs_checksum(seeds))
    record_build(target, "person_master_models", inputs_checksum(seeds))
    assert not month_needs_full_refresh(target, STEPS, inputs_checksum(seeds))
    assert not list(target.glob(".*partial"))


def test_a_new_pseudonym_secret_changes_the_inputs(tmp_path, monkeypatch):
    target, seeds = tmp_path / "dbt-target", _seeds(tmp_path / "s")
    monkeypatch.setenv("YIBAO_PSEUDONYM_SECRET", "first secret")
    record_build(target, "person_master_models", inputs_checksum(seeds))
    assert not inputs_changed(target, "person_master_models", inputs_checksum(seeds))
    monkeypatch.setenv("YIBAO_PSEUDONYM_SECRET", "rotated secret")
    assert inputs_changed(target, "person_master_models", inputs_checksum(seeds))
    assert "secret" not in (target / RECORD).read_text("utf-8")


def test_the_checksum_covers_names_and_bytes(tmp_path):
    seeds = _seeds(tmp_path / "s")
    before = inputs_checksum(seeds)
    (seeds / "code_statuses.csv").rename(seeds / "code_statuses_renamed.csv")
    renamed = inputs_checksum(seeds)
    (seeds / "code_statuses_renamed.csv").write_text("status\n暂停\n", "utf-8")
    assert len({before, renamed, inputs_checksum(seeds)}) == 3


def test_each_build_records_the_inputs_it_built_with(tiny_pipeline, monkeypatch):
    """Wiring: the monthly dbt steps (dagster_project/assets/dbt.py) wrote the record. The tiny
    pipeline runs without YIBAO_ variables, so with the development secret."""
    monkeypatch.delenv("YIBAO_PSEUDONYM_SECRET", raising=False)
    record = json.loads((tiny_pipeline.complete / "dbt-target" / RECORD).read_text("utf-8"))
    assert record == dict.fromkeys(
        ("person_master_models", "warehouse_models"), inputs_checksum(ROOT / "seeds")
    )
