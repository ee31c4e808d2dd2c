{#- Month-over-month change of every indicator of fct_monitoring_monthly (环比), one row per
    delivery month, region level, region, population category and indicator: this month's
    value, the previous delivered month's, the absolute change and, for counts and yuan, the
    relative change; with the alert rule of ref_monitoring_thresholds where one exists and
    whether it fires. fct_monitoring_alert keeps the rows that fire. -#}
{%- set counts = ['visits', 'outpatient_visits', 'inpatient_visits', 'outpatient_persons',
    'inpatient_persons', 'visits_in_county', 'visits_in_city', 'visits_in_province',
    'visits_out_of_province', 'visits_level_3', 'visits_level_2', 'visits_level_1',
    'visits_level_unrated', 'one_stop_visits', 'out_of_area_visits',
    'out_of_area_one_stop_visits', 'total_cost', 'policy_range_cost', 'basic_fund_paid',
    'critical_illness_paid', 'medical_assistance_paid', 'safety_net_paid', 'other_funds_paid',
    'fund_paid_total', 'out_of_pocket'] %}
{%- set rates = ['actual_reimbursement_ratio', 'policy_range_reimbursement_ratio',
    'one_stop_rate', 'out_of_area_instant_rate'] %}
with monthly as (
    select * from {{ ref('fct_monitoring_monthly') }}
),

months as (
    {{ delivered_months('monthly') }}
),

unpivoted as (
    {%- for indicator in counts + rates %}
    select delivery_month, region_level, region_code, region_name, population_category,
        '{{ indicator }}' as indicator,
        '{{ 'rate' if indicator in rates else 'amount' }}' as indicator_kind,
        cast({{ indicator }} as decimal(18, 4)) as indicator_value
    from monthly
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

indexed as (
    select unpivoted.*, months.month_index
    from unpivoted
    join months on unpivoted.delivery_month = months.delivery_month
),

paired as (
    select
        current_month.*,
        previous_month.delivery_month as previous_month,
        previous_month.indicator_value as previous_value
    from indexed as current_month
    left join indexed as previous_month
        on previous_month.month_index = current_month.month_index - 1
        and previous_month.region_code = current_month.region_code
        and previous_month.region_level = current_month.region_level
        and previous_month.population_category = current_month.population_category
        and previous_month.indicator = current_month.indicator
),

thresholds as (
    select * from {{ ref('ref_monitoring_thresholds') }}
),

changed as (
    select
        paired.*,
        paired.indicator_value - paired.previous_value as absolute_change,
        case when paired.indicator_kind = 'amount' and paired.previous_value > 0 then
            case when paired.indicator_value < paired.previous_value then -1 else 1 end
            * {{ ratio('abs(paired.indicator_value - paired.previous_value)',
                'paired.previous_value') }}
        end as relative_change,
        thresholds.change_measure,
        thresholds.threshold,
        thresholds.base_indicator,
        thresholds.min_base_value,
        base.previous_value as previous_base_value,
        thresholds.source_document,
        thresholds.source_article,
        thresholds.policy_ref
    from paired
    left join thresholds
        on paired.indicator = thresholds.indicator
        and paired.population_category = thresholds.population_category
    left join paired as base
        on base.indicator = thresholds.base_indicator
        and base.delivery_month = paired.delivery_month
        and base.region_level = paired.region_level
        and base.region_code = paired.region_code
        and base.population_category = paired.population_category
)

select
    delivery_month,
    previous_month,
    region_level,
    region_code,
    region_name,
    population_category,
    indicator,
    indicator_kind,
    indicator_value,
    previous_value,
    absolute_change,
    relative_change,
    change_measure,
    threshold,
    previous_base_value,
    min_base_value,
    coalesce(previous_base_value >= min_base_value
        and ((change_measure = 'relative' and abs(relative_change) > threshold)
            or (change_measure = 'absolute' and abs(absolute_change) > threshold)), false)
        as is_alert,
    source_document,
    source_article,
    policy_ref
from changed
