{#- Incremental by delivery month: a model whose rows of month M depend only on what was
    delivered up to M rebuilds only the months being loaded, on both engines.

    The months to build are the month loaded last (the latest `loaded_at` in the load log: the
    monthly run loads its month before dbt starts) and every month after it that is already
    loaded, so re-running an old month also rebuilds the later months that read it. A first
    build, or `dbt build --full-refresh` (`yibao run --full-refresh`), builds every month.

    A model opts in with
        {{ config(**incremental_by_month()) }}
    and filters what it reads with `where {{ in_build_months('delivery_month') }}`. Before the
    new rows are appended, the pre-hook removes the months being built: DELETE in DuckDB (in the
    model's transaction, so the month is replaced whole or not at all), dropping the table
    partitions on Spark (the tables are partitioned by month there). `meta` names the month
    column, so the model's data tests read the months being built only
    (macros/tests_on_build_months.sql).

    `retention='latest_month'` marks a record-level working table that no later month reads
    (each month's rows are read only by the same month's build): after a month is built,
    `prune_working_months` (macros/retention.sql) leaves it the latest delivered month only. -#}

{% macro incremental_by_month(column='delivery_month', retention='all_months') -%}
    {%- if retention not in ('all_months', 'latest_month') -%}
        {{ exceptions.raise_compiler_error("retention is 'all_months' or 'latest_month', not "
            ~ retention) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'partition_by': ([column] if target.type == 'spark' else none),
        'pre_hook': "{{ clear_build_months('" ~ column ~ "') }}",
        'meta': {'incremental_by_month': column, 'retention': retention},
    }) }}
{%- endmacro %}


{#- For a table of the months being built only (the linkage's work lists): its rows are
    replaced whole on every run, but `is_incremental()` still tells a first build or a full
    refresh (every month) from a monthly run (the months being built). -#}
{% macro replaced_each_build() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'pre_hook': "{{ clear_all_rows() }}",
    }) }}
{%- endmacro %}


{#- The delivery months being built, as a list of 'YYYY-MM' strings (empty while parsing). -#}
{% macro build_months() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set load_log = source('audit', 'load_log') -%}
    {%- set query -%}
        select distinct delivery_month
        from {{ load_log }}
        where delivery_month <> 'reference'
            and delivery_month >= (
                select max(delivery_month) from {{ load_log }}
                where delivery_month <> 'reference'
                    and loaded_at = (
                        select max(loaded_at) from {{ load_log }}
                        where delivery_month <> 'reference'
                    )
            )
        order by delivery_month
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{#- 'YYYY-MM' months as a list of SQL string literals: '2019-11', '2019-12'. -#}
{% macro month_literals(months) -%}
    {{ return("'" ~ months | join("', '") ~ "'") }}
{%- endmacro %}


{#- A filter on `column` for the months being built; `true` when the whole table is built. -#}
{% macro in_build_months(column='delivery_month') -%}
    {%- if is_incremental() -%}
        {%- set months = build_months() -%}
        {%- if months | length == 0 -%}
            false
        {%- else -%}
            {{ column }} in ({{ month_literals(months) }})
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- The pre-hook of `replaced_each_build`: remove every row. -#}
{% macro clear_all_rows() -%}
    {%- if execute and is_incremental() -%}
        {%- do run_query(adapter.dispatch('clear_all_rows', 'yibao')(this)) -%}
    {%- endif -%}
{%- endmacro %}

{% macro default__clear_all_rows(relation) -%}
    delete from {{ relation }}
{%- endmacro %}

{% macro spark__clear_all_rows(relation) -%}
    truncate table {{ relation }}
{%- endmacro %}


{#- The pre-hook: remove the months being built from the model's table. -#}
{% macro clear_build_months(column) -%}
    {%- if execute and is_incremental() -%}
        {%- do delete_months(this, column, build_months()) -%}
    {%- endif -%}
{%- endmacro %}

{#- Remove `months` from a month-partitioned table (also used by prune_working_months). -#}
{% macro delete_months(relation, column, months) -%}
    {%- do adapter.dispatch('delete_months', 'yibao')(relation, column, months) -%}
{%- endmacro %}

{% macro default__delete_months(relation, column, months) -%}
    {%- if months | length > 0 -%}
        {%- do run_query('delete from ' ~ relation ~ ' where ' ~ column ~ ' in ('
            ~ month_literals(months) ~ ')') -%}
    {%- endif -%}
{%- endmacro %}

{% macro spark__delete_months(relation, column, months) -%}
    {%- for month in months -%}
        {%- do run_query('alter table ' ~ relation ~ ' drop if exists partition ('
            ~ column ~ " = '" ~ month ~ "')") -%}
    {%- endfor -%}
{%- endmacro %}
