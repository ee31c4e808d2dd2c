{#- Region roll-up (逐级汇总). `relation` has a county_code column (and township_code when
    from_township), the `group_columns` and additive `measures`, at any grain below the county.
    The result sums the measures per level (township, county, city: the county code's first four
    digits, province: its first two; the codes of dim_region), at grain group_columns +
    region_level + region_code, with each row's parent_region_code. Every aggregate mart is
    built from the bottom level through this macro, so its levels add up by construction, and the
    generic test `sums_roll_up` proves it. A township the deliveries name but the warehouse
    cannot code counts under `<county_code>-unknown`. `money_measures` are summed as yuan
    (decimal(18, 2)) rather than counts. -#}
{% macro roll_up_regions(relation, group_columns, measures, from_township=false,
                         money_measures=[]) -%}
    {%- set township = "coalesce(township_code, county_code || '-unknown')" -%}
    {%- set city = "substr(county_code, 1, 4)" -%}
    {%- set province = "substr(county_code, 1, 2)" -%}
    {%- set levels = [
        ('township', township, 'county_code'),
        ('county', 'county_code', city),
        ('city', city, province),
        ('province', province, 'cast(null as string)'),
    ] -%}
    {%- if not from_township %}{% set levels = levels[1:] %}{% endif -%}
    {%- for level, code, parent in levels %}
    {%- if not loop.first %}
    union all
    {% endif %}
    select {{ group_columns | join(', ') }}, '{{ level }}' as region_level,
        {{ code }} as region_code, {{ parent }} as parent_region_code
        {%- for measure in measures %},
        cast(sum({{ measure }}) as bigint) as {{ measure }}
        {%- endfor %}
        {%- for measure in money_measures %},
        cast(sum({{ measure }}) as decimal(18, 2)) as {{ measure }}
        {%- endfor %}
    from {{ relation }}
    group by {{ group_columns | join(', ') }}, {{ code }}{% if level != 'province' %}, {{ parent }}{% endif %}
    {%- endfor %}
{%- endmacro %}
