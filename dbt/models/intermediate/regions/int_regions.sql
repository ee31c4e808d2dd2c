{#- Every region the warehouse knows, at every level (行政区划): provinces, cities and counties of
    GB/T 2260 with their validity years (the latest name of each code), and the townships and
    villages seen in the deliveries. Grain: region code. -#}
with gb2260 as (
    select *, row_number() over (
        partition by admdvs order by coalesce(valid_to_year, 9999) desc
    ) as newest
    from {{ ref('ref_region_codes') }}
),

official as (
    select
        region_code,
        region_level,
        region_name,
        case region_level when 'city' then substr(parent_admdvs, 1, 2)
            when 'county' then substr(parent_admdvs, 1, 4) end as parent_code,
        valid_from_year,
        valid_to_year,
        'gb2260' as code_source
    from gb2260
    where newest = 1
),

townships as (
    select township_code, 'township', township_name, county_code,
        cast(null as integer), cast(null as integer), 'delivered'
    from {{ ref('int_townships') }}
),

villages as (
    select village_code, 'village', village_name, township_code,
        cast(null as integer), cast(null as integer), 'delivered'
    from {{ ref('int_villages') }}
)

select
    region_code,
    region_level,
    region_name,
    parent_code,
    substr(region_code, 1, 2) as province_code,
    case when region_level <> 'province' then substr(region_code, 1, 4) end as city_code,
    case when length(region_code) >= 6 then substr(region_code, 1, 6) end as county_code,
    valid_from_year,
    valid_to_year,
    code_source
from (
    select * from official
    union all select * from townships
    union all select * from villages
) all_levels
