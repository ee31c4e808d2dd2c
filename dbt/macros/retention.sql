{#- Retention of the record-level working tables (docs/performance.md, "Storage").

    A model built with `incremental_by_month(retention='latest_month')` is read month by month:
    every reader reads only the months being built, so once a month's build is done its older
    months serve nothing. At the province tier they are 9.9 GB a month (the ID checks, the
    linkage features, the person-month enrolment flags, the settlement benefit basis).

    `prune_working_months(keep_from)` removes every month before `keep_from` from those tables:
    DELETE and a checkpoint on DuckDB (the freed blocks are reused by the next rows written),
    dropping the partitions on Spark. It runs twice a month:
    - 'build', as dbt's on-run-start hook: the months before the ones being built go before
      the build writes, so a month's working rows take the space of the last month's instead
      of adding to it (not on a full refresh, which reads every month of them);
    - 'latest', as the monthly job's step `working_months_pruned` (`dbt run-operation
      prune_working_months`) once the marts gate has passed: a re-run of an older month or a
      full refresh built more months, and leaves the latest delivered month only, so every
      run leaves the same tables.
    A full refresh of part of the project must select the pruned tables it reads too:
    `--select @model`, not `model+` (docs/operations.md, "Disk"). -#}

{% macro prune_working_months(keep_from='latest') -%}
    {%- if not execute or load_log_relation() is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- if keep_from == 'latest' -%}
        {#- the build months run from the month loaded last to the latest delivered -#}
        {%- set first_kept = (build_months() or [none])[-1] -%}
    {%- elif keep_from == 'build' and flags.FULL_REFRESH -%}
        {#- a full refresh reads every month of them, and both of its builds rebuild them -#}
        {{ return('select 1') }}
    {%- elif keep_from == 'build' -%}
        {%- set first_kept = (build_months() or [none])[0] -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("keep_from is 'latest' or 'build', not " ~ keep_from) }}
    {%- endif -%}
    {%- if first_kept is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set databases = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
            if node.resource_type == 'model'
            and node.config.meta.get('retention') == 'latest_month' -%}
        {%- set relation = adapter.get_relation(node.database, node.schema, node.alias) -%}
        {%- if relation is not none -%}
            {%- set column = node.config.meta['incremental_by_month'] -%}
            {%- set older = run_query('select ' ~ column ~ ', count(*) from ' ~ relation
                ~ ' where ' ~ column ~ " < '" ~ first_kept ~ "' group by 1 order by 1") -%}
            {%- set months = older.columns[0].values() | list -%}
            {%- if months | length > 0 -%}
                {%- do delete_months(relation, column, months) -%}
                {%- do databases.append(relation.database) -%}
                {{ log('pruned ' ~ node.name ~ ': ' ~ (older.columns[1].values() | sum)
                    ~ ' rows of ' ~ months | join(', '), info=True) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if databases | length > 0 -%}
        {%- do adapter.commit() -%}
        {%- do adapter.dispatch('reclaim_space', 'yibao')(databases | unique | list) -%}
    {%- endif -%}
    {{ return('select 1') }}
{%- endmacro %}


{#- The load log's relation, or none where it does not exist (a unit-test database). -#}
{% macro load_log_relation() -%}
    {%- set load_log = source('audit', 'load_log') -%}
    {{ return(adapter.get_relation(load_log.database, load_log.schema, load_log.identifier)) }}
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
