{#- An aggregate: the value of the row whose ordering fields are least, the fields compared in
    turn (as an ORDER BY of them ascending; negate a number to have it descending). One pass of
    the group's hash aggregate, where row_number() over a window sorts every row of the groups
    first: at the province tier int_persons ranks 100M records' counties this way.
    `fields` is a list of SQL expressions; ties on all of them give any one of the tied values,
    so end the list with a unique key. -#}
{% macro value_at_least(value, fields) -%}
    {{ return(adapter.dispatch('value_at_least', 'yibao')(value, fields)) }}
{%- endmacro %}

{% macro default__value_at_least(value, fields) -%}
    arg_min({{ value }}, struct_pack(
        {%- for field in fields %}f{{ loop.index }} := {{ field }}{{ ", " if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}

{% macro spark__value_at_least(value, fields) -%}
    min_by({{ value }}, named_struct(
        {%- for field in fields %}'f{{ loop.index }}', {{ field }}{{ ", " if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}
