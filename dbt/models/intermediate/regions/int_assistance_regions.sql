{#- Civil affairs names regions instead of coding them: resolve each assistance-roster row's
    county, township and village names to codes, within the file's county (township names such
    as 城关镇 repeat across counties). A county may be written in full or abbreviated
    (施甸 for 施甸县). Names count from the month they were first delivered
    (int_region_names_seen): a row is resolved with what was known in its delivery month, so a
    later month never changes it, and the model builds incrementally by month. Grain: source
    file and row. -#}
{{ config(**incremental_by_month()) }}

with rows_ as (
    select delivery_month, source_file, source_row_number, file_county_code,
        county_name_as_written, township_name, village_name
    from {{ ref('stg_civil_affairs__assistance_roster') }}
    where {{ in_build_months() }}
),

counties as (
    select admdvs as county_code, region_name as county_name
    from {{ ref('ref_region_codes') }}
    where region_level = 'county'
),

names_seen as (
    select * from {{ ref('int_region_names_seen') }}
),

townships as (
    select rows_.source_file, rows_.source_row_number, min(t.region_code) as township_code
    from rows_
    join names_seen as t
        on t.region_level = 'township'
        and t.county_code = rows_.file_county_code
        and t.region_name = rows_.township_name
        and (t.first_delivery_month is null or t.first_delivery_month <= rows_.delivery_month)
    group by rows_.source_file, rows_.source_row_number
),

villages as (
    select rows_.source_file, rows_.source_row_number, min(v.region_code) as village_code
    from rows_
    join townships
        on townships.source_file = rows_.source_file
        and townships.source_row_number = rows_.source_row_number
    join names_seen as v
        on v.region_level = 'village'
        and substr(v.region_code, 1, 9) = townships.township_code
        and v.region_name = rows_.village_name
        and v.first_delivery_month <= rows_.delivery_month
    group by rows_.source_file, rows_.source_row_number
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
        townships.township_code,
        villages.village_code
    from rows_
    left join townships
        on townships.source_file = rows_.source_file
        and townships.source_row_number = rows_.source_row_number
    left join villages
        on villages.source_file = rows_.source_file
        and villages.source_row_number = rows_.source_row_number
)

select
    *,
    case
        when not county_name_matches then 'county_name_mismatch'
        when township_code is null then 'township_unresolved'
        when village_code is null and village_name is not null then 'village_unresolved'
    end as resolution_problem
from resolved
