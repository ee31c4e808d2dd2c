{#- Databases as configured: on DuckDB the marts go to the attached analyst warehouse
    (`+database: analyst`). Spark has schemas only (dbt-spark refuses a database), so there the
    separation of the analyst marts from the restricted layers is the `marts` schema, to be
    granted on its own (docs/scale-out.md). -#}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {{ return(adapter.dispatch('database_for', 'yibao')(custom_database_name)) }}
{%- endmacro %}

{% macro default__database_for(custom_database_name) -%}
    {{ return(custom_database_name if custom_database_name else target.database) }}
{%- endmacro %}

{% macro spark__database_for(custom_database_name) -%}
    {{ return(none) }}
{%- endmacro %}
