"""Generate every source file of SOURCE_CONTRACTS.md for a tier and a range of months.

    out/landing/<YYYY-MM>/<department>/<file>
    out/landing/reference/population_<YYYY>.csv
    out/truth/<YYYY-MM>/problems.csv       every injected problem with its file and row
    out/truth/<YYYY-MM>/records.parquet    the true person behind every person-bearing row
    out/truth/persons.parquet              the true persons
    out/truth/manifest.json                tier, seed, months, counts by kind

The same seed gives byte-identical files.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from yibao import contracts as C

from . import care, delivered, monthly, payments, problems, truth
from .calendar import yyyymm
from .people import build_population
from .rosters import write_rosters
from .tiers import TIERS, tier_counties
from .world import build_world
from .worlddb import world_connection
from .writers import csv_bytes, write_csv, write_parquet

CSV_KINDS = {"assistance_roster": "civil_affairs", "premium_payments": "tax"}


@dataclass
class Report:
    out: Path
    tier: str
    seed: int
    months: list[str]
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"generated tier {self.tier}, seed {self.seed}, months "
            f"{self.months[0]}..{self.months[-1]}: {self.files} files in {self.seconds:.1f} s",
            f"  landing: {self.out / 'landing'}",
            f"  truth:   {self.out / 'truth'}",
        ]
        lines += [f"  {k:<24} {v:>12,} rows" for k, v in self.rows.items()]
        lines.append(
            "  injected problems (all months): "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(self.problems.items()))
        )
        return "\n".join(lines)


def civil_encoding(county_position: int, m: int) -> str:
    """Civil affairs exports GBK, but one county in six sends GB18030 and one UTF-8 with a BOM,
    a different county each month."""
    return {0: "gb18030", 1: "utf-8-sig"}.get((county_position + m) % 6, "gbk")


def generate(
    out: Path,
    tier: str,
    months: list[str],
    seed: int,
    progress: Callable[[str], None] | None = None,
) -> Report:
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    spec = TIERS[tier]
    counties = tier_counties(spec)
    rng = np.random.default_rng([seed, 0])
    pop = build_population(rng, counties, int(spec.roster_persons * spec.population_ratio))
    say(f"population: {pop.n:,} persons in {len(counties)} counties")
    world = build_world(pop, months, spec.roster_persons, seed)
    problems.inject_all(world)
    con = world_connection(world)
    payments.build_payment_plan(con, world)
    truth.create_tables(con)
    inst = care.institutions(world)

    for sub in ("landing", "truth"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    report = Report(out, tier, seed, months)
    (out / "truth").mkdir(parents=True)
    _write_reference(out, con, months, report)
    previous_settlements = None
    for m, month in enumerate(months):
        say(f"month {month}")
        monthly.build_month(con, world, m)
        previous_settlements = _write_month(out, con, world, m, inst, previous_settlements, report)
    pq.write_table(_persons_truth(con), out / "truth" / "persons.parquet")
    report.seconds = time.perf_counter() - started
    (out / "truth" / "manifest.json").write_text(
        json.dumps(
            {
                "tier": tier,
                "seed": seed,
                "months": months,
                "files": report.files,
                "rows": report.rows,
                "problems": report.problems,
                "kinds": {
                    k.name: {
                        "group": k.group,
                        "expected_table": k.expected_table,
                        "description": k.description,
                    }
                    for k in problems.KINDS.values()
                },
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        ),
        encoding="utf-8",
    )
    return report


def _write_reference(out: Path, con, months: list[str], report: Report) -> None:
    for year in sorted({m[:4] for m in months}):
        table = con.sql(f"""
            select county_code, township_code, any_value(township_name) as township_name,
                count(*) as population
            from people
            where birth <= date '{year}-06-30'
              and not (status = '死亡' and status_date <= date '{year}-06-30')
            group by county_code, township_code order by county_code, township_code
        """).to_arrow_table()
        write_csv(out / "landing" / "reference" / f"population_{year}.csv", table)
        report.files += 1


def _month_dir(out: Path, month: str, department: str) -> Path:
    path = out / "landing" / month / department
    path.mkdir(parents=True, exist_ok=True)
    return path


def _record(
    con, report: Report, month: str, kind: str, source_file: str, table: pa.Table, first_row: int
) -> None:
    """Register the true person behind each written row."""
    n = table.num_rows
    report.rows[kind] = report.rows.get(kind, 0) + n
    if n == 0 or "person_uid" not in table.column_names:
        return
    department = C.KINDS_BY_NAME[kind].department
    cols = {
        "month": pa.array([month] * n),
        "department": pa.array([department] * n),
        "kind": pa.array([kind] * n),
        "source_file": pa.array([source_file] * n),
        "row_number": pa.array(np.arange(first_row, first_row + n)),
    }
    for name in (
        "person_uid",
        "fault",
        "is_duplicate",
        "delivered_id",
        "insured_year",
        "ticket",
        "void_flag",
        "psn_no",
        "insutype",
        "psn_insu_stas",
    ):
        cols[name] = table[name] if name in table.column_names else pa.nulls(n)
    batch = pa.table(cols)
    con.register("_batch", batch)
    con.execute("insert into records select * from _batch")
    con.unregister("_batch")


def _split_by_county(table: pa.Table, counties: list[str]) -> dict[str, pa.Table]:
    codes = table["county_code"].to_numpy(zero_copy_only=False)
    out = {}
    for code in counties:
        lo = np.searchsorted(codes, code, "left")
        hi = np.searchsorted(codes, code, "right")
        out[code] = table.slice(lo, hi - lo)
    return out


def _contract(table: pa.Table, kind: C.FileKind) -> pa.Table:
    return table.select(list(kind.column_names))


def _write_month(out, con, world, m, inst, previous_settlements, report) -> pa.Table:
    month = world.months[m]
    ym = yyyymm(month)
    county_codes = [c.code for c in world.pop.regions.counties]
    rel = lambda p: p.relative_to(out / "landing").as_posix()  # noqa: E731

    # poverty office: one xlsx per county
    delivered.poverty_roster(con)
    roster = con.sql("select *, 证件号码 as delivered_id from out_poverty_roster").to_arrow_table()
    jobs = []
    for code, part in _split_by_county(roster, county_codes).items():
        path = _month_dir(out, month, "poverty") / f"poverty_roster_{code}_{ym}.xlsx"
        county = next(c for c in world.pop.regions.counties if c.code == code)
        jobs.append((path, county.name, month, _contract(part, C.POVERTY_ROSTER)))
        _record(con, report, month, "poverty_roster", rel(path), part, 5)
    write_rosters(jobs)
    report.files += len(jobs)

    # civil affairs and tax: one CSV per county
    delivered.assistance_roster(con)
    delivered.premium_payments(con, m)
    for kind_name, department in CSV_KINDS.items():
        kind = C.KINDS_BY_NAME[kind_name]
        extra = (
            ", 缴费人证件号码 as delivered_id"
            if kind_name == "premium_payments"
            else ", 成员身份证号 as delivered_id"
        )
        table = con.sql(f"select *{extra} from out_{kind_name}").to_arrow_table()
        if kind_name == "premium_payments":
            table = table.append_column("ticket", table["电子税票号码"]).append_column(
                "void_flag", table["作废标志"]
            )
        for i, (code, part) in enumerate(_split_by_county(table, county_codes).items()):
            path = _month_dir(out, month, department) / f"{kind_name}_{code}_{ym}.csv"
            encoding = civil_encoding(i, m) if department == "civil_affairs" else "utf-8"
            write_csv(path, _contract(part, kind), encoding)
            _record(con, report, month, kind_name, rel(path), part, 2)
            report.files += 1

    # healthcare: Parquet, one file per kind for the province
    hc = _month_dir(out, month, "healthcare")
    delivered.enrolment(con)
    delivered.person_identities(con)
    for kind in (C.ENROLMENT, C.PERSON_IDENTITIES):
        table = con.sql(f"select * from out_{kind.name}").to_arrow_table()
        if kind is C.ENROLMENT:
            table = table.append_column("delivered_id", table["certno"])
        path = hc / f"{kind.name}_{ym}.parquet"
        write_parquet(path, _contract(table, kind))
        _record(con, report, month, kind.name, rel(path), table, 2)
        report.files += 1
    insured = delivered.insured_people(con)
    settle = care.settlements(world, m, insured, inst, previous_settlements)
    path = hc / f"settlements_{ym}.parquet"
    write_parquet(path, _contract(settle, C.SETTLEMENTS))
    _record(con, report, month, "settlements", rel(path), settle, 2)
    chronic = care.chronic_certifications(world, m, insured, inst)
    path = hc / f"chronic_certifications_{ym}.parquet"
    write_parquet(path, _contract(chronic, C.CHRONIC_CERTIFICATIONS))
    _record(con, report, month, "chronic_certifications", rel(path), chronic, 2)
    path = hc / f"institutions_{ym}.csv"
    write_csv(path, inst)
    report.rows["institutions"] = report.rows.get("institutions", 0) + inst.num_rows
    delivered.poor_enrolment_summary(
        con, [f for f in world.summary_faults if f["month_index"] == m]
    )
    summary = con.sql("select * from out_poor_enrolment_summary").to_arrow_table()
    summary_path = hc / f"poor_enrolment_summary_{ym}.csv"
    write_csv(summary_path, summary)
    report.rows["poor_enrolment_summary"] = (
        report.rows.get("poor_enrolment_summary", 0) + summary.num_rows
    )
    report.files += 6

    _write_versions(con, out, month, m, county_codes)

    # ground truth of the month
    truth.month_truth(con, month, m)
    truth.vertical_truth(con, rel(summary_path))
    tdir = out / "truth" / month
    tdir.mkdir(parents=True, exist_ok=True)
    problems_t = con.sql("""select * from truth_m
        order by grp, kind, department, source_file, row_number, person_uid, column_name""")
    (tdir / "problems.csv").write_bytes(csv_bytes(problems_t.to_arrow_table()))
    for kind, count in con.sql("select kind, count(*) from truth_m group by kind").fetchall():
        report.problems[kind] = report.problems.get(kind, 0) + count
    pq.write_table(
        con.sql(f"""select department, kind, source_file, row_number, person_uid,
            is_duplicate from records where month = '{month}'
            order by source_file, row_number""").to_arrow_table(),
        tdir / "records.parquet",
        compression="zstd",
    )
    return settle


def _write_versions(con, out: Path, month: str, m: int, county_codes: list[str]) -> None:
    """Corrections and duplicate deliveries, as departments send them.

    In the second month, the first county's civil-affairs file is corrected: the original carries
    three rows copied by mistake, and ``_v2`` is the delivery. In the third month, the first
    county's tax file arrives twice with the same bytes; the copy is ignored with a notice.
    """
    ym = yyyymm(month)
    code = county_codes[0]
    if m == 1:
        folder = out / "landing" / month / "civil_affairs"
        good = folder / f"assistance_roster_{code}_{ym}.csv"
        data = good.read_bytes()
        lines = data.split(b"\n")
        broken = b"\n".join(lines[: len(lines) - 1] + lines[1:4]) + b"\n"
        good.rename(folder / f"assistance_roster_{code}_{ym}_v2.csv")
        good.write_bytes(broken)
        old = f"{month}/civil_affairs/assistance_roster_{code}_{ym}.csv"
        con.execute(
            "update records set source_file = replace(source_file, '.csv', '_v2.csv') "
            "where source_file = ?",
            [old],
        )
    if m == 2:
        folder = out / "landing" / month / "tax"
        src = folder / f"premium_payments_{code}_{ym}.csv"
        shutil.copyfile(src, folder / f"premium_payments_{code}_{ym}_v2.csv")


def _persons_truth(con) -> pa.Table:
    return con.sql("""
        select person_uid, household, head_uid, id18 as id_number, name,
            case when male then '1' else '2' end as sex, birth, county_code, township_code,
            village_code, relation, twin_of, status, status_date
        from people order by person_uid
    """).to_arrow_table()
