{#- Every township and village name the deliveries give with its code, and the first delivery
    month that gave it (null: the reference population, known from the start). Names are
    resolved as of a row's delivery month (int_assistance_regions), so a village first named in
    a later month never changes an earlier month's findings. Grain: level, code, name. -#}
with population_townships as (
    select distinct
        'township' as region_level,
        county_code,
        township_code as region_code,
        township_name as region_name,
        cast(null as {{ dbt.type_string() }}) as first_delivery_month
    from {{ ref('stg_reference__population') }}
),

roster_townships as (
    select
        'township' as region_level,
        file_county_code as county_code,
        substr(village_code, 1, 9) as region_code,
        township_name as region_name,
        min(delivery_month) as first_delivery_month
    from {{ ref('stg_poverty__roster') }}
    where village_code is not null
    group by file_county_code, substr(village_code, 1, 9), township_name
),

roster_villages as (
    select
        'village' as region_level,
        substr(village_code, 1, 6) as county_code,
        village_code as region_code,
        village_name as region_name,
        min(delivery_month) as first_delivery_month
    from {{ ref('stg_poverty__roster') }}
    where village_code is not null
    group by village_code, village_name
),

combined as (
    select * from population_townships
    union all
    select * from roster_townships
    union all
    select * from roster_villages
)

select
    region_level,
    county_code,
    region_code,
    region_name,
    case when max(case when first_delivery_month is null then 1 else 0 end) = 0
        then min(first_delivery_month) end as first_delivery_month
from combined
group by region_level, county_code, region_code, region_name
