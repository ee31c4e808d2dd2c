{#- One person in two distant places the same day (同日异地就医, a signal of 冒名就医, S9.2): two
    settlements whose care began the same day at different institutions whose cities
    (就医地, care_region_code) are at least distant_same_day_km apart, city seat to city seat
    (ref_city_coordinates). A transfer starts its second stay on the day the first ends, not
    the day it began, so it is not a pair. The settlement delivered later (then the larger id)
    is flagged, with the farthest other as evidence. Score: the distance over twice the
    threshold, at most 1. A city missing from the seed gives no distance and no flag. The
    other settlement must still stand in the flagged one's month (not cancelled by a reversal
    delivered by then). Restricted. -#}
with settlements as (
    select * from {{ ref('int_fraud_settlements') }}
),

coordinates as (
    select city_code, latitude, longitude from {{ ref('ref_city_coordinates') }}
),

placed as (
    select settlements.*, coordinates.latitude, coordinates.longitude
    from settlements
    join coordinates on settlements.care_city_code = coordinates.city_code
),

parameters as (
    select county_code, rule_year, distant_same_day_km
    from {{ ref('int_fraud_parameters') }}
),

pairs as (
    select
        flagged.*,
        other.settlement_id as related_settlement_id,
        other.care_city_code as other_city_code,
        {{ distance_km('flagged.latitude', 'flagged.longitude',
                       'other.latitude', 'other.longitude') }} as distance_km,
        cast(parameters.distant_same_day_km as integer) as threshold_km
    from placed as flagged
    join placed as other
        on flagged.person_cluster_id = other.person_cluster_id
        and flagged.visit_start_date = other.visit_start_date
        and flagged.institution_code <> other.institution_code
        and (other.cancelled_month is null or other.cancelled_month > flagged.delivery_month)
        and (flagged.delivery_month > other.delivery_month
            or (flagged.delivery_month = other.delivery_month
                and flagged.settlement_id > other.settlement_id))
    join parameters
        on flagged.insured_county_code = parameters.county_code
        and flagged.rule_year = parameters.rule_year
),

farthest as (
    select pairs.*,
        row_number() over (
            partition by settlement_id order by distance_km desc, related_settlement_id
        ) as rank_by_distance
    from pairs
    where distance_km >= threshold_km
)

select
    delivery_month,
    'distant_same_day' as rule_id,
    person_cluster_id,
    insured_county_code,
    institution_code,
    settlement_id,
    related_settlement_id,
    visit_start_date,
    'care began the same day in ' || care_city_code || ' and ' || other_city_code || ', '
        || cast(distance_km as string) || ' km apart' as evidence,
    cast(case when distance_km >= 2 * threshold_km then 1
        else {{ ratio('distance_km', '2 * threshold_km') }} end as decimal(6, 4)) as score,
    source_file,
    source_row_number
from farthest
where rank_by_distance = 1
