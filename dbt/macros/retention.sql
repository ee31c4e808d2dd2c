{#- Retention of the record-level working tables (docs/performance.md, "Storage").

    A model built with `incremental_by_month(retention='latest_month')` is read month by month:
    every reader reads only the months being built, so once a month's build is done its older
    months serve nothing. At the province tier they are about 9 GB a month (the ID checks, the
    linkage features, the person-month enrolment flags, the settlement benefit basis).

    `dbt run-operation prune_working_months` removes every month before the latest delivered
    month from those tables: DELETE and a checkpoint on DuckDB (the freed blocks are reused by
    the next month's rows), dropping the partitions on Spark. The monthly job runs it after the
    month is built (and, on DuckDB, published), so a failed month keeps what it had. A re-run,
    an older month re-run or a full refresh rebuilds whatever months it needs from the kept
    inputs and is pruned again afterwards, so every run leaves the same tables. -#}

{% macro prune_working_months() -%}
    {%- set latest = latest_delivered_month() -%}
    {%- if latest is none -%}
        {{ log('prune_working_months: no month delivered, nothing to prune', info=True) }}
        {{ return(none) }}
    {%- endif -%}
    {%- set databases = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
            if node.resource_type == 'model'
            and node.config.meta.get('retention') == 'latest_month' -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- set column = node.config.meta['incremental_by_month'] -%}
            {%- set older = run_query('select ' ~ column ~ ', count(*) from ' ~ relation
                ~ ' where ' ~ column ~ " < '" ~ latest ~ "' group by 1 order by 1") -%}
            {%- set months = older.columns[0].values() | list -%}
            {%- if months | length > 0 -%}
                {%- do delete_months(relation, column, months) -%}
                {%- do databases.append(relation.database) -%}
                {{ log('pruned ' ~ node.name ~ ': ' ~ (older.columns[1].values() | sum)
                    ~ ' rows of ' ~ months | join(', '), info=True) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do adapter.commit() -%}
    {%- do adapter.dispatch('reclaim_space', 'yibao')(databases | unique | list) -%}
{%- endmacro %}


{#- The latest delivered month in the load log, or none before the first. -#}
{% macro latest_delivered_month() -%}
    {%- set found = run_query('select max(delivery_month) from ' ~ source('audit', 'load_log')
        ~ " where delivery_month <> 'reference'") -%}
    {{ return(found.columns[0].values()[0]) }}
{%- endmacro %}


{#- DuckDB frees the blocks of deleted row groups at a checkpoint. -#}
{% macro duckdb__reclaim_space(databases) -%}
    {%- for database in databases -%}
        {%- do run_query('checkpoint ' ~ adapter.quote(database)) -%}
    {%- endfor -%}
{%- endmacro %}

{#- Spark: a dropped partition's files are gone already. -#}
{% macro default__reclaim_space(databases) -%}
{%- endmacro %}
