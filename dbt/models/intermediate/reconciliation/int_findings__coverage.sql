{#- Findings about whether the poor are insured (G1, H3, S5.1.2, S5.3.2), one row per person,
    category and month, proved by the roster row (else the assistance row) that makes the person
    poor:
    - not_eligible (不符合参保条件): the reason is the detail; the person leaves the denominator;
    - poor_not_enrolled (困难人员未参保): eligible, no active resident or employee insurance;
    - employee_insurance (参加职工医保): eligible, employee but no resident insurance, covered;
    - enrolled_elsewhere (异地参保): resident insurance, but none in the county of registration. -#}
{{ config(**incremental_by_month()) }}

with coverage as (
    select * from {{ ref('int_person_month_coverage') }}
    where {{ in_build_months() }}
),

classified as (
    select *, 'not_eligible' as finding_category, ineligible_reason as finding_detail
    from coverage
    where not is_eligible

    union all
    select *, 'poor_not_enrolled', cast(null as string)
    from coverage
    where is_eligible and not is_enrolled

    union all
    select *, 'employee_insurance', '310'
    from coverage
    where is_eligible and has_active_employee and not has_active_resident

    union all
    select *, 'enrolled_elsewhere', insured_region_code
    from coverage
    where is_eligible and is_enrolled_elsewhere
)

select
    person_cluster_id,
    delivery_month,
    finding_category,
    finding_detail,
    evidence_department,
    evidence_file,
    evidence_row_number,
    county_code,
    township_name,
    village_name
from classified
