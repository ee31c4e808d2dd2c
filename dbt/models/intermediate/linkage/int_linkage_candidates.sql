{#- The people a leftover record of a linked month can be linked to, as known then: one row
    per linked month (int_linkage_months) and valid ID delivered up to that month, with the
    most trusted name (the latest month first among equals), the latest county that names one
    and a household head's ID. Nothing delivered later changes a month's candidates, so a
    month's links stay as they were made. Holds the months linked by the last run only.

    A monthly run links one new month. Its candidates are the previous run's (the people known
    a month before) merged with what the new month says of each ID, on DuckDB
    (macros/merged_state.sql), so the model does not re-read every month's IDs as history
    grows. Re-running an old month, a full refresh and Spark combine every month.
    Grain: linked month and valid ID number. Restricted. -#}
{%- set months = months_to_merge('link_month', ['name_trust']) %}

{% if months | length == 1 -%}
with previous as (
    select * from {{ this }}
    where link_month = (select max(link_month) from {{ this }})
),

added as (
    select * from {{ ref('int_linkage_candidate_months') }}
    where delivery_month = '{{ months[0] }}'
),

{#- the new month's name wins a name of the same or a less trusted department, or no name -#}
combined as (
    select
        coalesce(added.id_number, previous.id_number) as id_number,
        added.id_number is not null and (
            previous.id_number is null
            or (added.person_name is not null and previous.person_name is null)
            or ((added.person_name is null) = (previous.person_name is null)
                and added.name_trust <= previous.name_trust)
        ) as takes_added_name,
        added.person_name as added_name, added.name_trust as added_trust,
        previous.person_name as previous_name, previous.name_trust as previous_trust,
        coalesce(added.county_code, previous.county_code) as county_code,
        {{ larger_of('previous.household_head_id', 'added.household_head_id') }}
            as household_head_id
    from previous
    full outer join added on previous.id_number = added.id_number
)

select
    '{{ months[0] }}' as link_month,
    id_number,
    case when takes_added_name then added_name else previous_name end as person_name,
    case when takes_added_name then added_trust else previous_trust end as name_trust,
    substr(id_number, 7, 8) as birth_digits,
    county_code,
    household_head_id
from combined

{%- else -%}
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
    max(case when name_rank = 1 then name_trust end) as name_trust,
    substr(id_number, 7, 8) as birth_digits,
    max(case when county_rank = 1 then county_code end) as county_code,
    max(household_head_id) as household_head_id
from ranked
group by link_month, id_number
{%- endif %}
