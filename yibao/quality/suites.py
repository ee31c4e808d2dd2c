"""The suite files under `expectations/` and a gate's result per table, without importing Great
Expectations (Dagster's definitions need them at import time; GX itself loads only when a gate
runs, see gates.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
LAYERS = ("raw", "staging", "marts")


@dataclass
class TableResult:
    suite: str
    table: str
    evaluated: int
    failed_critical: list[str] = field(default_factory=list)
    failed_other: list[str] = field(default_factory=list)
    #: where the rows a failed critical expectation rejects were delivered (yibao.quality
    #: .failing_rows): '<file> rows 3, 17 (12 rows)'
    rejected_files: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failed_critical


def load_suites(layer: str, folder: Path = EXPECTATIONS_DIR) -> list[dict]:
    """The suite files of a layer, as dicts, in name order."""
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / layer).glob("*.json"))
    ]
