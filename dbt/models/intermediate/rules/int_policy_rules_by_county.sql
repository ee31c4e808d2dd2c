{#- Which value of every policy rule applies in each county, year and population category
    (seed ref_policy_parameters): the most specific region wins (county over city over province
    over the national default), then a row for the category over a row for everyone. Grain:
    rule, county, year, category (empty = anyone without a more specific row). Rule checks join
    this table; auditors read it to see what applied where and why. -#}
with parameters as (
    select
        rule_id, year_from, year_to, value, unit, source_document, source_article, policy_ref,
        {{ seed_text('population_category') }} as population_category,
        coalesce({{ seed_text('region_code') }}, '') as region_prefix,
        coalesce({{ seed_text('population_category') }}, '') as category_key
    from {{ ref('ref_policy_parameters') }}
),

counties as (
    select region_code as county_code from {{ ref('int_regions') }}
    where region_level = 'county'
),

years as (
    select distinct cast(substr(delivery_month, 1, 4) as integer) as rule_year
    from {{ ref('stg_healthcare__enrolment') }}
    union
    select distinct cast(substr(delivery_month, 1, 4) as integer) + 1
    from {{ ref('stg_healthcare__enrolment') }}
    union
    select distinct year_from from parameters
),

categories as (
    select distinct rule_id, category_key from parameters
    union
    select distinct rule_id, '' from parameters
),

candidates as (
    select
        categories.rule_id,
        counties.county_code,
        years.rule_year,
        categories.category_key as population_category,
        parameters.value,
        parameters.unit,
        parameters.region_prefix as matched_region_code,
        parameters.population_category as matched_population_category,
        parameters.source_document,
        parameters.source_article,
        parameters.policy_ref,
        row_number() over (
            partition by categories.rule_id, counties.county_code, years.rule_year,
                categories.category_key
            order by length(parameters.region_prefix) desc,
                case when parameters.category_key = categories.category_key then 0 else 1 end
        ) as specificity
    from categories
    cross join counties
    cross join years
    join parameters
        on parameters.rule_id = categories.rule_id
        and substr(counties.county_code, 1, length(parameters.region_prefix))
            = parameters.region_prefix
        and years.rule_year >= parameters.year_from
        and years.rule_year <= coalesce(parameters.year_to, years.rule_year)
        and parameters.category_key in (categories.category_key, '')
)

select
    rule_id, county_code, rule_year, population_category, value, unit, matched_region_code,
    matched_population_category, source_document, source_article, policy_ref
from candidates
where specificity = 1
