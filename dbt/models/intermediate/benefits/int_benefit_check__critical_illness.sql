{#- Critical-illness insurance (大病保险, A2.2, W) per resident inpatient settlement. The base
    is the policy-range cost the basic fund left (inscp − hifp), cumulative over the person's
    calendar year in settlement order, as the settlement's delivery month knows the year
    (int_settlement_year_to_date); the deductible (起付线) is
    critical_illness_deductible_income_share × the province's per-capita disposable income of
    the year before (ref_disposable_income), cut by critical_illness_poor_deductible_cut for
    特困, 低保 and the registered poor; the ratio is critical_illness_ratio_min, raised by
    critical_illness_poor_ratio_increase for them, with no cap. expected = ratio × (the part of
    this settlement's base above the deductible). The pool's own rate is the rule, so any
    difference is a finding. One row per settlement in scope. Restricted. -#}
{{ config(**incremental_by_month()) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where insurance_type = '390' and is_inpatient and {{ in_build_months() }}
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
),

income as (
    select province_code, year, income_yuan from {{ ref('ref_disposable_income') }}
),

cumulative as (
    select basis.*,
        basis.is_extremely_poor or basis.is_minimum_living_allowance
            or basis.is_registered_poor as is_favoured,
        basis.policy_range_cost - basis.basic_fund_paid as critical_illness_base,
        year_to_date.critical_illness_base_before as base_before
    from basis
    join {{ ref('int_settlement_year_to_date') }} as year_to_date
        on basis.settlement_id = year_to_date.settlement_id
        and basis.delivery_month = year_to_date.delivery_month
),

priced as (
    select
        cumulative.*,
        {{ money("income.income_yuan * share.value * case when cumulative.is_favoured
            then 1 - coalesce(cut.value, 0) else 1 end") }} as deductible,
        ratio.value + case when cumulative.is_favoured then coalesce(raise.value, 0) else 0 end
            as payment_ratio,
        ratio.source_document,
        ratio.source_article,
        ratio.policy_ref
    from cumulative
    join rules as share
        on share.rule_id = 'critical_illness_deductible_income_share'
        and share.county_code = cumulative.insured_county_code
        and share.rule_year = cumulative.settlement_year
    join rules as ratio
        on ratio.rule_id = 'critical_illness_ratio_min'
        and ratio.county_code = cumulative.insured_county_code
        and ratio.rule_year = cumulative.settlement_year
    left join rules as cut
        on cut.rule_id = 'critical_illness_poor_deductible_cut'
        and cut.county_code = cumulative.insured_county_code
        and cut.rule_year = cumulative.settlement_year
    left join rules as raise
        on raise.rule_id = 'critical_illness_poor_ratio_increase'
        and raise.county_code = cumulative.insured_county_code
        and raise.rule_year = cumulative.settlement_year
    join income
        on income.province_code = substr(cumulative.insured_county_code, 1, 2)
        and income.year = cumulative.settlement_year - 1
),

expected as (
    select priced.*,
        greatest(base_before + critical_illness_base - deductible, 0)
            - greatest(base_before - deductible, 0) as eligible_cost
    from priced
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    'critical_illness_payment' as rule_id,
    case when is_favoured then 'favoured' end as basis_category,
    critical_illness_base, base_before, deductible, payment_ratio, eligible_cost,
    {{ money('eligible_cost * payment_ratio') }} as expected_amount,
    critical_illness_paid as actual_amount,
    case
        when critical_illness_paid < {{ money('eligible_cost * payment_ratio') }}
            then 'critical_illness_underpaid'
        when critical_illness_paid > {{ money('eligible_cost * payment_ratio') }}
            then 'critical_illness_overpaid'
    end as finding_kind,
    source_document, source_article, policy_ref
from expected
