{#- The delivery months whose leftovers Splink links in this run (yibao/linkage): the months
    being built (macros/incremental_months.sql), every loaded month on a first build or a full
    refresh. Grain: month. Restricted. -#}
{{ config(**replaced_each_build()) }}

select distinct delivery_month as link_month
from {{ source('audit', 'load_log') }}
where delivery_month <> 'reference'
    and {{ in_build_months() }}
