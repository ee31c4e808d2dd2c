{#- A date in any of the four spellings of the departments' exports:
    2019-03-01, 2019/3/1, 20190301, 2019年3月 (the first of that month). Null if none parses
    (ingestion has already quarantined such rows, so null means blank). -#}
{% macro parse_cn_date(expr) -%}
    {{ return(adapter.dispatch('parse_cn_date', 'yibao')(expr)) }}
{%- endmacro %}

{% macro default__parse_cn_date(expr) -%}
    cast(coalesce(
        try_strptime({{ expr }}, '%Y-%m-%d'),
        try_strptime({{ expr }}, '%Y/%m/%d'),
        try_strptime({{ expr }}, '%Y%m%d'),
        try_strptime({{ expr }} || '1日', '%Y年%m月%d日')
    ) as date)
{%- endmacro %}

{% macro spark__parse_cn_date(expr) -%}
    coalesce(
        try_to_date({{ expr }}, 'yyyy-M-d'),
        try_to_date({{ expr }}, 'yyyy/M/d'),
        try_to_date({{ expr }}, 'yyyyMMdd'),
        try_to_date({{ expr }}, "yyyy年M月")
    )
{%- endmacro %}

{#- A timestamp spelled YYYY-MM-DD HH:MM:SS, or a date alone. -#}
{% macro parse_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'yibao')(expr)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expr) -%}
    coalesce(try_strptime({{ expr }}, '%Y-%m-%d %H:%M:%S'), try_strptime({{ expr }}, '%Y-%m-%d'))
{%- endmacro %}

{% macro spark__parse_timestamp(expr) -%}
    coalesce(try_to_timestamp({{ expr }}, 'yyyy-MM-dd HH:mm:ss'),
             try_to_timestamp({{ expr }}, 'yyyy-MM-dd'))
{%- endmacro %}
