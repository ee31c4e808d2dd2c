{#- The monthly bulletin of the poor population's enrolment (困难人员参保情况月通报, S5.1.2) by
    county and township: the all_poor coverage of fct_coverage_monthly with the month's
    reconciliation findings still open (new or persisting) and resolved since last month. The
    xlsx export under exports/<YYYY-MM>/ is this table with Chinese headers. -#}
with coverage as (
    select * from {{ ref('fct_coverage_monthly') }}
    where population_category = 'all_poor' and region_level in ('county', 'township')
),

findings as (
    select * from {{ ref('fct_reconciliation_finding') }}
),

townships as (
    select region_code as township_code, region_name as township_name, parent_code
    from {{ ref('int_regions') }}
    where region_level = 'township'
),

finding_regions as (
    select findings.delivery_month, findings.status, findings.county_code,
        townships.township_code
    from findings
    left join townships
        on findings.county_code = townships.parent_code
        and findings.township_name = townships.township_name
),

counted as (
    select delivery_month, 'county' as region_level, county_code as region_code,
        sum(case when status <> 'resolved' then 1 else 0 end) as open_finding_count,
        sum(case when status = 'new' then 1 else 0 end) as new_finding_count,
        sum(case when status = 'resolved' then 1 else 0 end) as resolved_finding_count
    from finding_regions
    group by delivery_month, county_code

    union all
    select delivery_month, 'township', township_code,
        sum(case when status <> 'resolved' then 1 else 0 end),
        sum(case when status = 'new' then 1 else 0 end),
        sum(case when status = 'resolved' then 1 else 0 end)
    from finding_regions
    where township_code is not null
    group by delivery_month, township_code
)

select
    coverage.delivery_month,
    coverage.region_level,
    coverage.region_code,
    coverage.region_name,
    case coverage.region_level when 'township' then coverage.parent_region_code
        end as parent_region_code,
    case coverage.region_level when 'county' then coverage.region_code
        else coverage.parent_region_code end as county_code,
    coverage.roster_count,
    coverage.excluded_count,
    coverage.eligible_count,
    coverage.enrolled_count,
    coverage.resident_enrolled_count,
    coverage.employee_enrolled_count,
    coverage.enrolled_elsewhere_count,
    coverage.not_enrolled_count,
    coverage.coverage_rate,
    coverage.premium_paid_count,
    coverage.premium_payment_rate,
    cast(coalesce(counted.open_finding_count, 0) as bigint) as open_finding_count,
    cast(coalesce(counted.new_finding_count, 0) as bigint) as new_finding_count,
    cast(coalesce(counted.resolved_finding_count, 0) as bigint) as resolved_finding_count
from coverage
left join counted
    on coverage.delivery_month = counted.delivery_month
    and coverage.region_level = counted.region_level
    and coverage.region_code = counted.region_code
