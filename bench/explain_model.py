"""Which operators a dbt model's query spends its time in, on a built warehouse (DuckDB).

    uv run python bench/explain_model.py data int_id_anomalies [--top 12] [--json out.json]

Runs the model's compiled query (as the last build compiled it: ``dbt-target/compiled/…``, with
that build's months) into a temporary table, with DuckDB's JSON profiling on, on the warehouse
folder's databases opened read-only. It prints the query's time, peak buffer memory and peak
spill, and the heaviest operators: their own seconds (not counting their children), the rows
they produced and what they are (join keys, aggregates, the table scanned). Nothing is written
to the warehouse. The DuckDB limits of the environment apply (``yibao/duckdb_settings.py``), so
a query that spilled in the build spills here too.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import duckdb

from yibao import duckdb_settings


def compiled_sql(folder: Path, model: str) -> str:
    found = sorted((folder / "dbt-target" / "compiled").rglob(f"{model}.sql"))
    if not found:
        raise SystemExit(f"no compiled SQL for {model} under {folder / 'dbt-target'}")
    return found[0].read_text(encoding="utf-8")


def _operators(node: dict, depth: int = 0):
    """Every operator of DuckDB 2.0's JSON profile, depth first, with its own timing."""
    extra = node.get("extra_info") or {}
    details = "; ".join(
        f"{key}: {' '.join(value) if isinstance(value, list) else value}"
        for key, value in extra.items()
        if key != "Estimated Cardinality"
    )
    yield {
        "operator": node.get("type", "?"),
        "seconds": round(float(node.get("timing", 0.0)), 3),
        "rows": int(node.get("intermediate_rows", 0)),
        "depth": depth,
        "details": details[:160],
    }
    for child in node.get("children", []):
        yield from _operators(child, depth + 1)


def profile(folder: Path, model: str) -> dict:
    """Run the model's query once, into a temporary table (what a build computes, without the
    write to the database file), with DuckDB's JSON profiling on."""
    sql = compiled_sql(folder, model)
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "profile.json"
        con = duckdb.connect(
            str(folder / "restricted.duckdb"), read_only=True, config=duckdb_settings.config()
        )
        try:
            for name in ("warehouse.candidate.duckdb", "warehouse.duckdb"):
                if (folder / name).exists():
                    con.execute(f"attach '{folder / name}' as analyst (read_only)")
                    break
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{output}'")
            con.execute(f"create temporary table model_rows as {sql}")
            con.execute("pragma disable_profiling")
        finally:
            con.close()
        tree = json.loads(output.read_text(encoding="utf-8"))
    return {
        "model": model,
        "seconds": round(float(tree["query"]["total_time"]), 2),
        "cpu_seconds": round(float(tree["query"]["cpu_time"]), 2),
        "peak_buffer_memory_gb": round(tree["system"]["peak_buffer_memory"] / 1e9, 2),
        "peak_temp_dir_gb": round(tree["system"]["peak_temp_dir_size"] / 1e9, 2),
        "operators": [op for root in tree["operator"] for op in _operators(root)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the warehouse folder (restricted.duckdb)")
    parser.add_argument("model")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the whole profile here")
    args = parser.parse_args()
    found = profile(args.folder, args.model)
    print(
        f"{found['model']}: {found['seconds']:.2f} s ({found['cpu_seconds']:.2f} s of CPU), "
        f"peak buffer {found['peak_buffer_memory_gb']:.2f} GB, "
        f"peak spill {found['peak_temp_dir_gb']:.2f} GB"
    )
    print(f"{'seconds':>8} {'rows':>13}  operator")
    for op in sorted(found["operators"], key=lambda o: -o["seconds"])[: args.top]:
        print(f"{op['seconds']:>8.2f} {op['rows']:>13,}  {op['operator']}  {op['details']}")
    if args.json:
        args.json.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
