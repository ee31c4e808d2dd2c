{#- Care after death (死亡后就医, 虚列费用 or 冒名就医 of S9.2): a settlement whose care began after
    the person's date of death, as reported by the register or the poverty roster in a month
    delivered up to the settlement's. The earliest reported date counts. Score 1.
    Restricted. -#}
with settlements as (
    select * from {{ ref('int_fraud_settlements') }}
),

deaths as (
    select * from {{ ref('int_person_deaths') }}
),

known as (
    select settlements.*, deaths.death_date, deaths.source_department,
        row_number() over (
            partition by settlements.settlement_id
            order by deaths.death_date, deaths.reported_month
        ) as earliest
    from settlements
    join deaths
        on settlements.person_cluster_id = deaths.person_cluster_id
        and deaths.reported_month <= settlements.delivery_month
)

select
    delivery_month,
    'care_after_death' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    cast(null as string) as related_settlement_id,
    visit_start_date,
    'care began ' || cast({{ days_between('death_date', 'visit_start_date') }} as string)
        || ' days after the death on ' || cast(death_date as string) || ' reported by '
        || source_department as evidence,
    cast(1 as decimal(6, 4)) as score,
    source_file,
    source_row_number
from known
where earliest = 1 and visit_start_date > death_date
