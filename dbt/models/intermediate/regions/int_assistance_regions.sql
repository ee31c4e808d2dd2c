{#- Civil affairs names regions instead of coding them: resolve each assistance-roster row's
    county, township and village names to codes, within the file's county (township names such
    as 城关镇 repeat across counties). A county may be written in full or abbreviated
    (施甸 for 施甸县). Grain: source file and row. -#}
with rows_ as (
    select delivery_month, source_file, source_row_number, file_county_code,
        county_name_as_written, township_name, village_name
    from {{ ref('stg_civil_affairs__assistance_roster') }}
),

counties as (
    select admdvs as county_code, region_name as county_name
    from {{ ref('ref_region_codes') }}
    where region_level = 'county'
),

townships as (
    select county_code, township_code, township_name from {{ ref('int_townships') }}
),

villages as (
    select township_code, village_code, village_name from {{ ref('int_villages') }}
),

resolved as (
    select
        rows_.*,
        exists (
            select 1 from counties c
            where c.county_code = rows_.file_county_code
              and (c.county_name = rows_.county_name_as_written
                   or (length(rows_.county_name_as_written) >= 2
                       and {{ dbt.position('rows_.county_name_as_written', 'c.county_name') }} = 1))
        ) as county_name_matches,
        t.township_code,
        v.village_code
    from rows_
    left join townships t
        on t.county_code = rows_.file_county_code and t.township_name = rows_.township_name
    left join villages v
        on v.township_code = t.township_code and v.village_name = rows_.village_name
)

select
    *,
    case
        when not county_name_matches then 'county_name_mismatch'
        when township_code is null then 'township_unresolved'
        when village_code is null and village_name is not null then 'village_unresolved'
    end as resolution_problem
from resolved
