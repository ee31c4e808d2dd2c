{#- The region dimension (行政区划) for analysts: int_regions as it is. Marts built after person
    linkage read int_regions, not this table: the marts gate checks dim_region, and a mart
    downstream of a gated table in the other dbt step would make the gate wait on itself. -#}
select
    region_code,
    region_level,
    region_name,
    parent_code,
    province_code,
    city_code,
    county_code,
    valid_from_year,
    valid_to_year,
    code_source
from {{ ref('int_regions') }}
