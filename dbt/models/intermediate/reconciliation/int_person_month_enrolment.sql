{#- What the enrolment register (参保登记) says of each person in each delivery month: active
    resident (390) or employee (310) insurance, in how many regions, and a stop reason that makes
    the person ineligible (seed code_stop_reasons). One row per person cluster and month that
    has register rows. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

enrolment as (
    select
        links.person_cluster_id,
        enrolment.*,
        case when enrolment.insurance_type = '390' and enrolment.enrolment_status = '1'
            then enrolment.insured_region_code end as active_resident_region
    from {{ ref('stg_healthcare__enrolment') }} as enrolment
    join links
        on enrolment.source_file = links.source_file
        and enrolment.source_row_number = links.source_row_number
    where {{ in_build_months('enrolment.delivery_month') }}
),

stop_reasons as (
    select stop_reason from {{ ref('code_stop_reasons') }} where makes_ineligible
),

{#- Two plain aggregates instead of one with count(distinct): over the province tier's 60M
    register rows a month, the grouped distinct count ran out of DuckDB's 10 GB where plain
    aggregates spill. The first level leaves one row per person, month and active resident region
    (null for the person's other rows), so the second counts the regions. -#}
by_region as (
    select
        enrolment.person_cluster_id,
        enrolment.delivery_month,
        enrolment.active_resident_region,
        max(case when insurance_type = '390' and enrolment_status = '1' then 1 else 0 end)
            as has_active_resident,
        max(case when insurance_type = '310' and enrolment_status = '1' then 1 else 0 end)
            as has_active_employee,
        min(stop_reasons.stop_reason) as ineligible_stop_reason
    from enrolment
    left join stop_reasons on enrolment.stop_reason = stop_reasons.stop_reason
    group by
        enrolment.person_cluster_id, enrolment.delivery_month, enrolment.active_resident_region
)

select
    person_cluster_id,
    delivery_month,
    max(has_active_resident) = 1 as has_active_resident,
    max(has_active_employee) = 1 as has_active_employee,
    count(active_resident_region) as active_resident_regions,
    min(ineligible_stop_reason) as ineligible_stop_reason
from by_region
group by person_cluster_id, delivery_month
