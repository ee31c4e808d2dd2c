{#- A text column of a seed, with empty cells as null on every engine. dbt-spark's session
    seeds load an empty CSV cell of a text column as the string 'None' (DuckDB loads null), so
    a model that tests a seed's text column for empty must read it through this macro. -#}
{% macro seed_text(column) -%}
    {{ return(adapter.dispatch('seed_text', 'yibao')(column)) }}
{%- endmacro %}

{% macro default__seed_text(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{% macro spark__seed_text(column) -%}
    nullif(nullif({{ column }}, ''), 'None')
{%- endmacro %}
