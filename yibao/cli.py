"""The `yibao` command: generate synthetic deliveries, run the pipeline, write reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_MONTHS = "2019-07:2020-06"


def _generate(args: argparse.Namespace) -> int:
    from yibao_synth.calendar import parse_months
    from yibao_synth.generate import generate

    report = generate(
        Path(args.out),
        args.tier,
        parse_months(args.months),
        args.seed,
        progress=None if args.quiet else lambda msg: print(f"  … {msg}", file=sys.stderr),
    )
    print(report.summary())
    return 0


def _run(args: argparse.Namespace) -> int:
    from yibao.run import run_pipeline

    return run_pipeline(
        Path(args.landing),
        Path(args.warehouse),
        restricted=Path(args.restricted) if args.restricted else None,
        months=args.month or None,
        verbose=args.verbose,
        step_times=Path(args.step_times) if args.step_times else None,
        full_refresh=args.full_refresh,
    )


def _seeds(args: argparse.Namespace) -> int:
    from yibao.regions import write_region_seed

    path = Path(args.seeds) / "ref_region_codes.csv"
    print(f"{write_region_seed(path):,} region rows written to {path}")
    return 0


def _scan_pii(args: argparse.Namespace) -> int:
    from yibao.pii_scan import scan

    warehouse = Path(args.warehouse)
    restricted = Path(args.restricted or warehouse.with_name("restricted.duckdb"))
    exports = Path(args.exports or warehouse.with_name("exports"))
    reports = Path(args.reports or warehouse.with_name("reports"))
    report = scan(warehouse, exports, restricted, reports=reports)
    print(report)
    for leak in report.leaks:
        print(f"  {leak}")
    return 1 if report.leaks else 0


def _report(args: argparse.Namespace) -> int:
    from yibao.report import write_report

    warehouse = Path(args.warehouse)
    try:
        files = write_report(warehouse, args.month, Path(args.out) if args.out else None)
    except (FileNotFoundError, ValueError) as error:
        print(f"yibao report: {error}", file=sys.stderr)
        return 2
    print(f"{files.sections} sections, {files.figures} charts")
    print(f"page:     {files.html}")
    print(f"workbook: {files.xlsx}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yibao",
        description="Medical-insurance poverty alleviation (医保扶贫) data platform.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write synthetic deliveries of the four departments")
    gen.add_argument("--tier", choices=("tiny", "small", "city", "province"), default="small")
    gen.add_argument(
        "--months",
        default=DEFAULT_MONTHS,
        help=f"YYYY-MM or YYYY-MM:YYYY-MM (default {DEFAULT_MONTHS})",
    )
    gen.add_argument("--seed", type=int, default=20200630)
    gen.add_argument("--out", required=True, help="writes OUT/landing and OUT/truth")
    gen.add_argument("--quiet", action="store_true")
    gen.set_defaults(func=_generate)

    run = sub.add_parser("run", help="load every month of a landing folder and build the warehouse")
    run.add_argument("--landing", required=True)
    run.add_argument("--warehouse", required=True, help="the analyst DuckDB file")
    run.add_argument(
        "--restricted",
        help="the restricted DuckDB file with raw person data "
        "(default: restricted.duckdb beside the warehouse)",
    )
    run.add_argument(
        "--month",
        action="append",
        help="only this delivery month (repeatable); default: every month found",
    )
    run.add_argument("--verbose", action="store_true", help="show Dagster's run log")
    run.add_argument(
        "--step-times", help="write each month's Dagster step durations to this JSON file"
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every month of the incremental models with the first month run, "
        "after a release that changes a model or a seed (docs/architecture.md)",
    )
    run.set_defaults(func=_run)
    pii = sub.add_parser(
        "scan-pii",
        help="look for ID numbers, mobile numbers and delivered names in the analyst warehouse, "
        "the shared exports and the monthly reports; exit status 1 if any is found",
    )
    pii.add_argument("--warehouse", required=True, help="the analyst DuckDB file")
    pii.add_argument("--restricted", help="where the delivered names are (default: beside it)")
    pii.add_argument("--exports", help="the exports folder (default: exports beside it)")
    pii.add_argument("--reports", help="the monthly reports (default: reports beside it)")
    pii.set_defaults(func=_scan_pii)
    report = sub.add_parser(
        "report",
        help="write a month's report (月度报告) as one offline HTML page with charts and as xlsx",
    )
    report.add_argument("--month", required=True, help="the delivery month, YYYY-MM")
    report.add_argument(
        "--warehouse",
        default="data/warehouse.duckdb",
        help="the analyst DuckDB file (default: data/warehouse.duckdb)",
    )
    report.add_argument("--out", help="the reports folder (default: reports beside the warehouse)")
    report.set_defaults(func=_report)
    seeds = sub.add_parser("seeds", help="rewrite the reference seeds derived from packages")
    seeds.add_argument("--seeds", default="seeds", help="the seeds folder (default: seeds)")
    seeds.set_defaults(func=_seeds)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
