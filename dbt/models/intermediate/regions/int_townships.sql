{#- Townships (乡镇, 9-digit codes) with their names, from the reference population and the
    poverty roster's village codes. Grain: township code. -#}
with from_population as (
    select distinct county_code, township_code, township_name
    from {{ ref('stg_reference__population') }}
),

from_roster as (
    select distinct file_county_code as county_code,
        substr(village_code, 1, 9) as township_code, township_name
    from {{ ref('stg_poverty__roster') }}
    where village_code is not null
),

combined as (
    select * from from_population
    union
    select * from from_roster
)

select county_code, township_code, min(township_name) as township_name,
    count(distinct township_name) as names_seen
from combined
group by county_code, township_code
