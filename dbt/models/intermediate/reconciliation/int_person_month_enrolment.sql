{#- What the enrolment register (参保登记) says of each person in each delivery month: active
    resident (390) or employee (310) insurance, in how many regions, and a stop reason that makes
    the person ineligible (seed code_stop_reasons). One row per person cluster and month that
    has register rows. Restricted. -#}
{{ config(**incremental_by_month()) }}

with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

enrolment as (
    select links.person_cluster_id, enrolment.*
    from {{ ref('stg_healthcare__enrolment') }} as enrolment
    join links
        on enrolment.source_file = links.source_file
        and enrolment.source_row_number = links.source_row_number
    where {{ in_build_months('enrolment.delivery_month') }}
),

stop_reasons as (
    select stop_reason from {{ ref('code_stop_reasons') }} where makes_ineligible
)

select
    enrolment.person_cluster_id,
    enrolment.delivery_month,
    max(case when insurance_type = '390' and enrolment_status = '1' then 1 else 0 end) = 1
        as has_active_resident,
    max(case when insurance_type = '310' and enrolment_status = '1' then 1 else 0 end) = 1
        as has_active_employee,
    count(distinct case when insurance_type = '390' and enrolment_status = '1'
        then insured_region_code end) as active_resident_regions,
    min(stop_reasons.stop_reason) as ineligible_stop_reason
from enrolment
left join stop_reasons on enrolment.stop_reason = stop_reasons.stop_reason
group by enrolment.person_cluster_id, enrolment.delivery_month
