"""What each department delivers for the month: the contract columns as the files carry them.

Each function creates a temp table ``out_<kind>`` with the contract's columns in order, plus
``person_uid`` (the true person, for the ground truth), ``fault`` (the injected ID problem of that
record, if any), ``is_duplicate`` and ``county_code`` (which county's file the row goes to). Rows
are ordered as they will be written.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from yibao import contracts as C

# a dice at or above this spells a date to the month only (2019年3月), read as the 1st
MONTH_ONLY_FROM = 0.9


def spelled(column: str, dice: str) -> str:
    """A date in one of the four spellings of the departments' exports, chosen by `dice`."""
    return f"""case when {column} is null then null
        when {dice} < 0.55 then strftime({column}, '%Y-%m-%d')
        when {dice} < 0.75 then year({column}) || '/' || month({column}) || '/' || day({column})
        when {dice} < {MONTH_ONLY_FROM} then strftime({column}, '%Y%m%d')
        else year({column}) || '年' || month({column}) || '月' end"""


def as_read(column: str, dice: str) -> str:
    """The date `spelled(column, dice)` is read back as: the 1st of its month when spelled to
    the month only."""
    return (f"case when {dice} >= {MONTH_ONLY_FROM} then date_trunc('month', {column})::date "
            f"else {column} end")


def _faulted(alias: str, department: str) -> str:
    return f"""left join (select * from id_faults where department = '{department}') f
        on f.person_uid = {alias}.person_uid"""


def _with_duplicates(department: str, base: str) -> str:
    return f"""select *, false as is_duplicate from {base}
        union all
        select * replace (dup_key || '9' as dup_key), true as is_duplicate from {base}
        where person_uid in (select person_uid from duplicate_rows
                               where department = '{department}')"""


def poverty_roster(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create or replace temp table out_poverty_roster as
        with base as (
            select r.*, f.fault,
                coalesce(f.delivered_id, r.id18) as delivered_id,
                coalesce(f.delivered_name, r.name) as delivered_name,
                r.county_code || lpad(r.household::varchar, 9, '0') as household_no,
                lpad(row_number() over (partition by r.household order by r.person_uid)::varchar,
                     2, '0') as dup_key,
                fa.active_390 <> r.insured_flag_wrong as believes_insured
            from roster_m r {_faulted("r", "poverty")}
            join facts_m fa on fa.person_uid = r.person_uid
        ), rows as ({_with_duplicates("poverty", "base")})
        select
            row_number() over (partition by county_code
                               order by household, person_uid, is_duplicate) as 序号,
            province_name as 省, city_name as 市, county_name as 县,
            township_name as "乡（镇）", village_name as 村,
            case when u < 0.03 then null else village_code end as 村行政区划代码,
            household_no as 户编号, household_no || dup_key as 人编号,
            delivered_name as 姓名, delivered_id as 证件号码,
            case when male then '男' else '女' end as 性别, ethnicity as 民族,
            relation as 与户主关系, attr as 贫困户属性, poverty_status as 脱贫状态,
            exit_year as 脱贫年度, monitor as 监测对象类别, cause as 主要致贫原因,
            case when believes_insured then '是' else '否' end as 是否参加城乡居民基本医疗保险,
            roster_status as 人员状态,
            {spelled("status_change_date", "u")} as 状态变更日期,
            phone as 联系电话,
            person_uid, fault, is_duplicate, county_code
        from rows
        order by county_code, household, person_uid, is_duplicate
    """)


def assistance_roster(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create or replace temp table out_assistance_roster as
        with base as (
            select c.*, p.county_code, p.county_name, p.county_abbr, p.township_name,
                p.village_name, p.relation, p.u, p.household, p.head_uid,
                f.fault,
                coalesce(f.delivered_id, p.id18) as delivered_id,
                coalesce(f.delivered_name, p.name) as delivered_name,
                h.name as head_name, h.id18 as head_id,
                '' as dup_key
            from civil_m c join people p using (person_uid)
            join persons h on h.person_uid = p.head_uid
            {_faulted("c", "civil_affairs")}
        ), rows as ({_with_duplicates("civil_affairs", "base")})
        select
            case when hash(person_uid, 'abbr') % 5 = 0 then county_abbr else county_name end
                as 区县,
            township_name as "乡镇（街道）", village_name as "村（社区）",
            category as 救助类别, case when urban then '城市' else '农村' end as 城乡类别,
            head_name as 户主姓名, head_id as 户主身份证号,
            delivered_name as 成员姓名, delivered_id as 成员身份证号, relation as 与户主关系,
            {spelled("start_date", "u")} as 保障起始日期,
            {spelled("end_date", "u")} as 保障终止日期,
            civil_status as 状态,
            case when disability_type >= 0 then
                {repr(list(C.DISABILITY_TYPES))}[disability_type + 1] end as 残疾类别,
            case when disability_grade >= 0 then
                {repr(list(C.DISABILITY_GRADES))}[disability_grade + 1] end as 残疾等级,
            case when allowance > 0 then allowance::decimal(10, 2)::varchar end as 月保障金额,
            person_uid, fault, is_duplicate, county_code
        from rows
        order by county_code, household, person_uid, category, is_duplicate
    """)


