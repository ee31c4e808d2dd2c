{#- Data tests of month-incremental models read only the months being built.

    Every generic test reads its model through `get_where_subquery` (dbt's own macro, which
    applies a test's `where` config); this root-project macro takes its place. When the tested
    model is incremental by month (macros/incremental_months.sql marks it in `meta`) and the
    run is not a full refresh, the test reads the months being built only: earlier months were
    tested when they were built and no run changes them since. A month-keyed test (unique
    within a month, not null, accepted values, relationships from the month's rows) holds
    for the table when it holds for each month, so a monthly run's tests stop growing with
    history. A full refresh tests every month. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set column = month_column_of(relation) -%}
    {%- if column -%}
        {%- set months = build_months() -%}
        {%- do conditions.append(
            (column ~ ' in (' ~ month_literals(months) ~ ')') if months else 'false') -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ')
            ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- The month column of a month-incremental model behind `relation`, when this run builds it
    incrementally; none otherwise (a full refresh, another model, parsing). -#}
{% macro month_column_of(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or relation.identifier is not defined -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.alias == relation.identifier
            and node.schema == relation.schema -%}
        {{ return(node.config.meta.get('incremental_by_month')) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
