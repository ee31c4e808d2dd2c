"""Where a month's dbt time went: every `dbt build` of the monthly runs, from the run results the
pipeline keeps per month and step (``dbt-target/run_results/<month>_<step>.json``).

    uv run python bench/dbt_profile.py data/dbt-target [--top 15] [--json out.json]

For each build: its wall time, the seconds its models and its data tests took (summed over
dbt's threads, so they can exceed the wall time), how many of each, and the heaviest models and
tests. A model's time includes its pre-hook (the incremental delete).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def builds(target: Path) -> list[Path]:
    """The kept run results, oldest first; else the last build's run_results.json."""
    kept = sorted((target / "run_results").glob("*.json"), key=lambda p: p.stat().st_mtime)
    return kept or [target / "run_results.json"]


def profile(path: Path, top: int) -> dict:
    results = json.loads(path.read_text(encoding="utf-8"))
    nodes = [
        {
            # <kind>.<project>.<name>[.<hash> for tests]
            "name": r["unique_id"].split(".")[2],
            "kind": r["unique_id"].split(".")[0],
            "seconds": round(r["execution_time"], 2),
            "status": r["status"],
        }
        for r in results["results"]
    ]
    by_kind = {
        kind: [n for n in nodes if n["kind"] == kind] for kind in ("model", "test", "operation")
    }
    return {
        "build": path.stem,
        "wall_seconds": round(results["elapsed_time"], 1),
        **{
            f"{kind}s": {"count": len(found), "seconds": round(sum(n["seconds"] for n in found), 1)}
            for kind, found in by_kind.items()
        },
        "heaviest_models": sorted(by_kind["model"], key=lambda n: -n["seconds"])[:top],
        "heaviest_tests": sorted(by_kind["test"], key=lambda n: -n["seconds"])[:top],
    }


def _print(found: dict) -> None:
    models, tests = found["models"], found["tests"]
    print(f"{found['build']}: {found['wall_seconds']:.1f} s wall; "
          f"{models['count']} models {models['seconds']:.1f} s, "
          f"{tests['count']} tests {tests['seconds']:.1f} s")  # fmt: skip
    for label, key in (("model", "heaviest_models"), ("test", "heaviest_tests")):
        for node in found[key]:
            print(f"  {label:<6}{node['seconds']:>9.2f}  {node['name']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="a warehouse's dbt-target folder")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    found = [profile(path, args.top) for path in builds(args.target)]
    for build in found:
        _print(build)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
