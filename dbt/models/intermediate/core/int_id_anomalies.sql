{#- ID anomalies (身份证号码异常, S5.1.2), one row per anomaly and record.

    Shape anomalies come from int_id_number_checks. Two more need other records:
    - duplicate_id: the same ID on two records of one poverty or assistance file that should
      hold a person once (per file; per assistance category in the civil-affairs roster);
    - same_id_different_name: a valid ID whose name differs from the name the most trusted
      department gives it (the register, then the poverty roster, then tax, then civil affairs),
      when the ID appears in at least two departments that month. -#}
{{ config(**incremental_by_month()) }}

{%- set shape_kinds = {
    'wrong_length': 'is_wrong_length',
    'fifteen_digit': 'is_fifteen_digit',
    'lowercase_x': 'has_lowercase_x',
    'full_width': 'has_full_width',
    'blank_id': 'is_blank',
    'bad_characters': 'not is_blank and not is_wrong_length and not is_well_formed',
    'bad_check_digit': 'is_well_formed and not is_check_char_correct',
    'invalid_birth_date': 'is_well_formed and is_check_char_correct and not is_birth_date_valid',
    'unknown_region': 'is_well_formed and is_check_char_correct and not is_region_known',
} -%}
with checks as (
    select * from {{ ref('int_id_number_checks') }}
    where {{ in_build_months() }}
),

shape as (
    {%- for kind, condition in shape_kinds.items() %}
    select '{{ kind }}' as anomaly_kind, department, source_kind, delivery_month, source_file,
        source_row_number, id_number, person_name
    from checks where {{ condition }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

duplicated as (
    select c.*, count(*) over (
        partition by source_file, coalesce(id_number_18, id_number), grain_detail
    ) as copies
    from checks c
    where source_kind in ('poverty_roster', 'assistance_roster') and id_number is not null
),

duplicates as (
    select 'duplicate_id' as anomaly_kind, department, source_kind, delivery_month, source_file,
        source_row_number, id_number, person_name
    from duplicated where copies > 1
),

named as (
    select
        delivery_month, valid_id_number, department, source_kind, source_file,
        source_row_number, id_number, person_name,
        case department when 'healthcare' then 1 when 'poverty' then 2 when 'tax' then 3
            else 4 end as trust
    from checks where valid_id_number is not null and person_name is not null
),

reference_names as (
    select delivery_month, valid_id_number, person_name as reference_name
    from (
        select *, row_number() over (
            partition by delivery_month, valid_id_number
            order by trust, source_file, source_row_number
        ) as rank_in_id
        from named
    ) ranked
    where rank_in_id = 1
),

department_counts as (
    select delivery_month, valid_id_number, count(distinct department) as departments
    from named group by delivery_month, valid_id_number
),

different_names as (
    select 'same_id_different_name' as anomaly_kind, n.department, n.source_kind,
        n.delivery_month, n.source_file, n.source_row_number, n.id_number, n.person_name
    from named n
    join reference_names r using (delivery_month, valid_id_number)
    join department_counts d using (delivery_month, valid_id_number)
    where d.departments >= 2 and n.person_name <> r.reference_name
)

select * from shape
union all select * from duplicates
union all select * from different_names
