{#- Villages (村, 12-digit codes) with their names, from the poverty roster. Grain: village code. -#}
select
    region_code as village_code,
    substr(region_code, 1, 9) as township_code,
    county_code,
    min(region_name) as village_name,
    count(distinct region_name) as names_seen
from {{ ref('int_region_names_seen') }}
where region_level = 'village'
group by region_code, county_code
