{#- The fraud flags' thresholds (ref_policy_parameters, rule_id fraud_*) in force per county and
    year, one column each, so a rule joins one row. Restricted only as intermediate. -#}
{%- set rules = {
    'fraud_readmission_window_days': 'readmission_window_days',
    'fraud_distant_same_day_km': 'distant_same_day_km',
    'fraud_admission_rate_z_max': 'admission_rate_z_max',
    'fraud_admission_rate_min_admissions': 'admission_rate_min_admissions',
    'fraud_admission_rate_min_peers': 'admission_rate_min_peers',
    'fraud_short_stay_max_days': 'short_stay_max_days',
    'fraud_short_stay_max_cost': 'short_stay_max_cost',
} %}
select
    county_code,
    rule_year,
    {%- for rule_id, column in rules.items() %}
    max(case when rule_id = '{{ rule_id }}' then value end) as {{ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
from {{ ref('int_policy_rules_by_county') }}
where population_category = ''
    and rule_id in ({% for rule_id in rules %}'{{ rule_id }}'{{ ', ' if not loop.last }}{% endfor %})
group by county_code, rule_year
