{#- Cross-department reconciliation (横向比对, G1, H2, H3, A3.1, A6.1, S5.1, S5.3): one row per
    person, finding category and delivery month, with the source row that proves it, the region,
    the departments involved and the suggested action (核实建议, seed ref_reconciliation_categories).
    Status against the previous delivered month: new, persisting, or resolved (a finding of last
    month that this month no longer shows; its evidence is last month's row). first_seen_month is
    the first month of the finding's current unbroken run. No ID number or name. -#}
with findings as (
    select * from {{ ref('int_reconciliation_findings') }}
),

months as (
    select
        delivery_month,
        lag(delivery_month) over (order by delivery_month) as previous_month,
        row_number() over (order by delivery_month) as month_index
    from (select distinct delivery_month from {{ ref('stg_healthcare__enrolment') }}) as delivered
),

runs as (
    select
        findings.*,
        months.previous_month,
        months.month_index - row_number() over (
            partition by findings.person_cluster_id, findings.finding_category
            order by findings.delivery_month
        ) as run_id
    from findings
    join months on findings.delivery_month = months.delivery_month
),

current_findings as (
    select
        runs.*,
        min(delivery_month) over (
            partition by person_cluster_id, finding_category, run_id
        ) as first_seen_month
    from runs
),

with_status as (
    select
        delivery_month, person_cluster_id, finding_category, finding_detail,
        evidence_department, evidence_file, evidence_row_number,
        county_code, township_name, village_name, first_seen_month,
        case when first_seen_month = delivery_month then 'new' else 'persisting' end as status
    from current_findings

    union all
    select
        months.delivery_month, previous.person_cluster_id, previous.finding_category,
        previous.finding_detail, previous.evidence_department, previous.evidence_file,
        previous.evidence_row_number, previous.county_code, previous.township_name,
        previous.village_name, previous.first_seen_month, 'resolved'
    from current_findings as previous
    join months on previous.delivery_month = months.previous_month
    left join findings as still
        on previous.person_cluster_id = still.person_cluster_id
        and previous.finding_category = still.finding_category
        and still.delivery_month = months.delivery_month
    where still.person_cluster_id is null
),

categories as (
    select * from {{ ref('ref_reconciliation_categories') }}
),

persons as (
    select person_cluster_id, person_key from {{ ref('int_persons') }}
)

select
    with_status.delivery_month,
    persons.person_key,
    with_status.finding_category,
    categories.label_zh as finding_label_zh,
    with_status.finding_detail,
    with_status.status,
    with_status.first_seen_month,
    with_status.county_code,
    with_status.township_name,
    with_status.village_name,
    categories.departments,
    categories.counts_as_enrolled,
    categories.suggested_action_zh,
    with_status.evidence_department,
    with_status.evidence_file,
    with_status.evidence_row_number
from with_status
join persons on with_status.person_cluster_id = persons.person_cluster_id
join categories on with_status.finding_category = categories.finding_category
