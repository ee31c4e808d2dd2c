{#- Findings the register and the tax bureau show for anyone, poor or not, one row per person,
    category and month:
    - duplicate_enrolment (重复参保, A6.1): active resident and employee insurance at once, or
      active resident insurance in two regions; proved by the first active register row;
    - paid_not_enrolled (已缴费未参保): a standing premium payment for the insured year (see
      int_person_month_payments) but no active resident insurance; proved by the latest payment
      row. County, township and village are the poverty row's when the person is poor. Every
    finding reads its own month only, so the model builds incrementally by month. -#}
{{ config(**incremental_by_month()) }}

with active as (
    select * from {{ ref('int_person_month_active_enrolment') }}
    where {{ in_build_months() }}
),

enrolment as (
    select * from {{ ref('int_person_month_enrolment') }}
    where {{ in_build_months() }}
),

payments as (
    select * from {{ ref('int_person_month_payments') }}
    where {{ in_build_months() }}
),

poor as (
    select * from {{ ref('int_person_month_poverty') }}
    where {{ in_build_months() }}
),

duplicated as (
    select person_cluster_id, delivery_month
    from enrolment
    where (has_active_resident and has_active_employee) or active_resident_regions >= 2
),

first_active_row as (
    select active.*, row_number() over (
        partition by active.person_cluster_id, active.delivery_month
        order by active.evidence_file, active.evidence_row_number
    ) as row_rank
    from active
    join duplicated
        on active.person_cluster_id = duplicated.person_cluster_id
        and active.delivery_month = duplicated.delivery_month
),

findings as (
    select person_cluster_id, delivery_month, 'duplicate_enrolment' as finding_category,
        'healthcare' as evidence_department, evidence_file, evidence_row_number,
        insured_region_code as county_code
    from first_active_row
    where row_rank = 1

    union all
    select payments.person_cluster_id, payments.delivery_month, 'paid_not_enrolled', 'tax',
        payments.evidence_file, payments.evidence_row_number, payments.evidence_county_code
    from payments
    left join enrolment
        on payments.person_cluster_id = enrolment.person_cluster_id
        and payments.delivery_month = enrolment.delivery_month
    where not coalesce(enrolment.has_active_resident, false)
)

select
    findings.person_cluster_id,
    findings.delivery_month,
    findings.finding_category,
    cast(null as string) as finding_detail,
    findings.evidence_department,
    findings.evidence_file,
    findings.evidence_row_number,
    coalesce(poor.county_code, findings.county_code) as county_code,
    poor.township_name,
    poor.village_name
from findings
left join poor
    on findings.person_cluster_id = poor.person_cluster_id
    and findings.delivery_month = poor.delivery_month
