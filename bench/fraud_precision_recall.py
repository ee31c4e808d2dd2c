"""Precision and recall of the fraud flags (fct_fraud_flag) against a generated tier's truth.

    uv run python bench/fraud_precision_recall.py --out /tmp/small --warehouse W/warehouse.duckdb

`--out` is the generator's output folder (its truth/ holds the cases and decoys), the
warehouse one built from its landing/. Prints a table per rule and writes
bench/results/fraud_precision_recall_<tier>.json. The goal is 0.95 for each.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yibao_synth.evaluate import score, truth_rows  # noqa: E402


def flags(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""select rule_id, delivery_month, institution_code, source_file,
            source_row_number from marts.fct_fraud_flag""").fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the generator's output folder")
    parser.add_argument("--warehouse", type=Path, required=True)
    args = parser.parse_args()
    manifest = json.loads((args.out / "truth" / "manifest.json").read_text(encoding="utf-8"))
    truth = truth_rows(args.out / "truth", manifest["months"])
    scores = score(flags(args.warehouse), truth)
    decoys = sum(1 for r in truth if r["grp"] == "fraud_decoy")
    print(f"tier {manifest['tier']}, months {manifest['months'][0]}..{manifest['months'][-1]}, "
          f"{decoys} decoys")
    print(f"{'rule':<28}{'flags':>7}{'cases':>7}{'TP':>6}{'decoys hit':>12}"
          f"{'precision':>11}{'recall':>8}")
    for s in scores.values():
        print(f"{s.rule:<28}{s.flags:>7}{s.cases:>7}{s.true_positives:>6}{s.decoys_flagged:>12}"
              f"{s.precision:>11.4f}{s.recall:>8.4f}")
    result = {"tier": manifest["tier"], "seed": manifest["seed"], "months": manifest["months"],
              "decoys": decoys, "rules": [s.as_dict() for s in scores.values()]}
    path = ROOT / "bench" / "results" / f"fraud_precision_recall_{manifest['tier']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
