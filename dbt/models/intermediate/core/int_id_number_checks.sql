{#- Every person record's ID number, validated in SQL: shape, 15-digit conversion, birth date,
    region prefix and check character. A region prefix is accepted when the code, at any level
    (some IDs carry a prefecture code), existed in any
    year (python-stdnum's own check also demands it existed in the birth year, which rejects
    older rural people registered late). Grain: source file and row.

    It carries only what its two readers use (the anomalies and the linkage features): the ID
    as delivered is read here for its two spelling checks and not written, since at the
    province tier every column costs spill across its 100M rows a month. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

with records as (
    select * from {{ ref('int_person_records') }}
    where {{ in_build_months() }}
),

{#- any GB/T 2260 code, as python-stdnum accepts: IDs issued under a prefecture's own code
    (341400 巢湖地区, abolished 2011) are real and valid -#}
region_codes as (
    select distinct admdvs from {{ ref('ref_region_codes') }}
),

shaped as (
    select
        records.*,
        length(id_number) as id_length,
        {{ regex_full_match('id_number', '[0-9]{15}') }} as is_fifteen_digit,
        {{ id_to_18('id_number') }} as id_number_18
    from records
),

checked as (
    select
        shaped.*,
        {{ regex_full_match('id_number_18', '[0-9]{17}[0-9X]') }} as is_well_formed,
        {{ try_parse_yyyymmdd('substr(id_number_18, 7, 8)') }} as birth_date_from_id,
        substr(id_number_18, 1, 6) in (select admdvs from region_codes) as is_region_known
    from shaped
),

verdict as (
    select
        checked.*,
        is_well_formed
            and substr(id_number_18, 18, 1) = {{ id_check_char('substr(id_number_18, 1, 17)') }}
            as is_check_char_correct,
        birth_date_from_id is not null
            and birth_date_from_id >= cast('1900-01-01' as date)
            and birth_date_from_id <= {{ dbt.last_day("cast(delivery_month || '-01' as date)", 'month') }}
            as is_birth_date_valid
    from checked
)

select
    department, source_kind, delivery_month, source_file, source_row_number,
    id_number, id_number_18, person_name, sex_code, birth_date_declared,
    county_code, household_key, relation_to_head, grain_detail,
    id_number is null as is_blank,
    id_number is not null and id_length not in (15, 18) as is_wrong_length,
    is_fifteen_digit,
    {{ regex_contains('id_number_raw', 'x') }} as has_lowercase_x,
    {{ regex_contains('id_number_raw', '[０-９Ｘｘ]') }} as has_full_width,
    coalesce(is_well_formed, false) as is_well_formed,
    coalesce(is_check_char_correct, false) as is_check_char_correct,
    coalesce(is_birth_date_valid, false) as is_birth_date_valid,
    coalesce(is_region_known, false) as is_region_known,
    case when is_birth_date_valid then birth_date_from_id end as birth_date_from_id,
    case
        when is_well_formed and is_check_char_correct and is_birth_date_valid and is_region_known
            then id_number_18
    end as valid_id_number
from verdict
