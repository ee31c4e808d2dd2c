{#- Self-pay caps for the registered poor (G6): in an in-county designated institution (县域内
    定点医疗机构), a person's part (个人负担, psn_part_amt) is at most
    inpatient_self_pay_cap_share of the total for an inpatient stay and
    chronic_outpatient_self_pay_cap_share for a chronic-outpatient visit (门诊慢特病, 14). It
    applies to 未脱贫 people and to people exited (已脱贫) no more than continued_support_years
    before the settlement year (两年继续扶持期: exited in 2018, supported through 2020). The
    safety net (兜底) pays the rest. One row per settlement in scope. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where {{ in_build_months() }}
        and is_registered_poor and is_in_county and is_designated
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where population_category = ''
),

in_scope as (
    select basis.*, cap.rule_id, cap.value as cap_share, cap.source_document,
        cap.source_article, cap.policy_ref
    from basis
    join rules as cap
        on cap.county_code = basis.insured_county_code
        and cap.rule_year = basis.settlement_year
        and ((cap.rule_id = 'inpatient_self_pay_cap_share' and basis.is_inpatient)
            or (cap.rule_id = 'chronic_outpatient_self_pay_cap_share'
                and basis.medical_type = '14'))
    left join rules as support
        on support.rule_id = 'continued_support_years'
        and support.county_code = basis.insured_county_code
        and support.rule_year = basis.settlement_year
    where basis.poverty_status = 'not_exited'
        or (basis.poverty_status = 'exited'
            and basis.exit_year + coalesce(support.value, 0) >= basis.settlement_year)
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    rule_id,
    poverty_status as basis_category,
    cap_share,
    {{ money('total_cost * cap_share') }} as expected_amount,
    out_of_pocket as actual_amount,
    case when out_of_pocket > {{ money('total_cost * cap_share') }}
        then case when is_inpatient then 'inpatient_self_pay_over_cap'
            else 'chronic_self_pay_over_cap' end
    end as finding_kind,
    source_document, source_article, policy_ref
from in_scope
