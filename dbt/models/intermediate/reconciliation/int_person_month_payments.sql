{#- Premiums paid for the insured year of each delivery month (城乡居民医保个人缴费, tax bureau):
    per person cluster and month m, the payments booked in or before m for the calendar year of m
    (费款所属期) and not voided (冲红) in or before m. The evidence is the latest delivered payment
    row. Payments for next year, booked in the autumn season, count from January. Built by
    month: the months being built read every payment delivered up to them. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
),

months as (
    select distinct delivery_month from {{ ref('stg_healthcare__enrolment') }}
    where {{ in_build_months() }}
),

payments as (
    select links.person_cluster_id, payments.*
    from {{ ref('stg_tax__premium_payments') }} as payments
    join links
        on payments.source_file = links.source_file
        and payments.source_row_number = links.source_row_number
),

voids as (
    select payment_id, min(delivery_month) as voided_month
    from payments
    where is_void
    group by payment_id
),

standing as (
    select
        months.delivery_month,
        payments.person_cluster_id,
        payments.source_file,
        payments.source_row_number,
        payments.premium_paid,
        payments.subsidy_amount,
        payments.county_code,
        row_number() over (
            partition by payments.person_cluster_id, months.delivery_month
            order by payments.source_file desc, payments.source_row_number
        ) as recency
    from payments
    join months
        on payments.delivery_month <= months.delivery_month
        and extract(year from payments.insured_period_start)
            = cast(substr(months.delivery_month, 1, 4) as integer)
    left join voids
        on payments.payment_id = voids.payment_id
        and voids.voided_month <= months.delivery_month
    where not payments.is_void
        and voids.payment_id is null
)

select
    person_cluster_id,
    delivery_month,
    count(*) as payment_count,
    sum(premium_paid) as premium_paid,
    sum(subsidy_amount) as subsidy_amount,
    min(case when recency = 1 then source_file end) as evidence_file,
    min(case when recency = 1 then source_row_number end) as evidence_row_number,
    min(case when recency = 1 then county_code end) as evidence_county_code
from standing
group by person_cluster_id, delivery_month
