{#- What each department delivered each month and what became of it: the analysts' view of the
    load log (交付文件). -#}
with load_log as (
    select * from {{ source('audit', 'load_log') }}
),

rejects as (
    select source_file, sum(rows_rejected) as rows_rejected_total
    from {{ source('audit', 'rejects_by_column') }}
    group by source_file
)

select
    load_log.delivery_month,
    load_log.department,
    load_log.kind as file_kind,
    load_log.source_file,
    load_log.version as file_version,
    load_log.status as delivery_status,
    load_log.file_format,
    load_log.encoding,
    load_log.rows_delivered,
    load_log.rows_loaded,
    coalesce(rejects.rows_rejected_total, 0) as rows_rejected,
    load_log.notice
from load_log
left join rejects using (source_file)
