{#- Findings about the special-person flag (身份标识, H2, S5.1.2, S5.3.3), one row per person,
    category and month:
    - enrolled_not_flagged (身份标识缺失): poor, eligible and enrolled, but no poverty identity in
      the register; proved by the roster (else assistance) row;
    - poverty_flag_contradiction: the poverty roster's 是否参加城乡居民基本医疗保险 disagrees with
      the register's active resident insurance; proved by the roster row;
    - flagged_not_on_roster (有身份标识但不在名册): a poverty identity in the register, but the
      person is poor on no roster this month; proved by the person's first identity row.
    Every finding reads its own month only, so the model builds incrementally by month. -#}
{{ config(**incremental_by_month()) }}

with coverage as (
    select * from {{ ref('int_person_month_coverage') }}
    where {{ in_build_months() }}
),

flags as (
    select * from {{ ref('int_person_month_flags') }}
    where {{ in_build_months() }}
),

active_region as (
    select person_cluster_id, delivery_month, min(insured_region_code) as insured_region_code
    from {{ ref('int_person_month_active_enrolment') }}
    where {{ in_build_months() }}
    group by person_cluster_id, delivery_month
),

about_the_poor as (
    select *, 'enrolled_not_flagged' as finding_category
    from coverage
    where is_eligible and is_enrolled and not has_poverty_flag

    union all
    select *, 'poverty_flag_contradiction'
    from coverage
    where is_eligible and on_poverty_roster
        and roster_believes_resident_insured <> has_active_resident
),

flagged_not_poor as (
    select flags.*
    from flags
    left join coverage
        on flags.person_cluster_id = coverage.person_cluster_id
        and flags.delivery_month = coverage.delivery_month
    where flags.has_poverty_flag and coverage.person_cluster_id is null
)

select
    person_cluster_id, delivery_month, finding_category,
    cast(null as string) as finding_detail,
    evidence_department, evidence_file, evidence_row_number,
    county_code, township_name, village_name
from about_the_poor

union all
select
    flagged_not_poor.person_cluster_id, flagged_not_poor.delivery_month,
    'flagged_not_on_roster', cast(null as string), 'healthcare',
    flagged_not_poor.evidence_file, flagged_not_poor.evidence_row_number,
    active_region.insured_region_code, cast(null as string), cast(null as string)
from flagged_not_poor
left join active_region
    on flagged_not_poor.person_cluster_id = active_region.person_cluster_id
    and flagged_not_poor.delivery_month = active_region.delivery_month
