{#- Where and how each settlement's care happened, for the monthly operation analysis
    (运行分析, S6.2): the care flow against the insuring county (in county, in city, in
    province, out of province: 就医流向), the institution's level (医院等级) from that month's
    institutions file, inpatient or outpatient, one-stop settled (一站式结算), and whether it
    was out of the insuring pool (异地就医: outside the insuring city). In the month the
    settlement is delivered, with the reversals of that month netted (int_settlements_netted);
    a reversal delivered later does not restate the month of the care. Settlements without an
    insuring county that month are left out. Restricted. -#}
{{ config(**incremental_by_month()) }}

with settlements as (
    select * from {{ ref('int_settlements_netted') }}
    where insured_county_code is not null and not is_late_reversal and {{ in_build_months() }}
),

institutions as (
    select * from {{ ref('int_institutions_by_month') }}
)

select
    settlements.delivery_month,
    settlements.person_cluster_id,
    settlements.settlement_id,
    settlements.insured_county_code,
    settlements.medical_type,
    coalesce(medical_types.is_inpatient, false) as is_inpatient,
    case
        when settlements.care_region_code = settlements.insured_county_code then 'in_county'
        when substr(settlements.care_region_code, 1, 4)
            = substr(settlements.insured_county_code, 1, 4) then 'in_city'
        when substr(settlements.care_region_code, 1, 2)
            = substr(settlements.insured_county_code, 1, 2) then 'in_province'
        else 'out_of_province'
    end as care_flow,
    coalesce(institutions.institution_level, '未定级') as institution_level,
    settlements.is_one_stop,
    coalesce(substr(settlements.care_region_code, 1, 4)
        <> substr(settlements.insured_county_code, 1, 4), true) as is_out_of_area,
    settlements.total_cost,
    settlements.policy_range_cost,
    settlements.basic_fund_paid,
    settlements.critical_illness_paid,
    settlements.medical_assistance_paid,
    settlements.safety_net_paid,
    {{ money('settlements.fund_paid_total - settlements.basic_fund_paid
        - settlements.critical_illness_paid - settlements.medical_assistance_paid
        - settlements.safety_net_paid') }} as other_funds_paid,
    settlements.fund_paid_total,
    settlements.out_of_pocket
from settlements
left join {{ ref('code_medical_types') }} as medical_types
    on settlements.medical_type = medical_types.medical_type
left join institutions
    on settlements.institution_code = institutions.institution_code
    and settlements.delivery_month = institutions.delivery_month
