{#- The records exact matching cannot place: no valid ID number (a wrong length, a broken check
    character, a blank). Splink links them to candidates (yibao/linkage). Grain: source file and
    row. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

select
    department,
    source_kind,
    delivery_month,
    source_file,
    source_row_number,
    id_number,
    person_name,
    birth_digits,
    county_code,
    household_head_id
from {{ ref('int_linkage_features') }}
where valid_id_number is null
    and {{ in_build_months() }}
