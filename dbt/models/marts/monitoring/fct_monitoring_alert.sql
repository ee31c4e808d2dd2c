{#- Monitoring alerts (运行预警, S6.2, S7): the month-over-month changes of
    fct_monitoring_change that exceed their threshold in ref_monitoring_thresholds, with the
    direction, for the region's office to explain. -#}
select
    delivery_month,
    previous_month,
    region_level,
    region_code,
    region_name,
    population_category,
    indicator,
    previous_value,
    indicator_value,
    absolute_change,
    relative_change,
    case when absolute_change < 0 then 'fall' else 'rise' end as direction,
    change_measure,
    threshold,
    source_document,
    source_article,
    policy_ref
from {{ ref('fct_monitoring_change') }}
where is_alert
