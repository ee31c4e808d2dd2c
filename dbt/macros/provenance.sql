{#- The provenance every staging row carries from the raw layer: which month, file and row it
    came from, so any finding can point an official at the original record. -#}
{% macro provenance() -%}
        _delivery_month as delivery_month,
        _source_file as source_file,
        _row_number as source_row_number
{%- endmacro %}
