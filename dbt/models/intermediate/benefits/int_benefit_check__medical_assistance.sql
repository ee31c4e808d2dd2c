{#- Medical assistance (医疗救助, W) per settlement where the rule is in force: the share of
    the categories held (medical_assistance_share by category: 特困 100%, 低保 70%, 低边 60%,
    因病致贫 and the registered poor 50%; inpatient stays), or of a listed rare disease on any
    visit (罕见病专项救助, rare_disease), the highest applying (就高), of the compliant
    self-pay left after basic and critical-illness insurance (inscp − hifp − hifmi; no
    deductible, as the seed has none); within medical_assistance_annual_cap a year, counted
    over the assistance already paid that calendar year in settlement order, as the
    settlement's delivery month knows the year (int_settlement_year_to_date). The shares are
    minimums: paying more is not a finding, paying beyond the cap is. One row per settlement
    with a share. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with basis as (
    select * from {{ ref('int_settlement_benefit_basis') }}
    where {{ in_build_months() }}
),

rules as (
    select * from {{ ref('int_policy_rules_by_county') }}
    where rule_id = 'medical_assistance_share'
),

held as (
    select settlement_id, 'extremely_poor' as category from basis
    where is_extremely_poor and is_inpatient
    union all
    select settlement_id, 'minimum_living_allowance' from basis
    where is_minimum_living_allowance and is_inpatient
    union all
    select settlement_id, 'low_income_marginal' from basis
    where is_low_income_marginal and is_inpatient
    union all
    select settlement_id, 'poverty_due_to_illness' from basis
    where is_poverty_due_to_illness and is_inpatient
    union all
    select settlement_id, 'registered_poor' from basis where is_registered_poor and is_inpatient
    union all
    select settlement_id, 'rare_disease' from basis where is_rare_disease
),

shares as (
    select held.settlement_id, held.category, rules.value as share, rules.source_document,
        rules.source_article, rules.policy_ref,
        row_number() over (
            partition by held.settlement_id order by rules.value desc, held.category
        ) as rank_by_share
    from held
    join basis on held.settlement_id = basis.settlement_id
    join rules
        on rules.county_code = basis.insured_county_code
        and rules.rule_year = basis.settlement_year
        and rules.population_category = held.category
),

paid_before as (
    select settlement_id, assistance_before
    from {{ ref('int_settlement_year_to_date') }}
    where {{ in_build_months() }}
),

checked as (
    select
        basis.*,
        shares.category as basis_category,
        shares.share,
        shares.source_document, shares.source_article, shares.policy_ref,
        paid_before.assistance_before,
        basis.policy_range_cost - basis.basic_fund_paid - basis.critical_illness_paid
            as assistance_base,
        cap.value as annual_cap,
        case when cap.value is null then null
            else greatest(cap.value - paid_before.assistance_before, 0) end as cap_room
    from basis
    join shares on basis.settlement_id = shares.settlement_id and shares.rank_by_share = 1
    join paid_before on basis.settlement_id = paid_before.settlement_id
    left join {{ ref('int_policy_rules_by_county') }} as cap
        on cap.rule_id = 'medical_assistance_annual_cap'
        and cap.county_code = basis.insured_county_code
        and cap.rule_year = basis.settlement_year
        and cap.population_category = ''
),

expected as (
    select checked.*,
        case when cap_room is null then {{ money('assistance_base * share') }}
            else least({{ money('assistance_base * share') }}, cap_room) end as expected_amount
    from checked
)

select
    delivery_month, person_cluster_id, settlement_id, settlement_year, insured_county_code,
    medical_type, settled_on, source_file, source_row_number,
    case basis_category when 'rare_disease' then 'rare_disease_assistance'
        else 'medical_assistance' end as rule_id,
    basis_category, share, assistance_base, assistance_before, annual_cap,
    expected_amount,
    medical_assistance_paid as actual_amount,
    case
        when cap_room is not null and medical_assistance_paid > cap_room
            then 'medical_assistance_over_cap'
        when medical_assistance_paid < expected_amount
            then case basis_category when 'rare_disease'
                then 'rare_disease_assistance_underpaid' else 'medical_assistance_underpaid' end
    end as finding_kind,
    source_document, source_article, policy_ref
from expected
