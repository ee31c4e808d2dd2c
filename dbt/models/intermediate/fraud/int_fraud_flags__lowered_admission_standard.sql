{#- Lowered admission standard (降低住院标准, 小病大治, S9.2 and A3.2): an inpatient stay of at most
    short_stay_max_days days costing at most short_stay_max_cost yuan in all, for an
    outpatient-type diagnosis (ref_outpatient_type_diagnoses). Score: 1 − cost / (2 × the
    cost limit), from 0.5 at the limit to 1 for a stay costing nothing. Restricted. -#}
with stays as (
    select * from {{ ref('int_fraud_settlements') }}
    where is_inpatient
),

outpatient_type as (
    select icd10_category, diagnosis_name from {{ ref('ref_outpatient_type_diagnoses') }}
),

parameters as (
    select county_code, rule_year, short_stay_max_days, short_stay_max_cost
    from {{ ref('int_fraud_parameters') }}
),

short_stays as (
    select stays.*, outpatient_type.diagnosis_name,
        cast(parameters.short_stay_max_days as integer) as max_days,
        cast(parameters.short_stay_max_cost as decimal(14, 2)) as max_cost
    from stays
    join outpatient_type on stays.diagnosis_category = outpatient_type.icd10_category
    join parameters
        on stays.insured_county_code = parameters.county_code
        and stays.rule_year = parameters.rule_year
    where stays.stay_days <= parameters.short_stay_max_days
        and stays.total_cost <= parameters.short_stay_max_cost
)

select
    delivery_month,
    'lowered_admission_standard' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    cast(null as string) as related_settlement_id,
    visit_start_date,
    cast(stay_days as string) || '-day stay costing ' || cast(total_cost as string)
        || ' yuan for ' || diagnosis_code || ' (' || diagnosis_name
        || '), an outpatient-type diagnosis' as evidence,
    cast(1 - {{ ratio('total_cost', '2 * max_cost') }} as decimal(6, 4)) as score,
    source_file,
    source_row_number
from short_stays
