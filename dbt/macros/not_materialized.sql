{#- Written after `name as` in a WITH clause: the engine reads the CTE where it is used instead
    of computing it once into a buffer. DuckDB (since 1.3) materialises a CTE that is read more
    than once; over a month's 100M person records at the province tier that buffer, with every
    column, spilled some 20 GB, where reading the table twice with only the columns and rows each
    use needs costs a second scan. Spark inlines CTEs on its own. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'yibao')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}
