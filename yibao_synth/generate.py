"""Generate every source file of SOURCE_CONTRACTS.md for a tier and a range of months.

    out/landing/<YYYY-MM>/<department>/<file>
    out/landing/reference/population_<YYYY>.csv
    out/truth/<YYYY-MM>/problems.csv       every injected problem with its file and row
    out/truth/<YYYY-MM>/records.parquet    the true person behind every person-bearing row
    out/truth/persons.parquet              the true persons
    out/truth/manifest.json                tier, seed, months, counts by kind

The tier is generated city by city (a chunk), so memory stays bounded by the largest city and
not by the province: per-county files are written as each city is done, and the province-wide
healthcare files and truth files are appended chunk by chunk. The same seed gives byte-identical
files.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yibao import contracts as C

from . import (
    benefit_truth,
    care,
    chronic,
    chronic_truth,
    delivered,
    fraud_truth,
    monitoring,
    monthly,
    payments,
    problems,
    risk_truth,
    truth,
)
from .appender import Appenders
from .calendar import yyyymm
from .people import build_population
from .regions import County
from .rosters import write_rosters
from .tiers import TIERS, tier_counties
from .world import build_world
from .worlddb import world_connection
from .writers import csv_bytes, write_csv

CSV_KINDS = {"assistance_roster": "civil_affairs", "premium_payments": "tax"}
HEALTHCARE_PARQUET = (C.ENROLMENT, C.PERSON_IDENTITIES, C.SETTLEMENTS, C.CHRONIC_CERTIFICATIONS)


@dataclass
class Report:
    out: Path
    tier: str
    seed: int
    months: list[str]
    files: int = 0
    persons: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add_rows(self, kind: str, n: int) -> None:
        self.rows[kind] = self.rows.get(kind, 0) + n

    def summary(self) -> str:
        lines = [
            f"generated tier {self.tier}, seed {self.seed}, months "
            f"{self.months[0]}..{self.months[-1]}: {self.persons:,} persons, {self.files} files "
            f"in {self.seconds:.1f} s",
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


@dataclass
class _Tier:
    """What the chunks of a tier share while they are generated one after another."""

    out: Path
    months: list[str]
    seed: int
    report: Report
    appenders: Appenders
    first_county: str
    settlement_seq: dict[int, int] = field(default_factory=dict)
    county_counts: dict[int, list[pa.Table]] = field(default_factory=dict)
    truth_parts: dict[int, list[pa.Table]] = field(default_factory=dict)
    institutions: list[pa.Table] = field(default_factory=list)
    population: dict[str, list[pa.Table]] = field(default_factory=dict)
    pools: benefit_truth.PoolTotals = field(default_factory=benefit_truth.PoolTotals)
    care_totals: monitoring.MonitoringTotals = field(default_factory=monitoring.MonitoringTotals)
    swings: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    cards: chronic_truth.ChronicTotals = field(default_factory=chronic_truth.ChronicTotals)
    risk: risk_truth.RiskTotals = field(default_factory=risk_truth.RiskTotals)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.out / "landing").as_posix()

    def month_dir(self, m: int, department: str) -> Path:
        path = self.out / "landing" / self.months[m] / department
        path.mkdir(parents=True, exist_ok=True)
        return path


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
    counties = tier_counties(spec, tuple(sorted({int(month[:4]) for month in months})))
    for sub in ("landing", "truth"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "truth").mkdir(parents=True)
    report = Report(out, tier, seed, months)
    state = _Tier(out, months, seed, report, Appenders(), counties[0].code)
    chunks = [list(g) for _, g in groupby(counties, key=lambda c: c.city_code)]
    ratio = spec.roster_persons / len(counties)
    uid_offset = 0
    for ci, chunk in enumerate(chunks):
        roster_target = int(round(ratio * len(chunk)))
        uid_offset += _generate_chunk(state, ci, chunk, roster_target, spec.population_ratio,
                                      uid_offset)
        say(f"city {chunk[0].city_name} ({ci + 1}/{len(chunks)}): {uid_offset:,} persons so far")
    report.persons = uid_offset
    _finish(state)
    report.seconds = time.perf_counter() - started
    (out / "truth" / "manifest.json").write_text(
        json.dumps(
            {
                "tier": tier,
                "seed": seed,
                "months": months,
                "persons": report.persons,
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


def _generate_chunk(
    state: _Tier, ci: int, counties: list[County], roster_target: int, population_ratio: float,
    uid_offset: int,
) -> int:
    """One city: its population, world, files and truth for every month. Returns its size."""
    chunk_seed = int(np.random.SeedSequence([state.seed, ci]).generate_state(1)[0])
    rng = np.random.default_rng([chunk_seed, 0])
    pop = build_population(rng, counties, int(roster_target * population_ratio))
    world = build_world(pop, state.months, roster_target, chunk_seed, uid_offset)
    problems.inject_all(world)
    con = world_connection(world)
    try:
        payments.build_payment_plan(con, world)
        payments.inject_subsidy_faults(con)
        truth.create_tables(con)
        inst = care.institutions(world)
        state.institutions.append(care.county_institutions(world))
        _population(state, con)
        previous = None
        for m in range(len(state.months)):
            monthly.build_month(con, world, m)
            previous = _write_month(state, con, world, m, inst, previous)
        state.appenders.append(state.out / "truth" / "persons.parquet", _persons_truth(con))
    finally:
        con.close()
    return pop.n


def _population(state: _Tier, con: duckdb.DuckDBPyConnection) -> None:
    for year in sorted({m[:4] for m in state.months}):
        table = con.sql(f"""
            select county_code, township_code, any_value(township_name) as township_name,
                count(*) as population
            from people
            where birth <= date '{year}-06-30'
              and not (status = '死亡' and status_date <= date '{year}-06-30')
            group by county_code, township_code order by county_code, township_code
        """).to_arrow_table()
        state.population.setdefault(year, []).append(table)


def _record(con, state: _Tier, m: int, kind: str, source_file: str, table: pa.Table,
            first_row: int) -> None:
    """Register the true person behind each written row."""
    n = table.num_rows
    state.report.add_rows(kind, n)
    if n == 0 or "person_uid" not in table.column_names:
        return
    cols = {
        "month": pa.repeat(state.months[m], n),
        "department": pa.repeat(C.KINDS_BY_NAME[kind].department, n),
        "kind": pa.repeat(kind, n),
        "source_file": pa.repeat(source_file, n),
        "row_number": pa.array(np.arange(first_row, first_row + n)),
    }
    for name in ("person_uid", "fault", "is_duplicate", "delivered_id", "insured_year",
                 "ticket", "void_flag", "psn_no", "insutype", "psn_insu_stas"):
        cols[name] = table[name] if name in table.column_names else pa.nulls(n)
    con.register("_batch", pa.table(cols))
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


def _write_month(state: _Tier, con, world, m: int, inst: pa.Table, previous) -> pa.Table:
    month = state.months[m]
    ym = yyyymm(month)
    counties = world.pop.regions.counties
    county_codes = [c.code for c in counties]

    # poverty office: one xlsx per county
    delivered.poverty_roster(con)
    roster = con.sql("select *, 证件号码 as delivered_id from out_poverty_roster").to_arrow_table()
    jobs = []
    for county, (code, part) in zip(counties, _split_by_county(roster, county_codes).items(),
                                    strict=True):
        path = state.month_dir(m, "poverty") / f"poverty_roster_{code}_{ym}.xlsx"
        jobs.append((path, county.name, month, _contract(part, C.POVERTY_ROSTER)))
        _record(con, state, m, "poverty_roster", state.rel(path), part, 5)
    write_rosters(jobs)
    state.report.files += len(jobs)

    # civil affairs and tax: one CSV per county
    delivered.assistance_roster(con)
    delivered.premium_payments(con, m)
    for kind_name, department in CSV_KINDS.items():
        kind = C.KINDS_BY_NAME[kind_name]
        id_column = kind.column("缴费人证件号码" if department == "tax" else "成员身份证号").name
        table = con.sql(f"select *, {id_column} as delivered_id from out_{kind_name}")
        table = table.to_arrow_table()
        if department == "tax":
            table = table.append_column("ticket", table["电子税票号码"])
            table = table.append_column("void_flag", table["作废标志"])
        for code, part in _split_by_county(table, county_codes).items():
            path = state.month_dir(m, department) / f"{kind_name}_{code}_{ym}.csv"
            position = county_codes.index(code)
            encoding = civil_encoding(position, m) if department == "civil_affairs" else "utf-8"
            write_csv(path, _contract(part, kind), encoding)
            _record(con, state, m, kind_name, state.rel(path), part, 2)
            state.report.files += 1

    # healthcare: province-wide Parquet files, appended chunk by chunk
    hc = state.month_dir(m, "healthcare")
    delivered.enrolment(con)
    delivered.person_identities(con)
    insured = delivered.insured_people(con)
    seq = state.settlement_seq.get(m, 1)
    held = chronic.holdings(world, insured, m)  # the month's cards, for visits and the file
    deceased = delivered.insured_people(con, deceased=True)
    settle = care.settlements(world, m, insured, inst, previous, first_seq=seq, held=held,
                              deceased=deceased)
    state.settlement_seq[m] = seq + settle.num_rows
    cards = chronic.certifications(world, m, insured, inst, held)
    tables = {
        C.ENROLMENT: con.sql("select *, certno as delivered_id from out_enrolment"),
        C.PERSON_IDENTITIES: con.sql("select * from out_person_identities"),
        C.SETTLEMENTS: settle,
        C.CHRONIC_CERTIFICATIONS: cards,
    }
    written = {}
    for kind, table in tables.items():
        if not isinstance(table, pa.Table):
            table = table.to_arrow_table()
        path = hc / f"{kind.name}_{ym}.parquet"
        first_row = 2 + state.appenders.rows(path)
        written[kind] = (state.rel(path), first_row)
        state.appenders.append(path, _contract(table, kind))
        _record(con, state, m, kind.name, state.rel(path), table, first_row)
        if kind is C.SETTLEMENTS:
            state.truth_parts.setdefault(m, []).append(
                benefit_truth.settlement_truth(table, state.rel(path), first_row))
            state.pools.add(table)
            state.care_totals.add(month, table)
            event = monitoring.swing(world.seed, county_codes, m)
            if event:
                state.swings.setdefault(m, []).append(event)
            state.truth_parts[m].append(
                fraud_truth.settlement_truth(table, state.rel(path), first_row, month, event))
    poor = con.sql("select person_uid from facts_m where poor").to_arrow_table()
    state.cards.add(month, settle, *written[C.SETTLEMENTS], cards,
                    *written[C.CHRONIC_CERTIFICATIONS], poor)
    exited = con.sql("select person_uid from roster_m where poverty_status = '已脱贫'")
    state.risk.add(month, settle, poor, exited.to_arrow_table())
    state.county_counts.setdefault(m, []).append(delivered.county_counts(con))

    if state.first_county in county_codes:
        _write_versions(con, state, m)

    # ground truth of the chunk's month
    truth.month_truth(con, month, m)
    state.truth_parts.setdefault(m, []).append(con.sql("select * from truth_m").to_arrow_table())
    records = con.sql(f"""select department, kind, source_file, row_number, person_uid,
            is_duplicate from records where month = '{month}'
            order by source_file, row_number""").to_arrow_table()
    state.appenders.append(state.out / "truth" / month / "records.parquet", records)
    con.execute(f"delete from records where month = '{month}' and kind <> 'premium_payments'")
    return settle


def _write_versions(con, state: _Tier, m: int) -> None:
    """Corrections and duplicate deliveries, as departments send them.

    In the second month, the first county's civil-affairs file is corrected: the original carries
    three rows copied by mistake, and ``_v2`` is the delivery. In the third month, the first
    county's tax file arrives twice with the same bytes; the copy is ignored with a notice.
    """
    month = state.months[m]
    ym = yyyymm(month)
    code = state.first_county
    if m == 1:
        folder = state.month_dir(m, "civil_affairs")
        good = folder / f"assistance_roster_{code}_{ym}.csv"
        data = good.read_bytes()
        lines = data.split(b"\n")
        broken = b"\n".join(lines[: len(lines) - 1] + lines[1:4]) + b"\n"
        good.rename(folder / f"assistance_roster_{code}_{ym}_v2.csv")
        good.write_bytes(broken)
        state.report.files += 1
        old = f"{month}/civil_affairs/assistance_roster_{code}_{ym}.csv"
        con.execute(
            "update records set source_file = replace(source_file, '.csv', '_v2.csv') "
            "where source_file = ?",
            [old],
        )
    if m == 2:
        folder = state.month_dir(m, "tax")
        src = folder / f"premium_payments_{code}_{ym}.csv"
        shutil.copyfile(src, folder / f"premium_payments_{code}_{ym}_v2.csv")
        state.report.files += 1


def _finish(state: _Tier) -> None:
    """What needs every chunk: the platforms' summary, institutions, reference population,
    the truth files; then close the appended Parquet files."""
    faults = problems.summary_faults(state.seed, len(state.months))
    alerts = state.care_totals.alerts()
    card_truth = state.cards.truth(state.months)
    card_truth = pa.concat_tables([card_truth, state.risk.truth(state.months)],
                                  promote_options="permissive")
    shared = care.shared_institutions()
    institutions = pa.concat_tables([*state.institutions, shared])
    con = duckdb.connect()
    try:
        for m, month in enumerate(state.months):
            ym = yyyymm(month)
            hc = state.month_dir(m, "healthcare")
            write_csv(hc / f"institutions_{ym}.csv", institutions)
            state.report.add_rows("institutions", institutions.num_rows)
            counts = pa.concat_tables(state.county_counts[m])
            delivered.poor_enrolment_summary(
                con, counts, [f for f in faults if f["month_index"] == m])
            summary = con.sql("select * from out_poor_enrolment_summary").to_arrow_table()
            summary_path = hc / f"poor_enrolment_summary_{ym}.csv"
            write_csv(summary_path, summary)
            state.report.add_rows("poor_enrolment_summary", summary.num_rows)
            state.report.files += 6  # four Parquet, two CSV
            parts = [*state.truth_parts[m], truth.vertical_truth(con, state.rel(summary_path))]
            if m == len(state.months) - 1:
                parts.append(state.pools.truth())
            parts.append(monitoring.truth_rows(month, alerts.get(month, []),
                                               state.swings.get(m, [])))
            parts.append(card_truth.filter(pc.equal(card_truth["detail"], month)))
            _write_truth(state, con, month, pa.concat_tables(parts, promote_options="permissive"))
    finally:
        con.close()
    for year, tables in state.population.items():
        write_csv(state.out / "landing" / "reference" / f"population_{year}.csv",
                  pa.concat_tables(tables))
        state.report.files += 1
    state.appenders.close()


def _write_truth(state: _Tier, con, month: str, table: pa.Table) -> None:
    con.register("truth_all", table)
    ordered = con.sql("""select * from truth_all
        order by grp, kind, department, source_file, row_number, person_uid, column_name,
            delivered_value, detail""")
    tdir = state.out / "truth" / month
    tdir.mkdir(parents=True, exist_ok=True)
    (tdir / "problems.csv").write_bytes(csv_bytes(ordered.to_arrow_table()))
    for kind, count in con.sql("select kind, count(*) from truth_all group by kind").fetchall():
        state.report.problems[kind] = state.report.problems.get(kind, 0) + count
    con.unregister("truth_all")


def _persons_truth(con) -> pa.Table:
    return con.sql("""
        select person_uid, household, head_uid, id18 as id_number, name,
            case when male then '1' else '2' end as sex, birth, county_code, township_code,
            village_code, relation, twin_of, status, status_date
        from people order by person_uid
    """).to_arrow_table()
