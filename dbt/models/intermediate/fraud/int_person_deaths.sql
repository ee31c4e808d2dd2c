{#- Deaths as the departments report them, per person (cluster) and the month a report was
    delivered: the register's stop for death (stop_rsn 死亡, its suspension date) and the poverty
    roster's 人员状态 死亡 (its 状态变更日期). A roster date spelled to the month only (2019年12月)
    counts as the month's last day, the latest the death can have been, so that care in that
    month is never called after death. The earliest date reported in a month; a later rule
    takes the earliest reported by the month it looks at. Restricted. -#}
with links as (
    select source_file, source_row_number, person_cluster_id
    from {{ ref('int_person_links') }}
),

reports as (
    select enrolment.source_file, enrolment.source_row_number, enrolment.delivery_month,
        enrolment.suspension_date as death_date, 'healthcare' as source_department
    from {{ ref('stg_healthcare__enrolment') }} as enrolment
    where enrolment.stop_reason = '死亡' and enrolment.suspension_date is not null

    union all

    select roster.source_file, roster.source_row_number, roster.delivery_month,
        case when roster.status_change_month_only
            then {{ dbt.last_day('roster.status_change_date', 'month') }}
            else roster.status_change_date end,
        'poverty'
    from {{ ref('stg_poverty__roster') }} as roster
    where roster.person_status = '死亡' and roster.status_change_date is not null
),

ranked as (
    select links.person_cluster_id, reports.delivery_month, reports.death_date,
        reports.source_department,
        row_number() over (
            partition by links.person_cluster_id, reports.delivery_month
            order by reports.death_date, reports.source_department
        ) as earliest
    from reports
    join links
        on reports.source_file = links.source_file
        and reports.source_row_number = links.source_row_number
)

select person_cluster_id, delivery_month as reported_month, death_date, source_department
from ranked
where earliest = 1
