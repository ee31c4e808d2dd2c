{#- The union of the models `prefix ~ name` for each name, each read with `columns` named in
    that order, optionally filtered by `where`. Named, never `select *`: a union matches columns
    by position, and on Spark an incremental model keeps its partition column (delivery_month)
    last, so `select *` branches misalign there (tests/test_incremental.py checks for them). -#}
{% macro union_by_name(prefix, names, columns, where=none) -%}
    {%- for name in names %}
    select {{ columns | join(', ') }}
    from {{ ref(prefix ~ name) }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
