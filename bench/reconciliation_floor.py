"""The floor for the reconciliation step: one hand-written DuckDB query over the month's Parquet.

It computes what the pipeline's reconciliation computes for one delivery month: who of the poor
is not insured (困难人员未参保, the poor_not_enrolled finding) and the coverage counts by county,
with the same normalisation and exclusions (ID numbers normalised and checked as
int_id_number_checks does, persons as int_person_links clusters them given Splink's stored
matches, the poor as int_person_month_poverty, eligibility as int_person_month_coverage). No
intermediate table, no dbt: the least work an engine has to do for the answer.

Inputs (bench/reconciliation_inputs.py writes them): the month's raw tables as Parquet
(poverty roster, assistance roster, enrolment), the month's Splink matches, and the seeds it
needs (region codes, stop reasons, assistance categories).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MATCH_THRESHOLD = 0.95  # dbt var linkage_match_threshold

_NORMALISE = (
    "nullif(upper(translate(replace(replace(trim({x}), ' ', ''), chr(8203), ''), "
    "'０１２３４５６７８９Ｘｘ', '0123456789Xx')), '')"
)
_WEIGHTS = "[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]"
_CHECK = (
    "substr('10X98765432', cast(list_sum(list_transform(range(1, 18), "
    "lambda i: {w}[i] * try_cast(substr({body}, i, 1) as integer))) % 11 as integer) + 1, 1)"
)


def _check(body: str) -> str:
    return _CHECK.format(w=_WEIGHTS, body=body)


def floor_query(inputs: Path, month: str) -> str:
    """The query: one row per county (coverage counts) plus the not-enrolled persons."""
    p = {name: f"'{inputs / name}.parquet'" for name in (
        "poverty_roster", "assistance_roster", "enrolment", "matches",
        "region_codes", "stop_reasons", "assistance_categories")}  # fmt: skip
    body15 = "substr(n, 1, 6) || '19' || substr(n, 7, 9)"
    return f"""
with records as (
    select 'poverty' as kind, _source_file as f, _row_number as r, _file_county as county,
        "证件号码" as raw_id, "人员状态" as person_status, null as category, null as status,
        null as insutype, null as stas, null as stop_rsn
    from read_parquet({p['poverty_roster']})
    union all
    select 'assistance', _source_file, _row_number, _file_county, "成员身份证号", null,
        "救助类别", "状态", null, null, null
    from read_parquet({p['assistance_roster']})
    union all
    select 'enrolment', _source_file, _row_number, null, certno, null, null, null,
        insutype, psn_insu_stas, stop_rsn
    from read_parquet({p['enrolment']})
),
normalised as (
    select *, {_NORMALISE.format(x='raw_id')} as n from records
),
as18 as (
    select *, case when length(n) = 18 then n
        when regexp_full_match(n, '[0-9]{{15}}') then {body15} || {_check(body15)}
        end as id18
    from normalised
),
checked as (
    select *,
        case when regexp_full_match(id18, '[0-9]{{17}}[0-9X]')
            and substr(id18, 18, 1) = {_check('id18')}
            and try_strptime(substr(id18, 7, 8), '%Y%m%d') between date '1900-01-01'
                and last_day(date '{month}-01')
            and substr(id18, 1, 6) in (select admdvs from read_parquet({p['region_codes']}))
            then id18 end as valid_id
    from as18
),
clustered as (
    select checked.*,
        case when valid_id is not null then valid_id
            when m.match_probability >= {MATCH_THRESHOLD} then m.matched_id_number
            else coalesce(id18, n, 'blank:' || f || '#' || cast(r as varchar))
        end as person
    from checked
    left join read_parquet({p['matches']}) m
        on m.source_file = checked.f and m.source_row_number = checked.r
),
poor_rows as (
    select person, f, r, county, 0 as evidence_rank, true as makes_poor,
        case when person_status <> '正常' then person_status end as ineligible_status
    from clustered where kind = 'poverty'
    union all
    select person, f, r, county, 1,
        coalesce(c.is_poor_population, false) and status = '在保', null
    from clustered
    left join read_parquet({p['assistance_categories']}) c on c.assistance_category = category
    where kind = 'assistance'
),
poor as (
    select person,
        arg_min(county, (evidence_rank, f, r)) as county,
        min(ineligible_status) as roster_ineligible
    from poor_rows
    group by person
    having bool_or(makes_poor)
),
insured as (
    select person,
        bool_or(insutype = '390' and stas = '1') or bool_or(insutype = '310' and stas = '1')
            as enrolled,
        min(case when stop_rsn in (select stop_reason from read_parquet({p['stop_reasons']})
            where makes_ineligible) then stop_rsn end) as ineligible_stop
    from clustered where kind = 'enrolment'
    group by person
),
coverage as (
    select poor.person, poor.county,
        coalesce(roster_ineligible, ineligible_stop) is null as eligible,
        coalesce(insured.enrolled, false) as enrolled
    from poor left join insured using (person)
)
select county, person, eligible, enrolled from coverage
"""


def run_floor(con: duckdb.DuckDBPyConnection, inputs: Path, month: str):
    """(coverage by county, poor_not_enrolled set) for `month`, from one query."""
    con.execute(f"create or replace temp table floor_coverage as {floor_query(inputs, month)}")
    counties = con.execute("""
        select county, count(*), count(*) filter (where not eligible),
            count(*) filter (where eligible), count(*) filter (where eligible and enrolled),
            count(*) filter (where eligible and not enrolled)
        from floor_coverage group by county order by county""").fetchall()
    not_enrolled = con.execute(
        "select county, person from floor_coverage where eligible and not enrolled"
    ).fetchall()
    return counties, set(not_enrolled)
