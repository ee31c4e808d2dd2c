{#- The register's special-person flag (身份标识, H2) per person cluster and delivery month: whether
    any identity row of a poverty type (seed code_identity_types.is_poverty_flag: 特困, 低保, 低边,
    脱贫人口, 未脱贫人口, 监测对象) is valid in the month, and the person's first identity row of
    any type as evidence. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

{%- set month_start = "cast(identities.delivery_month || '-01' as date)" %}
{%- set month_end = dbt.last_day(month_start, 'month') %}
with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

identities as (
    select * from {{ ref('stg_healthcare__person_identities') }}
    where {{ in_build_months() }}
),

identity_types as (
    select identity_type from {{ ref('code_identity_types') }} where is_poverty_flag
),

flagged_rows as (
    select
        links.person_cluster_id,
        identities.delivery_month,
        identities.source_file,
        identities.source_row_number,
        case when identity_types.identity_type is not null
            and (identities.valid_from is null or identities.valid_from <= {{ month_end }})
            and (identities.valid_to is null or identities.valid_to >= {{ month_start }})
            then 1 else 0 end as is_poverty_flag,
        row_number() over (
            partition by links.person_cluster_id, identities.delivery_month
            order by identities.source_file, identities.source_row_number
        ) as row_rank
    from identities
    join links
        on identities.source_file = links.source_file
        and identities.source_row_number = links.source_row_number
    left join identity_types on identities.identity_type = identity_types.identity_type
)

select
    person_cluster_id,
    delivery_month,
    max(is_poverty_flag) = 1 as has_poverty_flag,
    min(case when row_rank = 1 then source_file end) as evidence_file,
    min(case when row_rank = 1 then source_row_number end) as evidence_row_number
from flagged_rows
group by person_cluster_id, delivery_month
