{#- Region names of the civil-affairs rosters that resolve to no code (区划名称无法识别): never
    dropped silently. No person data: the file and row let an official open the record. -#}
select
    delivery_month,
    source_file,
    source_row_number,
    file_county_code as county_code,
    resolution_problem,
    county_name_as_written,
    township_name,
    village_name
from {{ ref('int_assistance_regions') }}
where resolution_problem is not null
