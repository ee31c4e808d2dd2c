{#- Who watches which region for return to poverty (返贫监测, S9.3): counties with a high poverty
    incidence (贫困发生率) are watched by the province, such townships by the city. Incidence =
    registered poor not yet exited (未脱贫) on the month's roster / registered population of the
    reference file (户籍人口, the latest year not after the month); high from
    poverty_watch_incidence_min (seed). One row per month, level and region. Villages, which
    the county watches, have no population figure in the deliveries. -#}
with poor as (
    select coverage.delivery_month, coverage.county_code, coverage.township_code
    from {{ ref('int_person_month_coverage') }} as coverage
    join {{ ref('int_person_categories') }} as categories
        on coverage.person_cluster_id = categories.person_cluster_id
        and coverage.delivery_month = categories.delivery_month
    where categories.source_kind = 'poverty_roster'
        and categories.category = 'registered_poor'
        and categories.category_status = 'not_exited'
),

population as (
    select * from {{ ref('stg_reference__population') }}
),

months as (
    select distinct delivery_month from poor
),

population_year as (
    select months.delivery_month, max(population.population_year) as population_year
    from months
    join population
        on population.population_year <= cast(substr(months.delivery_month, 1, 4) as integer)
    group by months.delivery_month
),

counted as (
    select delivery_month, 'county' as region_level, county_code as region_code,
        county_code, count(*) as not_exited_count
    from poor group by delivery_month, county_code
    union all
    select delivery_month, 'township', township_code, county_code, count(*)
    from poor where township_code is not null
    group by delivery_month, township_code, county_code
),

registered as (
    select population_year, 'county' as region_level, county_code as region_code,
        sum(registered_population) as registered_population
    from population group by population_year, county_code
    union all
    select population_year, 'township', township_code, sum(registered_population)
    from population group by population_year, township_code
),

rules as (
    select county_code, rule_year, value as incidence_min, source_document, source_article,
        policy_ref
    from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'poverty_watch_incidence_min' and population_category = ''
)

select
    counted.delivery_month,
    counted.region_level,
    counted.region_code,
    counted.county_code,
    counted.not_exited_count,
    registered.registered_population,
    {{ ratio('counted.not_exited_count', 'registered.registered_population') }}
        as poverty_incidence,
    rules.incidence_min,
    {{ ratio('counted.not_exited_count', 'registered.registered_population') }}
        >= rules.incidence_min as is_high_incidence,
    case counted.region_level when 'county' then 'province' else 'city' end as watched_by,
    rules.source_document,
    rules.source_article,
    rules.policy_ref
from counted
join population_year on counted.delivery_month = population_year.delivery_month
join registered
    on registered.population_year = population_year.population_year
    and registered.region_level = counted.region_level
    and registered.region_code = counted.region_code
join rules
    on rules.county_code = counted.county_code
    and rules.rule_year = cast(substr(counted.delivery_month, 1, 4) as integer)
