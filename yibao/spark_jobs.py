"""The Python steps of the `spark` target, each run in a subprocess with its own JVM.

The embedded Derby metastore admits one JVM at a time, and dbt's Spark session lives in the dbt
subprocess; running these steps the same way means no JVM outlives its step, whatever it
cached. `run_spark_job(name, **arguments)` runs ``python -m yibao.spark_jobs`` and returns the
job's JSON result; the job's own output (Spark's log) goes to the caller's stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def run_spark_job(name: str, env: dict[str, str] | None = None, **arguments: str) -> dict[str, Any]:
    """Run job `name` in a subprocess (with environment `env`, else this process's); raise with
    its log tail if it fails."""
    with tempfile.TemporaryDirectory(prefix="yibao-spark-") as folder:
        result = Path(folder) / "result.json"
        command = [sys.executable, "-m", "yibao.spark_jobs", name, "--result", str(result)]
        for key, value in arguments.items():
            command += [f"--{key.replace('_', '-')}", value]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not result.exists():
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise RuntimeError(f"Spark job {name} failed (exit {done.returncode}):\n{tail}")
        return json.loads(result.read_text(encoding="utf-8"))


def _link(args: argparse.Namespace) -> dict[str, Any]:
    from splink.internals.spark.jar_location import similarity_jar_location

    from yibao.linkage.link_spark import link_leftovers_spark
    from yibao.spark_session import get_spark

    spark = get_spark({"spark.jars": similarity_jar_location()})
    summary = link_leftovers_spark(spark, model_json=Path(args.model_json))
    spark.stop()
    return dataclasses.asdict(summary)


def _gate(args: argparse.Namespace) -> list[dict[str, Any]]:
    from yibao.quality.gates import validate_layer_spark
    from yibao.spark_session import get_spark

    spark = get_spark()
    results = validate_layer_spark(args.layer, spark, args.month or None, Path(args.docs_dir))
    spark.stop()
    return [dataclasses.asdict(r) for r in results]


def _export(args: argparse.Namespace) -> dict[str, int]:
    """Every table of a schema as Parquet, one folder per table (for yibao.equality)."""
    from yibao.spark_session import get_spark

    spark = get_spark()
    rows = {}
    for table in spark.catalog.listTables(args.schema):
        frame = spark.table(f"{args.schema}.{table.name}")
        frame.coalesce(1).write.mode("overwrite").parquet(str(Path(args.out) / table.name))
        rows[table.name] = frame.count()
    spark.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yibao.spark_jobs")
    jobs = parser.add_subparsers(dest="job", required=True)
    link = jobs.add_parser("link", help="Splink over the Spark build's leftovers")
    link.add_argument("--model-json", required=True)
    gate = jobs.add_parser("gate", help="a Great Expectations gate on the Spark build")
    gate.add_argument("--layer", required=True)
    gate.add_argument("--month", default="")
    gate.add_argument("--docs-dir", required=True)
    export = jobs.add_parser("export", help="a schema's tables as Parquet")
    export.add_argument("--schema", required=True)
    export.add_argument("--out", required=True)
    for job in (link, gate, export):
        job.add_argument("--result", required=True)
    args = parser.parse_args(argv)
    result = {"link": _link, "gate": _gate, "export": _export}[args.job](args)
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
