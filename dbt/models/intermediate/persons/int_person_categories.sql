{#- Every category a person holds in a delivery month, from the department that says so:
    - the poverty roster: registered_poor (status exited / not_exited, detail the attribute)
      and monitored (detail the 监测对象 kind);
    - the assistance roster: its category (extremely_poor, minimum_living_allowance,
      low_income_marginal, orphan, ...; status 在保 / 暂停 / 停保) and disability (detail the
      type and grade);
    - the register's identities (人员身份): what healthcare flags the person as.
    Validity: the dates the source states (assistance and identities); the rosters are monthly
    snapshots, so their rows hold for the delivery month. Grain: person cluster, month,
    category, source kind (duplicates of a row collapse to the latest). Restricted. -#}
{{ config(**incremental_by_month()) }}

with links as (
    select person_cluster_id, source_file, source_row_number
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

roster as (
    select * from {{ ref('stg_poverty__roster') }}
    where {{ in_build_months() }}
),

assistance as (
    select * from {{ ref('stg_civil_affairs__assistance_roster') }}
    where {{ in_build_months() }}
),

identities as (
    select * from {{ ref('stg_healthcare__person_identities') }}
    where {{ in_build_months() }}
),

assistance_codes as (
    select * from {{ ref('code_assistance_categories') }}
),

identity_codes as (
    select * from {{ ref('code_identity_types') }}
),

{%- set month_start = "cast(delivery_month || '-01' as date)" %}
{%- set month_end = dbt.last_day(month_start, 'month') %}

categories as (
    select delivery_month, source_file, source_row_number, 'poverty' as source_department,
        'poverty_roster' as source_kind, 'registered_poor' as category,
        case poverty_status when '已脱贫' then 'exited' when '未脱贫' then 'not_exited'
            else poverty_status end as category_status,
        poverty_attribute as category_detail,
        {{ month_start }} as valid_from, {{ month_end }} as valid_to
    from roster

    union all
    select delivery_month, source_file, source_row_number, 'poverty', 'poverty_roster',
        'monitored', person_status, monitoring_category, {{ month_start }}, {{ month_end }}
    from roster
    where monitoring_category is not null

    union all
    select assistance.delivery_month, assistance.source_file, assistance.source_row_number,
        'civil_affairs', 'assistance_roster', assistance_codes.name_en,
        assistance.assistance_status, assistance.assistance_category,
        assistance.assistance_start_date, assistance.assistance_end_date
    from assistance
    join assistance_codes on assistance.assistance_category = assistance_codes.assistance_category

    union all
    select delivery_month, source_file, source_row_number, 'civil_affairs', 'assistance_roster',
        'disability', assistance_status, disability_type || ' ' || disability_grade,
        {{ month_start }}, {{ month_end }}
    from assistance
    where disability_grade is not null

    union all
    select identities.delivery_month, identities.source_file, identities.source_row_number,
        'healthcare', 'person_identities',
        case identities.identity_type when '脱贫人口' then 'registered_poor'
            when '未脱贫人口' then 'registered_poor' else identity_codes.name_en end,
        case identities.identity_type when '脱贫人口' then 'exited'
            when '未脱贫人口' then 'not_exited' end,
        identities.identity_level,
        identities.valid_from, identities.valid_to
    from identities
    join identity_codes on identities.identity_type = identity_codes.identity_type
),

held as (
    select links.person_cluster_id, categories.*, row_number() over (
        partition by links.person_cluster_id, categories.delivery_month, categories.category,
            categories.source_kind
        order by categories.valid_from desc, categories.source_file, categories.source_row_number
    ) as recency
    from categories
    join links
        on categories.source_file = links.source_file
        and categories.source_row_number = links.source_row_number
)

select
    person_cluster_id, delivery_month, category, source_department, source_kind,
    category_status, category_detail, valid_from, valid_to, source_file, source_row_number
from held
where recency = 1
