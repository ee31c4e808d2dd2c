{#- What a person's calendar year held before each settlement, as its delivery month knows it:
    the annual totals of the critical-illness deductible (A2.2) and the medical-assistance cap
    read them. Per settlement row of int_settlements_netted, the sums over the same person's
    settlements of the settlement year that come earlier in settlement order (settled_at, then
    setl_id) and were delivered by this month, late reversals delivered by this month
    included: a settlement reversed later still counted for the months before the reversal.
    - critical_illness_base_before: Σ (inscp − hifp) of resident (390) inpatient settlements;
    - assistance_before: Σ medical assistance paid (maf_pay).
    Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with netted as (
    select netted.*, coalesce(medical_types.is_inpatient, false) as is_inpatient
    from {{ ref('int_settlements_netted') }} as netted
    left join {{ ref('code_medical_types') }} as medical_types
        on netted.medical_type = medical_types.medical_type
),

settlements as (
    select delivery_month, person_cluster_id, settlement_id, settlement_year, settled_at
    from netted
    where not is_late_reversal and {{ in_build_months() }}
),

earlier as (
    select
        settlements.settlement_id,
        sum(case when earlier.insurance_type = '390' and earlier.is_inpatient
            then earlier.policy_range_cost - earlier.basic_fund_paid else 0 end)
            as critical_illness_base_before,
        sum(earlier.medical_assistance_paid) as assistance_before
    from settlements
    join netted as earlier
        on earlier.person_cluster_id = settlements.person_cluster_id
        and earlier.settlement_year = settlements.settlement_year
        and earlier.delivery_month <= settlements.delivery_month
        and (earlier.settled_at < settlements.settled_at
            or (earlier.settled_at = settlements.settled_at
                and earlier.settlement_id < settlements.settlement_id))
    group by settlements.settlement_id
)

select
    settlements.delivery_month,
    settlements.settlement_id,
    {{ money('coalesce(earlier.critical_illness_base_before, 0)') }}
        as critical_illness_base_before,
    {{ money('coalesce(earlier.assistance_before, 0)') }} as assistance_before
from settlements
left join earlier on settlements.settlement_id = earlier.settlement_id
