{#- Each designated institution (定点医药机构) once per delivery month, with its level (医院等级)
    as delivered and as a rank (三级 3, 二级 2, 一级 1, else 0), its type (机构类型) and region
    (所在医保区划), for the models that ask where care or a certification happened.
    Restricted. -#}
{{ config(**incremental_by_month()) }}

with levels as (
    select delivery_month, institution_code, max(institution_level) as institution_level,
        max(institution_type) as institution_type, max(region_code) as institution_region_code
    from {{ ref('stg_healthcare__institutions') }}
    where {{ in_build_months() }}
    group by delivery_month, institution_code
)

select
    delivery_month,
    institution_code,
    institution_level,
    institution_type,
    institution_region_code,
    case institution_level
        when '三级' then 3 when '二级' then 2 when '一级' then 1 else 0
    end as institution_level_rank
from levels
