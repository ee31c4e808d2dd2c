{#- The population categories (人员类别) each poor person is counted under in a delivery month,
    for the coverage split: registered_poor (on the poverty roster, any 人员状态), monitored
    (the roster's 监测对象 category), and the civil-affairs categories of the poor population
    (特困供养, 城乡低保, 低保边缘) held with status 在保; plus all_poor, once per person. A
    person can be in several categories. Builds incrementally by month. Restricted. -#}
{{ config(**incremental_by_month()) }}

with coverage as (
    select person_cluster_id, delivery_month from {{ ref('int_person_month_coverage') }}
    where {{ in_build_months() }}
),

held as (
    select person_cluster_id, delivery_month, category
    from {{ ref('int_person_categories') }}
    where {{ in_build_months() }}
        and (source_kind = 'poverty_roster'
            or (source_kind = 'assistance_roster' and category_status = '在保'))
),

population_categories as (
    select population_category from {{ ref('ref_population_categories') }}
)

select coverage.person_cluster_id, coverage.delivery_month, 'all_poor' as population_category
from coverage

union
select held.person_cluster_id, held.delivery_month, held.category
from held
join coverage
    on held.person_cluster_id = coverage.person_cluster_id
    and held.delivery_month = coverage.delivery_month
join population_categories on held.category = population_categories.population_category
