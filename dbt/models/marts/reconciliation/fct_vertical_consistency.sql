{#- Vertical consistency of the platforms' own counts (省市县三级参保比对, S5.1.3): every row of
    poor_enrolment_summary, one per measure, against the sum of the same file's county rows
    under it and against the warehouse's own figure at that level (fct_coverage_monthly; the
    summary's roster_count is the eligible count, 应参保人数). A disagreement names the level,
    region, category and measure. -#}
with summary as (
    select * from {{ ref('stg_healthcare__poor_enrolment_summary') }}
),

categories as (
    select population_category, {{ seed_text('summary_category') }} as summary_category
    from {{ ref('ref_population_categories') }}
    where {{ seed_text('summary_category') }} is not null
),

reported as (
    {%- for measure in ['roster_count', 'enrolled_count', 'not_enrolled_count'] %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select delivery_month, source_file, source_row_number, report_level,
        region_code as reported_region_code, population_category as summary_category,
        '{{ measure }}' as measure, {{ measure }} as reported_value
    from summary
    {%- endfor %}
),

coded as (
    select
        reported.*,
        categories.population_category,
        case report_level when '省' then 'province' when '市' then 'city' else 'county' end
            as region_level,
        case report_level when '省' then substr(reported_region_code, 1, 2)
            when '市' then substr(reported_region_code, 1, 4)
            else reported_region_code end as region_code
    from reported
    join categories on reported.summary_category = categories.summary_category
),

reported_counties as (
    select delivery_month, population_category, measure, region_code as county_code,
        reported_value
    from coded
    where region_level = 'county'
),

counties_added as (
    {{ roll_up_regions('reported_counties', ['delivery_month', 'population_category', 'measure'],
        ['reported_value']) }}
),

warehouse as (
    {%- for measure, column in [('roster_count', 'eligible_count'),
                                ('enrolled_count', 'enrolled_count'),
                                ('not_enrolled_count', 'not_enrolled_count')] %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select delivery_month, region_code, population_category, '{{ measure }}' as measure,
        {{ column }} as warehouse_value
    from {{ ref('fct_coverage_monthly') }}
    where region_level in ('province', 'city', 'county')
    {%- endfor %}
),

compared as (
    select
        coded.*,
        coalesce(counties_added.reported_value, coded.reported_value) as counties_value,
        coalesce(warehouse.warehouse_value, 0) as warehouse_value
    from coded
    left join counties_added
        on coded.delivery_month = counties_added.delivery_month
        and coded.population_category = counties_added.population_category
        and coded.measure = counties_added.measure
        and coded.region_level = counties_added.region_level
        and coded.region_code = counties_added.region_code
    left join warehouse
        on coded.delivery_month = warehouse.delivery_month
        and coded.population_category = warehouse.population_category
        and coded.measure = warehouse.measure
        and coded.region_code = warehouse.region_code
)

select
    delivery_month,
    report_level,
    region_level,
    region_code,
    reported_region_code,
    population_category,
    summary_category,
    measure,
    reported_value,
    counties_value,
    warehouse_value,
    reported_value = counties_value as agrees_with_counties,
    reported_value = warehouse_value as agrees_with_warehouse,
    case when reported_value <> counties_value
        then report_level || ' ' || reported_region_code || ' ' || summary_category || ' '
            || measure || ': reported ' || cast(reported_value as string)
            || ', counties add up to ' || cast(counties_value as string)
        when reported_value <> warehouse_value
        then report_level || ' ' || reported_region_code || ' ' || summary_category || ' '
            || measure || ': reported ' || cast(reported_value as string)
            || ', warehouse counts ' || cast(warehouse_value as string)
    end as finding_detail,
    source_file,
    source_row_number
from compared
