{#- Region roll-up (逐级汇总): the county rows of `relation` (a county_code column, the
    `group_columns` and additive `measures`) together with their sums by city (市, the county
    code's first four digits then 00) and province (省, first two then 0000), at grain
    group_columns + region_level + region_code, each with its parent_region_code. Every aggregate
    mart is built at county level through this macro, so its levels add up by construction and
    the generic test `sums_roll_up` proves it. -#}
{% macro roll_up_regions(relation, group_columns, measures) -%}
    {%- set groups = group_columns | join(', ') -%}
    {%- set city = "substr(county_code, 1, 4) || '00'" -%}
    {%- set province = "substr(county_code, 1, 2) || '0000'" -%}
    select {{ groups }}, 'county' as region_level, county_code as region_code,
        {{ city }} as parent_region_code
        {%- for measure in measures %}, {{ measure }}{% endfor %}
    from {{ relation }}

    union all
    select {{ groups }}, 'city', {{ city }}, {{ province }}
        {%- for measure in measures %}, cast(sum({{ measure }}) as bigint) as {{ measure }}{% endfor %}
    from {{ relation }}
    group by {{ groups }}, {{ city }}, {{ province }}

    union all
    select {{ groups }}, 'province', {{ province }}, cast(null as string)
        {%- for measure in measures %}, cast(sum({{ measure }}) as bigint) as {{ measure }}{% endfor %}
    from {{ relation }}
    group by {{ groups }}, {{ province }}
{%- endmacro %}
