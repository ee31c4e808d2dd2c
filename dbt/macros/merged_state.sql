{#- Models that hold one row per entity over all months (the person master) cannot replace a
    month's partition: a month adds to every entity it names. Re-aggregating every month each
    run grows with history, so on DuckDB such a model merges instead: its previous table plus
    what the months being built add, by mergeable aggregates (min, max, sum, or, the
    preferred of two rows).

    Merging equals a full rebuild only when the previous table holds exactly the months before
    the ones being built. `months_to_merge(state_column)` returns the months being built when
    all of this holds, and an empty list (rebuild in full) otherwise:
      - the engine is DuckDB (Spark's table materialisation cannot read the table it replaces,
        so Spark always rebuilds in full);
      - it is not a full refresh, the table exists and has every column in `required`;
      - every month being built is later than the latest month the table holds
        (`max(state_column)`), so no month is counted twice. Re-running an old month rebuilds
        in full. -#}
{% macro months_to_merge(state_column, required=[]) -%}
    {%- if not execute or flags.FULL_REFRESH or target.type != 'duckdb' -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if existing is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(existing) | map(attribute='name') | list -%}
    {%- for column in required if column not in columns -%}
        {{ return([]) }}
    {%- endfor -%}
    {%- set months = build_months() -%}
    {%- if months | length == 0 -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set held = run_query('select max(' ~ state_column ~ ') from ' ~ existing)
        .columns[0].values()[0] -%}
    {{ return(months if held is not none and months[0] > held else []) }}
{%- endmacro %}


{#- The larger of two values of which either may be null (the other wins then): the merge of
    two `max` aggregates. -#}
{% macro larger_of(left, right) -%}
    case when {{ left }} is null or {{ right }} > {{ left }} then {{ right }} else {{ left }} end
{%- endmacro %}