def premium_payments(con: duckdb.DuckDBPyConnection, m: int) -> None:
    con.execute(f"""
        create or replace temp table out_premium_payments as
        select
            pp.ticket as 电子税票号码, '居民身份证' as 缴费人证件类型,
            coalesce(f.delivered_id, p.id18) as 缴费人证件号码,
            coalesce(f.delivered_name, p.name) as 缴费人姓名,
            '城乡居民基本医疗保险费' as 征收品目,
            pp.insured_year || '-01-01' as 费款所属期起,
            pp.insured_year || '-12-31' as 费款所属期止,
            pp.due::varchar as 应缴费额, pp.category as 资助类别,
            pp.subsidy::varchar as 资助金额, (pp.due - pp.subsidy)::varchar as 实缴费额,
            strftime(pp.pay_date, '%Y-%m-%d') as 缴费日期,
            '1' || pp.county_code || '0100' as 主管税务机关代码,
            pp.void_flag as 作废标志,
            pp.person_uid, f.fault, false as is_duplicate, pp.county_code,
            pp.insured_year
        from payment_plan pp join persons p using (person_uid)
        {_faulted("pp", "tax")}
        where pp.pay_m = {m}
        order by pp.county_code, pp.ticket, pp.void_flag
    """)


def enrolment(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        create or replace temp table out_enrolment as
        select e.psn_no, '01' as psn_cert_type, p.id18 as certno, p.name as psn_name,
            case when p.male then '1' else '2' end as gend, p.birth as brdy,
            e.insutype, e.psn_insu_stas, e.psn_insu_date, e.paus_insu_date,
            e.insuplc_admdvs, e.stop_rsn,
            e.person_uid, null::varchar as fault, false as is_duplicate
        from enrol_m e join persons p using (person_uid)
        order by e.psn_no, e.insutype
    """)


def person_identities(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        create or replace temp table out_person_identities as
        select psn_no, psn_idet_type,
            case when psn_idet_type = '监测对象' then '1' end as psn_type_lv,
            begntime, endtime,
            person_uid, null::varchar as fault, false as is_duplicate
        from identity_m
        order by psn_no, psn_idet_type
    """)


def insured_people(con: duckdb.DuckDBPyConnection, deceased: bool = False):
    """Everyone insured this month, one row per person, for settlements and certifications: who
    they are, and what the benefit rules need (the start of each assistance category held 在保
    this month, as the warehouse reads the latest row of each; the poverty status and exit year;
    birth and enrolment dates). With `deceased`, instead the people the register lists this
    month as stopped for death (stop_rsn 死亡), with their date of death, for the fraud cases."""
    categories = {
        "extremely_poor": "特困供养",
        "minimum_living_allowance": "城乡低保",
        "low_income_marginal": "低保边缘",
        "poverty_due_to_illness": "因病致贫",
    }
    held = ", ".join(
        f"max(case when category = '{zh}' and latest_status = '在保' then latest_start end)"
        f" as {en}_from"
        for en, zh in categories.items()
    )
    return con.sql(f"""
        with civil as (
            select person_uid, category, max(start_date) as latest_start,
                arg_max(civil_status, start_date) as latest_status
            from civil_m group by person_uid, category
        ), civil_held as (
            select person_uid, {held} from civil group by person_uid
        )
        select e.person_uid, min(e.psn_no) as psn_no, min(e.insutype) as insutype,
            min(e.insuplc_admdvs) as insuplc_admdvs, any_value(p.id18) as certno,
            any_value(p.name) as psn_name, any_value(p.male) as male,
            any_value(date_diff('year', p.birth, getvariable('month_start'))) as age,
            any_value(fa.poor) as poor,
            any_value(p.birth) as birth, min(e.psn_insu_date) as insu_date,
            any_value(case when p.status = '死亡' then p.status_date end) as death_date,
            any_value(r.person_uid is not null) as registered_poor,
            any_value(r.poverty_status = '已脱贫') as exited,
            any_value(cast(r.exit_year as integer)) as exit_year,
            {", ".join(f"any_value(c.{en}_from) as {en}_from" for en in categories)}
        from enrol_m e join persons p using (person_uid) join facts_m fa using (person_uid)
        left join roster_m r using (person_uid)
        left join civil_held c using (person_uid)
        where {"e.stop_rsn = '死亡'" if deceased else "e.psn_insu_stas = '1'"}
        group by e.person_uid order by e.person_uid
    """).to_arrow_table()


