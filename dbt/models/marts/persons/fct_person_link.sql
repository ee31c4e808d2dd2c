{#- Which person every delivered person record belongs to, and how that was decided. A
    person's key does not change as months arrive (int_persons), so the model builds
    incrementally by month. -#}
{{ config(**incremental_by_month()) }}

with links as (
    select * from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

persons as (
    select person_cluster_id, person_key from {{ ref('int_persons') }}
)

select
    links.delivery_month,
    links.department,
    links.source_kind,
    links.source_file,
    links.source_row_number,
    persons.person_key,
    links.link_method,
    -- six decimals: finer differences are noise of the model's training, not information
    cast(round(links.match_probability, 6) as decimal(7, 6)) as match_probability
from links
join persons on links.person_cluster_id = persons.person_cluster_id
