{#- True when the whole of `expr` matches `pattern` (a regular expression without anchors). -#}
{% macro regex_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'yibao')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_full_match(expr, pattern) -%}
    ({{ expr }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{#- A date from 8 digits YYYYMMDD, null when it is no calendar date. -#}
{% macro try_parse_yyyymmdd(expr) -%}
    {{ return(adapter.dispatch('try_parse_yyyymmdd', 'yibao')(expr)) }}
{%- endmacro %}

{% macro default__try_parse_yyyymmdd(expr) -%}
    cast(try_strptime({{ expr }}, '%Y%m%d') as date)
{%- endmacro %}

{% macro spark__try_parse_yyyymmdd(expr) -%}
    try_to_date({{ expr }}, 'yyyyMMdd')
{%- endmacro %}

{#- True when `pattern` occurs anywhere in `expr`. -#}
{% macro regex_contains(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_contains', 'yibao')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_contains(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_contains(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}
