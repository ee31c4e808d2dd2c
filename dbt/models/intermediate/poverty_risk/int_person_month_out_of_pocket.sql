{#- What each person paid out of pocket (个人负担, psn_part_amt) per delivery month, over the
    standing settlements (reversals netted), with the insuring county. The return-to-poverty
    warning (S9.3) adds it up over 12 months. Restricted. -#}
select
    person_cluster_id,
    delivery_month,
    min(insured_county_code) as insured_county_code,
    {{ money('sum(out_of_pocket)') }} as out_of_pocket,
    count(*) as settlement_count
from {{ ref('int_settlements_netted') }}
where insured_county_code is not null
group by person_cluster_id, delivery_month
