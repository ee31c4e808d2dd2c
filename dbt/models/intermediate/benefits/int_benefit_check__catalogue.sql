{#- Catalogue share of inpatient cost (目录内费用占比, G7): at least catalogue_share_min of an
    inpatient stay's total is within the drug and service catalogues; the cost outside them is
    the wholly self-paid part (全自费, fulamt_ownpay_amt), and whatever exceeds
    (1 − catalogue_share_min) × total is borne by the hospital (hosp_part_amt). expected = that
    excess, actual = what the hospital bore. One row per inpatient settlement in scope.
    Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where {{ in_build_months() }}
        and is_inpatient
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'catalogue_share_min' and population_category = ''
),

in_scope as (
    select basis.*, rules.value as catalogue_share_min, rules.source_document,
        rules.source_article, rules.policy_ref,
        greatest(basis.fully_self_paid
            - {{ money('basis.total_cost * (1 - rules.value)') }}, 0) as excess_cost
    from basis
    join rules
        on rules.county_code = basis.insured_county_code
        and rules.rule_year = basis.settlement_year
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    'catalogue_share' as rule_id,
    cast(null as string) as basis_category,
    catalogue_share_min,
    excess_cost as expected_amount,
    hospital_borne as actual_amount,
    case when hospital_borne < excess_cost then 'catalogue_share_below_min' end as finding_kind,
    source_document, source_article, policy_ref
from in_scope
