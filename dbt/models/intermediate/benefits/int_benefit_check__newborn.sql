{#- Newborns covered from birth (新生儿“落地”参保, A1.2): a newborn enrolled (参保日期) within
    newborn_enrolment_window_months of birth is covered from the day of birth, so a visit
    between birth and enrolment must be paid like any other. A settlement of such a visit with
    nothing from the basic fund is refused cover. The document gives no per-visit amount, so
    the expected amount is the yardstick basic_inpatient_policy_ratio_min × policy-range cost.
    Birth date from the register (出生日期). One row per settlement in the window. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where {{ in_build_months() }}
        and birth_date is not null and enrolment_date > birth_date
        and visit_start_date >= birth_date and visit_start_date < enrolment_date
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
),

in_scope as (
    select basis.*, yardstick.value as yardstick_ratio, window_rule.source_document,
        window_rule.source_article, window_rule.policy_ref
    from basis
    join rules as window_rule
        on window_rule.rule_id = 'newborn_enrolment_window_months'
        and window_rule.county_code = basis.insured_county_code
        and window_rule.rule_year = basis.settlement_year
    join rules as yardstick
        on yardstick.rule_id = 'basic_inpatient_policy_ratio_min'
        and yardstick.county_code = basis.insured_county_code
        and yardstick.rule_year = basis.settlement_year
    where basis.enrolment_date <= {{ dbt.dateadd('month',
        'cast(window_rule.value as integer)', 'basis.birth_date') }}
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    'newborn_coverage' as rule_id,
    'newborn' as basis_category,
    {{ money('policy_range_cost * yardstick_ratio') }} as expected_amount,
    basic_fund_paid as actual_amount,
    case when basic_fund_paid = 0 and policy_range_cost > 0 then 'newborn_not_covered' end
        as finding_kind,
    source_document, source_article, policy_ref
from in_scope
