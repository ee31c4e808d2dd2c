{#- The features person linkage compares, for every record that carries an ID number: the ID as
    normalised (15-digit IDs converted), the name, the birth date digits of the ID, the county
    and the household head's ID. The poverty roster names the household by 户编号, so its head's
    ID is the ID of the row with relation 户主 in the same file and household. Grain: source file
    and row. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

{#- read twice, by poverty_heads and the final select: not_materialized, so the month's records
    stream through the join instead of being buffered whole -#}
with checks as {{ not_materialized() }} (
    select * from {{ ref('int_id_number_checks') }}
    where {{ in_build_months() }}
),

poverty_heads as (
    select source_file, household_key,
        max(coalesce(id_number_18, id_number)) as household_head_id
    from checks
    where source_kind = 'poverty_roster' and relation_to_head = '户主'
    group by source_file, household_key
)

select
    checks.department,
    checks.source_kind,
    checks.delivery_month,
    checks.source_file,
    checks.source_row_number,
    checks.valid_id_number,
    coalesce(checks.id_number_18, checks.id_number) as id_number,
    checks.person_name,
    checks.sex_code,
    coalesce(checks.birth_date_from_id, checks.birth_date_declared) as birth_date,
    substr(coalesce(checks.id_number_18, checks.id_number), 7, 8) as birth_digits,
    {#- settlements carry the region where care was given, not where the person lives -#}
    case when checks.source_kind <> 'settlements' then checks.county_code end as county_code,
    case when checks.source_kind = 'enrolment' then checks.household_key end as person_number,
    case
        when checks.source_kind = 'assistance_roster' then {{ id_to_18('checks.household_key') }}
        when checks.source_kind = 'poverty_roster' then poverty_heads.household_head_id
    end as household_head_id,
    case checks.department
        when 'healthcare' then 1 when 'poverty' then 2 when 'tax' then 3 else 4
    end as name_trust
from checks
left join poverty_heads
    on checks.source_kind = 'poverty_roster'
    and checks.source_file = poverty_heads.source_file
    and checks.household_key = poverty_heads.household_key
