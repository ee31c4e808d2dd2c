{#- For every loaded file, loaded + rejected = delivered: no row is silently dropped. -#}
{% test loaded_plus_rejected_equals_delivered(model) %}
select source_file, rows_delivered, rows_loaded, rows_rejected
from {{ model }}
where delivery_status = 'loaded' and rows_loaded + rows_rejected <> rows_delivered
{% endtest %}
