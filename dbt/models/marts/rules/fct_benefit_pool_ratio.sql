{#- Pool-level benefit ratios per pooling region (统筹区: the insuring city) and year, which the
    documents set as averages rather than per settlement: the basic fund's share of resident
    inpatient policy-range cost (A2.1, basic_inpatient_policy_ratio_min) and critical-illness
    insurance's share of the cost above its deductible (A2.2, critical_illness_ratio_min).
    Current state: the resident inpatient settlements standing now, every reversal delivered so
    far netted out (a settlement cancelled in full no longer counts, in either measure). One
    row per pool, year and measure. -#}
with inpatient as (
    select netted.settlement_id, netted.insured_county_code, netted.settlement_year,
        sum(netted.basic_fund_paid) as basic_fund_paid,
        sum(netted.policy_range_cost) as policy_range_cost
    from {{ ref('int_settlements_netted') }} as netted
    join {{ ref('code_medical_types') }} as medical_types
        on netted.medical_type = medical_types.medical_type
    where netted.insurance_type = '390' and medical_types.is_inpatient
    group by netted.settlement_id, netted.insured_county_code, netted.settlement_year
    having sum(netted.total_cost) <> 0
),

critical_illness as (
    select checks.* from {{ ref('int_benefit_check__critical_illness') }} as checks
    join inpatient on checks.settlement_id = inpatient.settlement_id
),

rules as (
    select substr(county_code, 1, 4) as pool_code, rule_year, rule_id, max(value) as minimum,
        max(source_document) as source_document, max(source_article) as source_article,
        max(policy_ref) as policy_ref
    from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
        and rule_id in ('basic_inpatient_policy_ratio_min', 'critical_illness_ratio_min')
    group by substr(county_code, 1, 4), rule_year, rule_id
),

measures as (
    select substr(insured_county_code, 1, 4) as pool_code, settlement_year,
        'basic_inpatient_policy_ratio' as measure,
        'basic_inpatient_policy_ratio_min' as rule_id,
        count(*) as settlement_count,
        sum(basic_fund_paid) as paid_amount,
        sum(policy_range_cost) as base_amount
    from inpatient
    group by substr(insured_county_code, 1, 4), settlement_year

    union all
    select substr(insured_county_code, 1, 4), settlement_year, 'critical_illness_ratio',
        'critical_illness_ratio_min', count(*), sum(actual_amount), sum(eligible_cost)
    from critical_illness
    where eligible_cost > 0 or actual_amount > 0
    group by substr(insured_county_code, 1, 4), settlement_year
)

select
    measures.pool_code,
    measures.settlement_year,
    measures.measure,
    measures.settlement_count,
    measures.paid_amount,
    measures.base_amount,
    {{ ratio('measures.paid_amount', 'measures.base_amount') }} as pool_ratio,
    rules.minimum,
    case when {{ ratio('measures.paid_amount', 'measures.base_amount') }} < rules.minimum
        then case measures.measure
            when 'basic_inpatient_policy_ratio' then 'basic_policy_ratio_below_min'
            else 'critical_illness_ratio_below_min' end
    end as finding_kind,
    rules.source_document,
    rules.source_article,
    rules.policy_ref
from measures
join rules
    on measures.pool_code = rules.pool_code
    and measures.settlement_year = rules.rule_year
    and measures.rule_id = rules.rule_id
where measures.base_amount > 0
