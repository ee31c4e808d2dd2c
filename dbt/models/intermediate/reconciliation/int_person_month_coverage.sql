{#- Each poor person's coverage in each delivery month (参保情况, G1, S5.1.2): not eligible and why
    (不符合参保条件: the roster's 人员状态, else the register's stop reason), enrolled and in which
    scheme and region, enrolled outside the county of registration (异地参保), flagged in the
    register, and the premium paid for the insured year. The findings, the coverage mart and the
    poverty office's exchange file all read it. One row per person cluster and month of
    int_person_month_poverty. The township is resolved with the names delivered up to the
    month (int_region_names_seen), so the model builds incrementally by month. Restricted. -#}
{{ config(**incremental_by_month()) }}

with poor as (
    select * from {{ ref('int_person_month_poverty') }}
    where {{ in_build_months() }}
),

enrolment as (
    select * from {{ ref('int_person_month_enrolment') }}
    where {{ in_build_months() }}
),

active as (
    select * from {{ ref('int_person_month_active_enrolment') }}
    where {{ in_build_months() }}
),

insured_region as (
    select
        poor.person_cluster_id,
        poor.delivery_month,
        max(case when active.insurance_type = '390'
            and active.insured_region_code = poor.county_code then 1 else 0 end) = 1
            as has_resident_at_home,
        min(case when active.insurance_type = '390' then active.insured_region_code end)
            as resident_region_code,
        min(case when active.insurance_type = '310' then active.insured_region_code end)
            as employee_region_code
    from poor
    join active
        on poor.person_cluster_id = active.person_cluster_id
        and poor.delivery_month = active.delivery_month
    group by poor.person_cluster_id, poor.delivery_month
),

flags as (
    select * from {{ ref('int_person_month_flags') }}
    where {{ in_build_months() }}
),

payments as (
    select * from {{ ref('int_person_month_payments') }}
    where {{ in_build_months() }}
),

{#- a township's name as of the month: the first by sort order of the names delivered up to
    then (int_townships takes the same over every month) -#}
townships as (
    select months.delivery_month, names.county_code, names.region_code as township_code,
        min(names.region_name) as township_name
    from (select distinct delivery_month from poor) as months
    join {{ ref('int_region_names_seen') }} as names
        on names.region_level = 'township'
        and (names.first_delivery_month is null
            or names.first_delivery_month <= months.delivery_month)
    group by months.delivery_month, names.county_code, names.region_code
),

joined as (
    select
        poor.*,
        townships.township_code,
        coalesce(poor.roster_ineligible_status, enrolment.ineligible_stop_reason)
            as ineligible_reason,
        case when poor.roster_ineligible_status is not null then 'poverty'
            when enrolment.ineligible_stop_reason is not null then 'healthcare'
        end as ineligible_reason_department,
        coalesce(enrolment.has_active_resident, false) as has_active_resident,
        coalesce(enrolment.has_active_employee, false) as has_active_employee,
        coalesce(insured_region.has_resident_at_home, false) as has_resident_at_home,
        insured_region.resident_region_code,
        insured_region.employee_region_code,
        coalesce(flags.has_poverty_flag, false) as has_poverty_flag,
        payments.person_cluster_id is not null as has_paid_premium
    from poor
    left join enrolment
        on poor.person_cluster_id = enrolment.person_cluster_id
        and poor.delivery_month = enrolment.delivery_month
    left join insured_region
        on poor.person_cluster_id = insured_region.person_cluster_id
        and poor.delivery_month = insured_region.delivery_month
    left join flags
        on poor.person_cluster_id = flags.person_cluster_id
        and poor.delivery_month = flags.delivery_month
    left join payments
        on poor.person_cluster_id = payments.person_cluster_id
        and poor.delivery_month = payments.delivery_month
    left join townships
        on poor.delivery_month = townships.delivery_month
        and poor.county_code = townships.county_code
        and poor.township_name = townships.township_name
)

select
    person_cluster_id,
    delivery_month,
    county_code,
    township_code,
    township_name,
    village_name,
    on_poverty_roster,
    evidence_department,
    evidence_file,
    evidence_row_number,
    ineligible_reason,
    ineligible_reason_department,
    ineligible_reason is null as is_eligible,
    has_active_resident or has_active_employee as is_enrolled,
    has_active_resident,
    has_active_employee,
    case when has_active_resident then '390' when has_active_employee then '310' end
        as insurance_type,
    case when has_active_resident and has_resident_at_home then county_code
        when has_active_resident then resident_region_code
        when has_active_employee then employee_region_code
    end as insured_region_code,
    has_active_resident and not has_resident_at_home as is_enrolled_elsewhere,
    has_poverty_flag,
    roster_believes_resident_insured,
    has_paid_premium
from joined
