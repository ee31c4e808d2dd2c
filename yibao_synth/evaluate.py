"""Precision and recall of the fraud flags against the generator's ground truth.

A flag is a settlement (its file and row) or an institution and month, under a rule. Per rule:
true positives are flags on a case of that rule, false positives every other flag of the rule,
false negatives the cases it missed. Decoys are legitimate care made to look like a case; a
flag on one, by any rule, is counted against that rule as `decoys_flagged` (and is also a
false positive).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

# (rule_id, delivery_month, institution_code, source_file, source_row_number)
Flag = tuple[str, str, str | None, str | None, int | None]


@dataclass
class RuleScore:
    rule: str
    flags: int
    cases: int
    true_positives: int
    decoys_flagged: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.flags if self.flags else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.cases if self.cases else 1.0

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4)}


def _key(kind_or_rule: str, month: str, institution: str | None, file: str | None,
         row: int | None) -> tuple:
    return (kind_or_rule, file, row) if file else (kind_or_rule, institution, month)


def truth_rows(truth_dir: Path, months: Iterable[str]) -> list[dict[str, str]]:
    rows = []
    for month in months:
        with (truth_dir / month / "problems.csv").open(encoding="utf-8", newline="") as f:
            rows += [r for r in csv.DictReader(f) if r["grp"] in ("fraud", "fraud_decoy")]
    return rows


def score(flags: Iterable[Flag], truth: list[dict[str, str]]) -> dict[str, RuleScore]:
    """Per rule of the truth and of the flags, the counts above."""
    cases, decoys = set(), set()
    for r in truth:
        where = (r["delivered_value"] if r["column_name"] == "institution" else None,
                 r["source_file"] or None, int(r["row_number"]) if r["row_number"] else None)
        if r["grp"] == "fraud":
            cases.add(_key(r["kind"], r["detail"], *where))
        else:
            decoys.add(_key("", r["detail"], *where)[1:])
    rules = {c[0] for c in cases}
    flags = list(flags)
    rules |= {f[0] for f in flags}
    out = {}
    for rule in sorted(rules):
        mine = {_key(*f) for f in flags if f[0] == rule}
        expected = {c for c in cases if c[0] == rule}
        out[rule] = RuleScore(rule, len(mine), len(expected), len(mine & expected),
                              sum(1 for f in mine if f[1:] in decoys))
    return out
