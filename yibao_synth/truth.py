"""Ground truth: every injected problem of a month, with the file and row that shows it.

Reconciliation findings are derived from the month's facts with the definitions of
docs/ground-truth.md, so natural cases (a death, a household that joins the roster) are in the
truth as much as injected ones. ID anomalies come from the records written with a fault.
"""

from __future__ import annotations

import duckdb

ID_COLUMN = {
    "poverty_roster": "证件号码",
    "assistance_roster": "成员身份证号",
    "premium_payments": "缴费人证件号码",
    "enrolment": "certno",
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        create or replace table records (
            month varchar, department varchar, kind varchar, source_file varchar,
            row_number bigint, person_uid bigint, fault varchar, is_duplicate boolean,
            delivered_id varchar, insured_year integer, ticket varchar, void_flag varchar,
            psn_no varchar, insutype varchar, psn_insu_stas varchar)
    """)


def month_truth(con: duckdb.DuckDBPyConnection, month: str, m: int) -> duckdb.DuckDBPyRelation:
    """All truth rows of the month, as a relation (kind, grp, expected_table, ...)."""
    year = int(month[:4])
    ev = f"(select * from records where month = '{month}' and not is_duplicate)"
    con.execute(f"""
        create or replace temp table evidence_m as
        with roster as (
            select person_uid, 'poverty' as department, source_file, min(row_number) as row_number
            from {ev} where kind = 'poverty_roster' group by all
        ), civil as (
            select person_uid, 'civil_affairs' as department, source_file,
                min(row_number) as row_number
            from {ev} where kind = 'assistance_roster'
              and person_uid not in (select person_uid from roster) group by all
        ), first_civil as (
            select * from civil qualify row_number() over (partition by person_uid
                                                          order by source_file, row_number) = 1
        )
        select * from roster union all select * from first_civil
    """)
    rec = """
        select 'reconciliation' as grp, 'fct_reconciliation_finding' as expected_table, *
        from (
            select 'poor_not_enrolled' as kind, f.person_uid, null as detail from facts_m f
            where f.poor and f.not_eligible_reason is null and not (f.active_390 or f.active_310)
            union all
            select 'enrolled_not_flagged', f.person_uid, null from facts_m f
            where f.poor and f.not_eligible_reason is null and (f.active_390 or f.active_310)
              and not f.flagged
            union all
            select 'enrolled_elsewhere', f.person_uid, null from facts_m f
            where f.poor and f.not_eligible_reason is null and f.active_390
              and not f.active_390_at_home
            union all
            select 'employee_insurance', f.person_uid, '310' from facts_m f
            where f.poor and f.not_eligible_reason is null and f.active_310 and not f.active_390
            union all
            select 'not_eligible', f.person_uid, f.not_eligible_reason from facts_m f
            where f.poor and f.not_eligible_reason is not null
            union all
            select 'poverty_flag_contradiction', f.person_uid, null from facts_m f
            join persons p using (person_uid)
            where f.on_poverty_roster and f.not_eligible_reason is null and p.insured_flag_wrong
        ) x
    """
    con.execute(f"""
        create or replace temp table truth_m as
        with poor_findings as ({rec})
        select pf.kind, pf.grp, pf.expected_table, pf.person_uid,
            e.department, e.source_file, e.row_number, null::varchar as column_name,
            null::varchar as delivered_value, pf.detail
        from poor_findings pf left join evidence_m e using (person_uid)
    """)
    # findings whose evidence is a healthcare or tax record
    con.execute(f"""
        insert into truth_m
        with enrol as (
            select * from {ev} where kind = 'enrolment'
        ), dup as (
            select f.person_uid from facts_m f
            where (f.active_390 and f.active_310) or f.regions_390 >= 2
        ), flagged_only as (
            select f.person_uid from facts_m f where f.flagged and not f.poor
        ), paid as (
            select r.person_uid, r.source_file, r.row_number, r.ticket from records r
            where r.kind = 'premium_payments' and r.void_flag = '0'
              and r.insured_year = {year} and r.month <= '{month}'
              and r.ticket not in (select ticket from records
                                   where kind = 'premium_payments' and void_flag = '1'
                                     and month <= '{month}')
        ), paid_not_enrolled as (
            select p.* from paid p join facts_m f using (person_uid) where not f.active_390
            qualify row_number() over (partition by p.person_uid order by p.source_file desc,
                                       p.row_number) = 1
        )
        select 'duplicate_enrolment', 'reconciliation', 'fct_reconciliation_finding',
            d.person_uid, 'healthcare', e.source_file, min(e.row_number), null, null, null
        from dup d join enrol e using (person_uid) where e.psn_insu_stas = '1' group by all
        union all
        select 'flagged_not_on_roster', 'reconciliation', 'fct_reconciliation_finding',
            f.person_uid, 'healthcare', r.source_file, min(r.row_number), null, null, null
        from flagged_only f join {ev} r using (person_uid)
        where r.kind = 'person_identities' group by all
        union all
        select 'paid_not_enrolled', 'reconciliation', 'fct_reconciliation_finding',
            person_uid, 'tax', source_file, row_number, null, null, null
        from paid_not_enrolled
    """)
    # subsidy violations, on the tax row that carries them
    con.execute(f"""
        insert into truth_m
        select pp.subsidy_fault, 'premium', 'fct_premium_subsidy_check', r.person_uid, 'tax',
            r.source_file, r.row_number, '资助金额', pp.subsidy::varchar, pp.ticket
        from payment_plan pp
        join records r
            on r.kind = 'premium_payments' and r.month = '{month}' and not r.is_duplicate
            and r.ticket = pp.ticket and r.void_flag = pp.void_flag
        where pp.subsidy_fault is not null
    """)
    # ID anomalies, one per faulty record; duplicates on both records
    con.execute(f"""
        insert into truth_m
        select case fault when 'linkage_typo' then 'bad_check_digit' else fault end,
            'id_anomaly', 'fct_id_anomaly', person_uid, department, source_file, row_number,
            case kind {" ".join(f"when '{k}' then '{v}'" for k, v in ID_COLUMN.items())} end,
            delivered_id, null
        from records where month = '{month}' and fault is not null
        union all
        select 'duplicate_id', 'id_anomaly', 'fct_id_anomaly', r.person_uid, r.department,
            r.source_file, r.row_number,
            case r.kind {" ".join(f"when '{k}' then '{v}'" for k, v in ID_COLUMN.items())} end,
            r.delivered_id, null
        from records r
        where r.month = '{month}' and r.kind in ('poverty_roster', 'assistance_roster')
          and exists (select 1 from records d where d.month = r.month and d.is_duplicate
                      and d.person_uid = r.person_uid and d.source_file = r.source_file)
    """)
    return con.sql("select * from truth_m")


def vertical_truth(con: duckdb.DuckDBPyConnection, source_file: str):
    """Truth rows of the summary disagreements (``summary_faults_m`` of delivered.py)."""
    return con.sql(f"""
        select 'summary_disagreement' as kind, 'vertical' as grp,
            'fct_vertical_consistency' as expected_table, null::bigint as person_uid,
            'healthcare' as department, '{source_file}' as source_file,
            null::bigint as row_number, measure as column_name,
            reported_value::varchar as delivered_value,
            report_level || ' ' || admdvs || ' ' || category || ' ' || measure || ': reported '
                || reported_value || ', counties add up to ' || true_value as detail
        from summary_faults_m
    """).to_arrow_table()
