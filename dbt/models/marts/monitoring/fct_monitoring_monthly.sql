{#- Monthly operation analysis (医保扶贫运行分析, S6.2, S7) by delivery month, region level
    (province, city, county: the insuring region) and population category (all_insured, plus
    the poor categories of ref_population_categories): outpatient and inpatient visits (人次)
    and persons (人数), care flows (就医流向) and institution levels, total and policy-range
    cost, payments by fund, the actual and policy-range reimbursement ratios, the one-stop
    settlement rate and the out-of-area instant-settlement rate. Built per county and rolled up
    (macro roll_up_regions), so every count and amount adds up; a person is counted once in
    each insuring county with a visit that month. -#}
{%- set counts = ['visits', 'outpatient_visits', 'inpatient_visits', 'visits_in_county',
    'visits_in_city', 'visits_in_province', 'visits_out_of_province', 'visits_level_3',
    'visits_level_2', 'visits_level_1', 'visits_level_unrated', 'one_stop_visits',
    'out_of_area_visits', 'out_of_area_one_stop_visits'] %}
{%- set amounts = ['total_cost', 'policy_range_cost', 'basic_fund_paid',
    'critical_illness_paid', 'medical_assistance_paid', 'safety_net_paid', 'other_funds_paid',
    'fund_paid_total', 'out_of_pocket'] %}
with care as (
    select * from {{ ref('int_settlement_care') }}
),

persons_with_care as (
    select distinct person_cluster_id, delivery_month from care
),

person_categories as (
    select person_cluster_id, delivery_month, 'all_insured' as population_category
    from persons_with_care
    union all
    select categories.person_cluster_id, categories.delivery_month,
        categories.population_category
    from {{ ref('int_person_month_population_categories') }} as categories
    join persons_with_care
        on categories.person_cluster_id = persons_with_care.person_cluster_id
        and categories.delivery_month = persons_with_care.delivery_month
),

visits as (
    select
        care.delivery_month,
        person_categories.population_category,
        care.insured_county_code as county_code,
        1 as visits,
        case when care.is_inpatient then 0 else 1 end as outpatient_visits,
        case when care.is_inpatient then 1 else 0 end as inpatient_visits,
        case when care.care_flow = 'in_county' then 1 else 0 end as visits_in_county,
        case when care.care_flow = 'in_city' then 1 else 0 end as visits_in_city,
        case when care.care_flow = 'in_province' then 1 else 0 end as visits_in_province,
        case when care.care_flow = 'out_of_province' then 1 else 0 end
            as visits_out_of_province,
        case when care.institution_level = '三级' then 1 else 0 end as visits_level_3,
        case when care.institution_level = '二级' then 1 else 0 end as visits_level_2,
        case when care.institution_level = '一级' then 1 else 0 end as visits_level_1,
        case when care.institution_level not in ('三级', '二级', '一级') then 1 else 0 end
            as visits_level_unrated,
        case when care.is_one_stop then 1 else 0 end as one_stop_visits,
        case when care.is_out_of_area then 1 else 0 end as out_of_area_visits,
        case when care.is_out_of_area and care.is_one_stop then 1 else 0 end
            as out_of_area_one_stop_visits,
        {%- for amount in amounts %}
        care.{{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}
    from care
    join person_categories
        on care.person_cluster_id = person_categories.person_cluster_id
        and care.delivery_month = person_categories.delivery_month
),

persons as (
    select
        care.delivery_month,
        person_categories.population_category,
        care.insured_county_code as county_code,
        max(case when care.is_inpatient then 0 else 1 end) as outpatient_persons,
        max(case when care.is_inpatient then 1 else 0 end) as inpatient_persons
    from care
    join person_categories
        on care.person_cluster_id = person_categories.person_cluster_id
        and care.delivery_month = person_categories.delivery_month
    group by care.delivery_month, person_categories.population_category,
        care.insured_county_code, care.person_cluster_id
),

visits_rolled_up as (
    {{ roll_up_regions('visits', ['delivery_month', 'population_category'], counts,
        money_measures=amounts) }}
),

persons_rolled_up as (
    {{ roll_up_regions('persons', ['delivery_month', 'population_category'],
        ['outpatient_persons', 'inpatient_persons']) }}
),

regions as (
    select region_code, region_name from {{ ref('int_regions') }}
)

select
    v.delivery_month,
    v.region_level,
    v.region_code,
    regions.region_name,
    v.parent_region_code,
    v.population_category,
    p.outpatient_persons,
    p.inpatient_persons,
    {%- for count in counts %}
    v.{{ count }},
    {%- endfor %}
    {%- for amount in amounts %}
    v.{{ amount }},
    {%- endfor %}
    {{ ratio('v.fund_paid_total', 'v.total_cost') }} as actual_reimbursement_ratio,
    {{ ratio('v.fund_paid_total', 'v.policy_range_cost') }} as policy_range_reimbursement_ratio,
    {{ ratio('v.one_stop_visits', 'v.visits') }} as one_stop_rate,
    {{ ratio('v.out_of_area_one_stop_visits', 'v.out_of_area_visits') }}
        as out_of_area_instant_rate
from visits_rolled_up as v
join persons_rolled_up as p
    on v.delivery_month = p.delivery_month
    and v.population_category = p.population_category
    and v.region_level = p.region_level
    and v.region_code = p.region_code
left join regions on v.region_code = regions.region_code
