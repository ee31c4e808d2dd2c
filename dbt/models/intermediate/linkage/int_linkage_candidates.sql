{#- The people a leftover record of a linked month can be linked to, as known then: one row
    per linked month (int_linkage_months) and valid ID delivered up to that month, with the
    most trusted name (the latest month first among equals), the latest county that names one
    and a household head's ID. Nothing delivered later changes a month's candidates, so a
    month's links stay as they were made. Grain: linked month and valid ID number.
    Restricted. -#}
{{ config(**replaced_each_build()) }}

with known as (
    select link_months.link_month, candidate_months.*
    from {{ ref('int_linkage_candidate_months') }} as candidate_months
    join {{ ref('int_linkage_months') }} as link_months
        on candidate_months.delivery_month <= link_months.link_month
),

ranked as (
    select
        *,
        row_number() over (
            partition by link_month, id_number
            order by case when person_name is null then 1 else 0 end, name_trust,
                delivery_month desc
        ) as name_rank,
        row_number() over (
            partition by link_month, id_number
            order by case when county_code is null then 1 else 0 end, delivery_month desc
        ) as county_rank
    from known
)

select
    link_month,
    id_number,
    max(case when name_rank = 1 then person_name end) as person_name,
    substr(id_number, 7, 8) as birth_digits,
    max(case when county_rank = 1 then county_code end) as county_code,
    max(household_head_id) as household_head_id
from ranked
group by link_month, id_number
