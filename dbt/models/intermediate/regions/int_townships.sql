{#- Townships (乡镇, 9-digit codes) with their names, from the reference population and the
    poverty roster's village codes. Grain: township code. -#}
select county_code, region_code as township_code, min(region_name) as township_name,
    count(distinct region_name) as names_seen
from {{ ref('int_region_names_seen') }}
where region_level = 'township'
group by county_code, region_code
