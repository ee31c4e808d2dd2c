{#- Every category a person holds in a month, by the department that says so. A person's key
    does not change as months arrive (int_persons), so the model builds incrementally by
    month. -#}
{{ config(**incremental_by_month()) }}

with categories as (
    select * from {{ ref('int_person_categories') }}
    where {{ in_build_months() }}
),

persons as (
    select person_cluster_id, person_key from {{ ref('int_persons') }}
)

select
    persons.person_key,
    categories.delivery_month,
    categories.category,
    categories.source_department,
    categories.source_kind,
    categories.category_status,
    categories.category_detail,
    categories.valid_from,
    categories.valid_to,
    categories.source_file,
    categories.source_row_number
from categories
join persons on categories.person_cluster_id = persons.person_cluster_id
