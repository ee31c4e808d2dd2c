"""The month's facts and files as SQL over the world (see worlddb.py).

`build_month(con, world, m)` creates temp tables for month index m:
- ``enrol_m``: enrolment rows listed in the register that month, with status and stop reason;
- ``roster_m``, ``civil_m``, ``identity_m``, ``payments_m``: the people behind each file;
- ``facts_m``: one row per person with what the truth needs (poor, eligible, insured, flagged).
Delivered values (faulty IDs, typo'd names, spellings) are applied in `files.py`; these tables hold
the true person behind every row.
"""

from __future__ import annotations

import duckdb

from .world import World

# 人员状态 → stop_rsn of the register, for the statuses the register knows
STOP_REASON = {
    "死亡": "死亡",
    "现役军人": "参军",
    "服刑": "服刑",
    "出国定居": "出国定居",
    "户籍迁出": "迁出",
}
NOT_LISTED = ("婚出", "失踪")  # the register drops these people instead of stopping them
POVERTY_IDENTITIES = ("特困", "低保", "低边", "脱贫人口", "未脱贫人口", "监测对象")
CIVIL_IDENTITY = {
    "特困供养": "特困",
    "城乡低保": "低保",
    "低保边缘": "低边",
    "孤儿": "孤儿",
    "重度残疾": "重度残疾",
}
POOR_CIVIL = ("特困供养", "城乡低保", "低保边缘")


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"when '{k}' then '{v}'" for k, v in mapping.items())
    return f"case {column} {whens} end"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def build_month(con: duckdb.DuckDBPyConnection, world: World, m: int) -> None:
    month = world.months[m]
    con.execute(f"set variable m = {m}")
    con.execute(f"set variable month_start = date '{month}-01'")
    con.execute("set variable month_end = last_day(getvariable('month_start'))")
    con.execute(f"""
        create or replace temp table enrol_m as
        with listed as (
            select e.*, p.status, p.status_m, p.status_date, p.birth
            from enrolment_spec e join persons p using (person_uid)
            where e.from_m <= {m} and {m} < e.to_m and p.birth <= getvariable('month_end')
              and not (p.status_m <= {m} and p.status in {_in(NOT_LISTED)})
        )
        select person_uid, psn_seq, insutype, admdvs::varchar as insuplc_admdvs,
            admdvs::varchar || lpad(person_uid::varchar, 10, '0') || psn_seq::varchar as psn_no,
            greatest(insu_date, birth) as psn_insu_date,
            case when stop_m <= {m} then stop_rsn
                 when status_m <= {m} then {_case("status", STOP_REASON)} end as stop_rsn,
            case when stop_m <= {m}
                 then (date '{world.months[0]}-01' + to_months(stop_m::integer))::date
                 when status_m <= {m} and status in {_in(STOP_REASON)} then status_date
            end as paus_insu_date
        from listed
        order by person_uid, psn_seq, insutype
    """)
    con.execute("""
        alter table enrol_m add column psn_insu_stas varchar;
        update enrol_m set psn_insu_stas = case when stop_rsn is null then '1' else '4' end;
    """)
    con.execute(f"""
        create or replace temp table roster_m as
        select p.*, h.attr, h.monitor, h.cause, h.hh_from,
            case when h.exited_before then '已脱贫' when h.exit_m <= {m} then '已脱贫'
                 else '未脱贫' end as poverty_status,
            case when h.exited_before then h.exit_year::varchar when h.exit_m <= {m} then '2020'
            end as exit_year,
            case when p.status_m <= {m} and p.roster_shows_status then p.status else '正常' end
                as roster_status,
            case when p.status_m <= {m} and p.roster_shows_status then p.status_date end
                as status_change_date
        from people p join households h using (household)
        where h.poor and h.hh_from <= {m} and p.birth <= getvariable('month_end')
    """)
    con.execute("""
        create or replace temp table civil_m as
        select ms.*, p.county_idx,
            case when ms.stop_date <= getvariable('month_end') then '停保'
                 when ms.paused then '暂停' else '在保' end as civil_status,
            case when ms.stop_date <= getvariable('month_end') then ms.stop_date end as end_date
        from memberships ms join persons p using (person_uid)
        where ms.start_date <= getvariable('month_end') and p.birth <= getvariable('month_end')
          and (ms.stop_date is null
               or ms.stop_date >= getvariable('month_start') - interval 60 day)
    """)
    main_psn = """(select person_uid, min(psn_no) as psn_no from enrol_m group by person_uid)"""
    con.execute(f"""
        create or replace temp table identity_m as
        with civil as (
            select person_uid, {_case("category", CIVIL_IDENTITY)} as psn_idet_type,
                start_date as begntime, end_date as endtime
            from civil_m where category in {_in(CIVIL_IDENTITY)} and civil_status = '在保'
        ), roster as (
            select person_uid,
                case poverty_status when '已脱贫' then '脱贫人口' else '未脱贫人口' end
                    as psn_idet_type,
                greatest(birth, case when hh_from = 0 then date '2016-01-01'
                    else date '{world.months[0]}-01' + to_months(hh_from::integer) end)::date
                    as begntime,
                null::date as endtime
            from roster_m
            union all
            select person_uid, '监测对象', greatest(birth, date '2019-01-01'), null::date
            from roster_m where monitor is not null
        ), all_rows as (
            select * from civil
            union all select * from roster
            union all select person_uid, psn_idet_type, begntime, null::date from extra_identities
        )
        select a.person_uid, e.psn_no, a.psn_idet_type, a.begntime, a.endtime
        from all_rows a join {main_psn} e using (person_uid)
        where a.person_uid not in (select person_uid from identity_drop)
        order by e.psn_no, a.psn_idet_type
    """)
    con.execute(f"""
        create or replace temp table facts_m as
        with active as (
            select person_uid,
                bool_or(insutype = '390') as active_390,
                bool_or(insutype = '310') as active_310,
                count(distinct insuplc_admdvs) filter (where insutype = '390') as regions_390,
                list(distinct insuplc_admdvs) filter (where insutype = '390') as admdvs_390
            from enrol_m where psn_insu_stas = '1' group by person_uid
        ), stopped as (
            select person_uid, min(stop_rsn) as stop_rsn from enrol_m
            where stop_rsn in {_in(STOP_REASON.values())} group by person_uid
        ), civil as (
            select person_uid, list(distinct category order by category) as categories
            from civil_m where civil_status = '在保' and category in {_in(POOR_CIVIL)}
            group by person_uid
        ), flagged as (
            select distinct person_uid from identity_m
            where psn_idet_type in {_in(POVERTY_IDENTITIES)}
        )
        select p.person_uid, p.county_code, p.township_code, p.village_code,
            r.person_uid is not null as on_poverty_roster,
            r.roster_status, r.monitor,
            c.categories as civil_categories,
            r.person_uid is not null or c.person_uid is not null as poor,
            case when r.roster_status <> '正常' then r.roster_status
                 when s.stop_rsn is not null then s.stop_rsn end as not_eligible_reason,
            case when r.roster_status <> '正常' then 'poverty'
                 when s.stop_rsn is not null then 'healthcare' end as not_eligible_evidence,
            coalesce(a.active_390, false) as active_390,
            coalesce(a.active_310, false) as active_310,
            coalesce(a.regions_390, 0) as regions_390,
            coalesce(list_contains(a.admdvs_390, p.county_code), false) as active_390_at_home,
            f.person_uid is not null as flagged,
            l.person_uid is not null as listed
        from people p
        left join roster_m r using (person_uid)
        left join active a using (person_uid)
        left join stopped s using (person_uid)
        left join civil c using (person_uid)
        left join flagged f using (person_uid)
        left join (select distinct person_uid from enrol_m) l using (person_uid)
        where p.birth <= getvariable('month_end')
    """)