def county_counts(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The poor population per county and category this month: eligible, and of those enrolled
    in any basic scheme (the county detail of the platforms' summary)."""
    return con.sql("""
        with members as (
            select person_uid, county_code, '建档立卡贫困人口' as category from facts_m
            where on_poverty_roster
            union all
            select person_uid, county_code, unnest(civil_categories) from facts_m
            where civil_categories is not null
            union all
            select person_uid, county_code, '监测对象' from facts_m where monitor is not null
        )
        select m.county_code, m.category,
            count(*) filter (where f.not_eligible_reason is null) as roster_count,
            count(*) filter (where f.not_eligible_reason is null
                             and (f.active_390 or f.active_310)) as enrolled_count
        from members m join facts_m f using (person_uid)
        group by all order by all
    """).to_arrow_table()


def poor_enrolment_summary(
    con: duckdb.DuckDBPyConnection, counts: pa.Table, faults: list[dict]
) -> None:
    """The platforms' counts per level, region and category from the county counts of every
    chunk, with this month's disagreements (``summary_faults_m``) applied."""
    con.register("counted", counts)
    con.execute("""
        create or replace temp table summary_true as
        with county as (
            select '县' as report_level, county_code as admdvs, category, roster_count,
                enrolled_count from counted
        ), city as (
            select '市' as report_level, left(county_code, 4) || '00' as admdvs, category,
                sum(roster_count) as roster_count, sum(enrolled_count) as enrolled_count
            from counted group by all
        ), province as (
            select '省' as report_level, left(county_code, 2) || '0000' as admdvs, category,
                sum(roster_count) as roster_count, sum(enrolled_count) as enrolled_count
            from counted group by all
        )
        select report_level, admdvs, category, roster_count::bigint as roster_count,
            enrolled_count::bigint as enrolled_count,
            (roster_count - enrolled_count)::bigint as not_enrolled_count
        from (select * from province union all select * from city union all select * from county)
    """)
    con.execute(
        "create or replace temp table summary_faults_m (report_level varchar, "
        "admdvs varchar, category varchar, measure varchar, true_value bigint, "
        "reported_value bigint)"
    )
    for fault in faults:
        candidates = con.execute(
            "select admdvs from summary_true where report_level = ? and category = ? "
            "order by admdvs",
            [fault["report_level"], fault["category"]],
        ).fetchall()
        if not candidates:
            continue
        admdvs = candidates[int(fault["region_pick"] * len(candidates))][0]
        measure = fault["measure"]
        true_value = con.execute(
            f"select {measure} from summary_true where report_level = ? and admdvs = ? "
            "and category = ?",
            [fault["report_level"], admdvs, fault["category"]],
        ).fetchone()[0]
        reported = max(0, true_value + fault["delta"])
        if reported == true_value:
            reported = true_value + 1
        con.execute(
            "insert into summary_faults_m values (?, ?, ?, ?, ?, ?)",
            [fault["report_level"], admdvs, fault["category"], measure, true_value, reported],
        )
    order = "case report_level when '省' then 1 when '市' then 2 else 3 end"
    con.execute(f"""
        create or replace temp table out_poor_enrolment_summary as
        select s.report_level, s.admdvs, s.category,
            case when f.measure = 'roster_count' then f.reported_value else s.roster_count end
                as roster_count,
            case when f.measure = 'enrolled_count' then f.reported_value else s.enrolled_count end
                as enrolled_count,
            case when f.measure = 'not_enrolled_count' then f.reported_value
                 else s.not_enrolled_count end as not_enrolled_count
        from summary_true s left join summary_faults_m f using (report_level, admdvs, category)
        order by {order}, s.admdvs, s.category
    """)
