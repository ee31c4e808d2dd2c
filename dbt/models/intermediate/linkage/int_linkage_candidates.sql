{#- The people linkage can link to: one row per valid ID number over every month loaded, with
    the name the most trusted department gives (the register, then the poverty roster, then
    tax, then civil affairs; the latest month first), the county of the latest record that
    names one and a household head's ID. Grain: valid ID number. Restricted. -#}
with ranked as (
    select
        *,
        row_number() over (
            partition by valid_id_number
            order by case when person_name is null then 1 else 0 end, name_trust,
                delivery_month desc, source_file, source_row_number
        ) as name_rank,
        row_number() over (
            partition by valid_id_number
            order by case when county_code is null then 1 else 0 end,
                delivery_month desc, source_file, source_row_number
        ) as county_rank
    from {{ ref('int_linkage_features') }}
    where valid_id_number is not null
)

select
    valid_id_number as id_number,
    max(case when name_rank = 1 then person_name end) as person_name,
    substr(valid_id_number, 7, 8) as birth_digits,
    max(case when county_rank = 1 then county_code end) as county_code,
    max(household_head_id) as household_head_id
from ranked
group by valid_id_number
