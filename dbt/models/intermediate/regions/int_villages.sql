{#- Villages (村, 12-digit codes) with their names, from the poverty roster. Grain: village code. -#}
select
    village_code,
    substr(village_code, 1, 9) as township_code,
    substr(village_code, 1, 6) as county_code,
    min(village_name) as village_name,
    count(distinct village_name) as names_seen
from {{ ref('stg_poverty__roster') }}
where village_code is not null
group by village_code
