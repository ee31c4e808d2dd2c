"""The per-stage timing summary `yibao run` prints at the end: seconds per month and stage.

A stage gathers Dagster steps of one kind (the two dbt builds are one stage, the three
Great Expectations gates another), so the table reads the same on both engines.
"""

from __future__ import annotations

#: step key → stage, by the step key's start; the first match wins
STAGES = (
    ("raw_", "ingest"),
    ("lake_export", "lake"),
    ("warehouse_candidate", "candidate"),
    ("warehouse_models", "dbt"),
    ("person_master_models", "dbt"),
    ("gx_", "gates"),
    ("linkage", "linkage"),
    ("published_warehouse", "publish"),
    ("monthly_exports", "exports"),
    ("monthly_report", "exports"),
    ("working_months_pruned", "retention"),
)
ORDER = (
    "ingest", "lake", "candidate", "dbt", "linkage", "gates", "retention", "publish", "exports",
    "other",
)  # fmt: skip


def stage_of(step_key: str) -> str:
    return next((stage for start, stage in STAGES if step_key.startswith(start)), "other")


def stage_seconds(steps: dict[str, float]) -> dict[str, float]:
    """Seconds per stage from seconds per Dagster step."""
    totals: dict[str, float] = {}
    for step_key, seconds in steps.items():
        stage = stage_of(step_key)
        totals[stage] = totals.get(stage, 0.0) + seconds
    return totals


def format_table(by_month: dict[str, dict[str, float]]) -> str:
    """A table: one row per month, one column per stage that occurred, and the step total."""
    per_month = {month: stage_seconds(steps) for month, steps in by_month.items()}
    stages = [s for s in ORDER if any(s in totals for totals in per_month.values())]
    lines = [f"{'seconds':<10}" + "".join(f"{s:>10}" for s in stages) + f"{'steps':>10}"]
    for month, totals in per_month.items():
        cells = "".join(f"{totals.get(s, 0.0):>10.1f}" for s in stages)
        lines.append(f"{month:<10}{cells}{sum(totals.values()):>10.1f}")
    return "\n".join(lines)
