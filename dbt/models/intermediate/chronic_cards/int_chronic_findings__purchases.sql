{#- Abnormal chronic purchases (H6: 对异常高频次、高剂量购药的进行核实监控), per person, month and
    disease of the chronic-outpatient visits (14): more than chronic_visits_per_month_max
    visits (abnormal frequency), or a monthly cost whose robust z-score on a log scale,
    0.6745 × (ln cost − median) / MAD among the peers with the same disease that month, exceeds
    chronic_cost_z_max, given chronic_cost_min_peers peers (abnormal cost). The evidence is the
    first visit. Restricted. -#}
with visits as (
    select * from {{ ref('int_chronic_visits') }}
    where medical_type = '14'
),

per_person as (
    select delivery_month, person_cluster_id, disease_code, min(disease_name) as disease_name,
        min(insured_county_code) as insured_county_code,
        count(*) as visit_count,
        ln(cast(sum(total_cost) as double)) as log_cost,
        min(source_file) as source_file, min(source_row_number) as source_row_number
    from visits
    group by delivery_month, person_cluster_id, disease_code
),

centred as (
    select per_person.*,
        {{ median('log_cost') }} over (partition by delivery_month, disease_code) as centre,
        count(*) over (partition by delivery_month, disease_code) as peers
    from per_person
),

spread as (
    select centred.*,
        {{ median('abs(log_cost - centre)') }} over (partition by delivery_month, disease_code)
            as mad
    from centred
),

rules as (
    select county_code, rule_year, rule_id, value
    from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
        and rule_id in ('chronic_visits_per_month_max', 'chronic_cost_z_max',
                        'chronic_cost_min_peers')
),

scored as (
    select spread.*,
        case when spread.mad > 0
            then round(0.6745 * (spread.log_cost - spread.centre) / spread.mad, 4) end as z_score,
        max_visits.value as max_visits, z_max.value as z_max, min_peers.value as min_peers
    from spread
    join rules as max_visits
        on max_visits.rule_id = 'chronic_visits_per_month_max'
        and max_visits.county_code = spread.insured_county_code
        and max_visits.rule_year = cast(substr(spread.delivery_month, 1, 4) as integer)
    join rules as z_max
        on z_max.rule_id = 'chronic_cost_z_max'
        and z_max.county_code = spread.insured_county_code
        and z_max.rule_year = cast(substr(spread.delivery_month, 1, 4) as integer)
    join rules as min_peers
        on min_peers.rule_id = 'chronic_cost_min_peers'
        and min_peers.county_code = spread.insured_county_code
        and min_peers.rule_year = cast(substr(spread.delivery_month, 1, 4) as integer)
)

select
    delivery_month, person_cluster_id, insured_county_code, disease_code, disease_name,
    'chronic_abnormal_frequency' as finding_kind,
    cast(visit_count as string) || ' chronic visits in the month' as finding_detail,
    source_file, source_row_number
from scored
where visit_count > max_visits

union all

select
    delivery_month, person_cluster_id, insured_county_code, disease_code, disease_name,
    'chronic_abnormal_cost',
    'robust z-score ' || cast(cast(z_score as decimal(10, 2)) as string) || ' among '
        || cast(peers as string) || ' peers',
    source_file, source_row_number
from scored
where peers >= min_peers and z_score > z_max
