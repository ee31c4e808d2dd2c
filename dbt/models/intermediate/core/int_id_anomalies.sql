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
{#- Three reads of the month's checks, each with only the rows and columns it needs (at the
    province tier one buffered copy of all of them spilled some 20 GB):
    - the shape anomalies: the few records with any shape flag, once, then one row per flag;
    - the duplicates: the two rosters' records;
    - the name conflicts: an aggregate per ID finds the IDs that carry two names in two
      departments, and only their records are ranked. -#}
with checks as {{ not_materialized() }} (
    select * from {{ ref('int_id_number_checks') }}
    where {{ in_build_months() }}
),

flagged as (
    select
        department, source_kind, delivery_month, source_file, source_row_number, id_number,
        person_name,
        {%- for kind, condition in shape_kinds.items() %}
        coalesce({{ condition }}, false) as is_{{ kind }}{{ ',' if not loop.last }}
        {%- endfor %}
    from checks
    where {% for condition in shape_kinds.values() %}coalesce({{ condition }}, false){{ ' or ' if not loop.last }}{% endfor %}
),

{#- one row per kind, so the flagged records are read once (a union of one select per kind
    would scan the month's checks once per kind) -#}
anomaly_kinds as (
    {%- for kind in shape_kinds %}
    select '{{ kind }}' as anomaly_kind{{ ' union all' if not loop.last }}
    {%- endfor %}
),

shape as (
    select anomaly_kinds.anomaly_kind, flagged.department, flagged.source_kind,
        flagged.delivery_month, flagged.source_file, flagged.source_row_number,
        flagged.id_number, flagged.person_name
    from flagged
    cross join anomaly_kinds
    where case anomaly_kinds.anomaly_kind
        {%- for kind in shape_kinds %}
        when '{{ kind }}' then flagged.is_{{ kind }}
        {%- endfor %}
    end
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

{#- an ID whose records all carry one name, or that one department alone gives, cannot have a
    record whose name differs from the reference name -#}
conflicted_ids as (
    select delivery_month, valid_id_number
    from checks
    where valid_id_number is not null and person_name is not null
    group by delivery_month, valid_id_number
    having min(department) <> max(department) and min(person_name) <> max(person_name)
),

named as (
    select
        checks.delivery_month, checks.valid_id_number, checks.department, checks.source_kind,
        checks.source_file, checks.source_row_number, checks.id_number, checks.person_name,
        case checks.department when 'healthcare' then 1 when 'poverty' then 2 when 'tax' then 3
            else 4 end as trust
    from checks
    inner join conflicted_ids
        on checks.delivery_month = conflicted_ids.delivery_month
        and checks.valid_id_number = conflicted_ids.valid_id_number
    where checks.person_name is not null
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

different_names as (
    select 'same_id_different_name' as anomaly_kind, n.department, n.source_kind,
        n.delivery_month, n.source_file, n.source_row_number, n.id_number, n.person_name
    from named n
    join reference_names r using (delivery_month, valid_id_number)
    where n.person_name <> r.reference_name
)

select * from shape
union all select * from duplicates
union all select * from different_names
