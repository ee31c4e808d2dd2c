{#- What each person paid out of pocket (个人负担, psn_part_amt) per settlement month (the
    delivery month of the settlements) and per month that delivered the amounts: a reversal
    (冲销) delivered later is its own row, in its own delivery month, against the month of the
    settlement it reverses. settlement_count counts the settlements, less those a reversal
    cancels in full. The return-to-poverty warning (S9.3) adds the rows up over 12 settlement
    months, as each month knows them. With the insuring county. Restricted. -#}
{{ config(**incremental_by_month()) }}

select
    person_cluster_id,
    delivery_month,
    settlement_delivery_month,
    min(insured_county_code) as insured_county_code,
    {{ money('sum(out_of_pocket)') }} as out_of_pocket,
    sum(case when not is_late_reversal then 1 when is_cancelled then -1 else 0 end)
        as settlement_count
from {{ ref('int_settlements_netted') }}
where insured_county_code is not null and {{ in_build_months() }}
group by person_cluster_id, delivery_month, settlement_delivery_month
