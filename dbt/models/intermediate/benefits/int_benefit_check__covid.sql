{#- COVID-19 treatment for the registered poor (新冠肺炎, S6.3): free to the patient (out of
    pocket 0), with insurance (basic and critical illness) paying at least covid_insurance_share
    of the total and the fiscal safety net the rest. Settlements whose diagnosis is on the
    covid list of ref_benefit_diagnoses. Two rules per settlement: covid_free_treatment and
    covid_insurance_share. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where {{ in_build_months() }}
        and is_covid and is_registered_poor
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'covid_insurance_share' and population_category = ''
),

in_scope as (
    select basis.*, rules.value as insurance_share, rules.source_document,
        rules.source_article, rules.policy_ref
    from basis
    join rules
        on rules.county_code = basis.insured_county_code
        and rules.rule_year = basis.settlement_year
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    'covid_free_treatment' as rule_id,
    'registered_poor' as basis_category,
    {{ money('0') }} as expected_amount,
    out_of_pocket as actual_amount,
    case when out_of_pocket > 0 then 'covid_patient_charged' end as finding_kind,
    source_document, source_article, policy_ref
from in_scope

union all

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    'covid_insurance_share',
    'registered_poor',
    {{ money('total_cost * insurance_share') }},
    {{ money('basic_fund_paid + critical_illness_paid') }},
    case when basic_fund_paid + critical_illness_paid
        < {{ money('total_cost * insurance_share') }} then 'covid_insurance_short' end,
    source_document, source_article, policy_ref
from in_scope
