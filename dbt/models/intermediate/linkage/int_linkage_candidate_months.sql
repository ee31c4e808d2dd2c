{#- What each month says about each valid ID, for the candidates of later months: the name the
    most trusted department gives it that month (the register, then the poverty roster, then
    tax, then civil affairs), the county of the month's first record in file order that names
    one, and a household head's ID. int_linkage_candidates combines the months up to a linked
    month. Grain: valid ID number and month. Restricted. -#}
{{ config(**incremental_by_month()) }}

with features as (
    select * from {{ ref('int_linkage_features') }}
    where valid_id_number is not null
        and {{ in_build_months() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by valid_id_number, delivery_month
            order by case when person_name is null then 1 else 0 end, name_trust,
                source_file, source_row_number
        ) as name_rank,
        row_number() over (
            partition by valid_id_number, delivery_month
            order by case when county_code is null then 1 else 0 end,
                source_file, source_row_number
        ) as county_rank
    from features
)

select
    valid_id_number as id_number,
    delivery_month,
    max(case when name_rank = 1 then person_name end) as person_name,
    max(case when name_rank = 1 then name_trust end) as name_trust,
    max(case when county_rank = 1 then county_code end) as county_code,
    max(household_head_id) as household_head_id
from ranked
group by valid_id_number, delivery_month
