{#- On Spark, the raw layer and the load audit are the Parquet lake written by the pipeline
    (yibao/lake.py): <lake>/<schema>/<table>/<month partition>/part-0.parquet. This on-run-start
    hook declares every `raw` and `audit` source as an external table over its folder, with the
    delivery month as its partition column, and registers the partitions found. Declaring afresh
    each run keeps the metastore equal to the lake: dropping an external table never deletes
    its files. On DuckDB the sources are tables already, and the hook does nothing. -#}
{% macro register_lake_tables() -%}
    {{ return(adapter.dispatch('register_lake_tables', 'yibao')()) }}
{%- endmacro %}

{% macro default__register_lake_tables() -%}
    select 1
{%- endmacro %}

{% macro spark__register_lake_tables() -%}
    {%- if execute -%}
        {%- set lake = env_var('YIBAO_LAKE', 'data/lake') -%}
        {%- set sources = graph.sources.values() | selectattr('source_name', 'in', ['raw', 'audit']) | list -%}
        {%- for schema in sources | map(attribute='schema') | unique -%}
            {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- endfor -%}
        {%- for node in sources -%}
            {%- set location = lake ~ '/' ~ node.schema ~ '/' ~ node.name -%}
            {%- do run_query('drop table if exists ' ~ node.schema ~ '.' ~ node.name) -%}
            {%- do run_query('create table ' ~ node.schema ~ '.' ~ node.name
                             ~ " using parquet location '" ~ location ~ "'") -%}
            {%- do run_query('msck repair table ' ~ node.schema ~ '.' ~ node.name) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
