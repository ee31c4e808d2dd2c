{#- Who is poor in each delivery month (G1, S5.1.2), by the departments' rosters: on the
    poverty roster (any 人员状态), or in an assistance category of the poor population
    (特困供养, 城乡低保, 低保边缘; seed code_assistance_categories) with status 在保. One row per
    person cluster and month, with the row that proves it (the poverty roster row, else the
    person's first assistance row) and the region that row names. Restricted. -#}
{{ config(**incremental_by_month(retention='latest_month')) }}

{#- read twice (roster, assistance): not_materialized, so each join reads the month's links
    itself instead of a buffered copy of all of them (macros/not_materialized.sql) -#}
with links as {{ not_materialized() }} (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
    where {{ in_build_months() }}
),

roster as (
    select links.person_cluster_id, roster.delivery_month, roster.source_file,
        roster.source_row_number, roster.person_status, roster.believes_resident_insured,
        roster.file_county_code as county_code, roster.township_name, roster.village_name
    from {{ ref('stg_poverty__roster') }} as roster
    join links
        on roster.source_file = links.source_file
        and roster.source_row_number = links.source_row_number
    where {{ in_build_months('roster.delivery_month') }}
),

assistance as (
    select links.person_cluster_id, assistance.delivery_month, assistance.source_file,
        assistance.source_row_number, assistance.file_county_code as county_code,
        assistance.township_name, assistance.village_name,
        coalesce(codes.is_poor_population, false)
            and assistance.assistance_status = '在保' as makes_poor
    from {{ ref('stg_civil_affairs__assistance_roster') }} as assistance
    join links
        on assistance.source_file = links.source_file
        and assistance.source_row_number = links.source_row_number
    left join {{ ref('code_assistance_categories') }} as codes
        on assistance.assistance_category = codes.assistance_category
    where {{ in_build_months('assistance.delivery_month') }}
),

rows_of_the_poor as (
    select person_cluster_id, delivery_month, 'poverty' as department, 0 as evidence_rank,
        source_file, source_row_number, county_code, township_name, village_name,
        true as makes_poor,
        case when person_status <> '正常' then person_status end as ineligible_status,
        believes_resident_insured
    from roster

    union all
    select person_cluster_id, delivery_month, 'civil_affairs', 1, source_file,
        source_row_number, county_code, township_name, village_name, makes_poor,
        cast(null as string), cast(null as boolean)
    from assistance
),

ranked as (
    select *,
        row_number() over (
            partition by person_cluster_id, delivery_month
            order by evidence_rank, source_file, source_row_number
        ) as row_rank,
        max(case when makes_poor then 1 else 0 end)
            over (partition by person_cluster_id, delivery_month) as is_poor,
        max(case when department = 'poverty' then 1 else 0 end)
            over (partition by person_cluster_id, delivery_month) as on_roster,
        min(ineligible_status)
            over (partition by person_cluster_id, delivery_month) as roster_ineligible_status
    from rows_of_the_poor
)

select
    person_cluster_id,
    delivery_month,
    on_roster = 1 as on_poverty_roster,
    roster_ineligible_status,
    believes_resident_insured as roster_believes_resident_insured,
    department as evidence_department,
    source_file as evidence_file,
    source_row_number as evidence_row_number,
    county_code,
    township_name,
    village_name
from ranked
where row_rank = 1 and is_poor = 1
