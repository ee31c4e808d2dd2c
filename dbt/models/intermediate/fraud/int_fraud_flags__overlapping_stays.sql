{#- Overlapping inpatient stays (住院时间重叠, 虚列费用 of S9.2): one person in hospital at two
    institutions on the same days, the stays overlapping by at least one night (a transfer,
    discharged and admitted the same day, only touches and is not flagged). Of the two, the
    one delivered later is flagged (then the later admission, then the larger settlement id),
    with the other as evidence, which must still stand in the flagged one's month (not
    cancelled by a reversal delivered by then). Score: the overlap over the shorter stay, at
    most 1. Restricted. -#}
with stays as (
    select * from {{ ref('int_fraud_settlements') }}
    where is_inpatient
),

pairs as (
    select
        flagged.*,
        other.settlement_id as related_settlement_id,
        other.institution_code as other_institution_code,
        {{ days_between(
            'case when flagged.visit_start_date > other.visit_start_date
                then flagged.visit_start_date else other.visit_start_date end',
            'case when flagged.visit_end_date < other.visit_end_date
                then flagged.visit_end_date else other.visit_end_date end') }} as overlap_days,
        case when flagged.stay_days < other.stay_days then flagged.stay_days
            else other.stay_days end as shorter_stay_days
    from stays as flagged
    join stays as other
        on flagged.person_cluster_id = other.person_cluster_id
        and flagged.institution_code <> other.institution_code
        and (other.cancelled_month is null or other.cancelled_month > flagged.delivery_month)
        and flagged.visit_start_date < other.visit_end_date
        and other.visit_start_date < flagged.visit_end_date
        and (flagged.delivery_month > other.delivery_month
            or (flagged.delivery_month = other.delivery_month
                and (flagged.visit_start_date > other.visit_start_date
                    or (flagged.visit_start_date = other.visit_start_date
                        and flagged.settlement_id > other.settlement_id))))
),

largest as (
    select pairs.*,
        row_number() over (
            partition by settlement_id order by overlap_days desc, related_settlement_id
        ) as rank_by_overlap
    from pairs
)

select
    delivery_month,
    'overlapping_stays' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    related_settlement_id,
    visit_start_date,
    'in hospital at ' || other_institution_code || ' for ' || cast(overlap_days as string)
        || ' of the same days' as evidence,
    cast(case when overlap_days >= shorter_stay_days then 1
        else {{ ratio('overlap_days', 'shorter_stay_days') }} end as decimal(6, 4)) as score,
    source_file,
    source_row_number
from largest
where rank_by_overlap = 1
