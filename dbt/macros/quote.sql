{#- A delivered column name (Chinese headers included), quoted for the target engine. -#}
{% macro col(name) -%}
    {{ adapter.quote(name) }}
{%- endmacro %}
