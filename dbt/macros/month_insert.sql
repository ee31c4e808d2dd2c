{#- A month-incremental model's monthly run on DuckDB inserts its query straight into the table.

    dbt-duckdb's incremental materialisation first writes the new rows to a temporary table and
    then copies them into the model's table. For a model incremental by month (marked in `meta`
    by incremental_by_month()) the "temporary relation" is a temporary view of the model's
    query instead, so the one INSERT … SELECT of the append strategy runs the query once and
    writes each row once: a quarter less time on the record-level models (docs/performance.md).
    Everything else of the materialisation stands: the pre-hook's DELETE of the months and the
    INSERT share one transaction, and the column checks (on_schema_change: fail) read the view's
    columns as they read the table's.

    This takes the place of the global `create_table_as`; every other call goes on to the
    adapter's implementation, with the arguments each adapter's own version passes. -#}
{% macro create_table_as(temporary, relation, compiled_code, language='sql',
        partitioned_by=none, sorted_by=none) -%}
    {%- set builds_a_month = (config.get('meta') or {}).get('incremental_by_month') -%}
    {%- if target.type == 'duckdb' and temporary and language == 'sql' and builds_a_month -%}
        {{ return('create or replace temporary view '
            ~ relation.include(database=false, schema=false) ~ ' as (\n'
            ~ compiled_code ~ '\n)') }}
    {%- elif target.type == 'duckdb' -%}
        {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code,
            language, partitioned_by=partitioned_by, sorted_by=sorted_by)) }}
    {%- elif language == 'sql' -%}
        {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation,
            compiled_code)) }}
    {%- else -%}
        {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code,
            language)) }}
    {%- endif -%}
{%- endmacro %}
