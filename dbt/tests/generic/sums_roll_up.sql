{#- Vertical consistency (纵向一致, S5.1.3): in a model with rows at several region levels, every
    row's `measures` equal the sums of its child rows (province = Σ cities = Σ counties, county =
    Σ townships where townships exist), within each combination of `partition_by`; and every
    child row has its parent row. Returns the parent/level/measure pairs that disagree. -#}
{% test sums_roll_up(model, measures, partition_by, region_column='region_code',
                     parent_column='parent_region_code', level_column='region_level') %}
{%- set keys = partition_by | join(', ') %}
with children as (
    select {{ keys }}, {{ parent_column }} as parent_code, {{ level_column }} as child_level
        {%- for measure in measures %},
        sum({{ measure }}) as {{ measure }}
        {%- endfor %}
    from {{ model }}
    where {{ parent_column }} is not null
    group by {{ keys }}, {{ parent_column }}, {{ level_column }}
),

compared as (
    select children.*, parents.{{ region_column }} as parent_found
        {%- for measure in measures %},
        parents.{{ measure }} as parent_{{ measure }}
        {%- endfor %}
    from children
    left join {{ model }} as parents
        on children.parent_code = parents.{{ region_column }}
        {%- for key in partition_by %}
        and children.{{ key }} = parents.{{ key }}
        {%- endfor %}
)

select *
from compared
where parent_found is null
    {%- for measure in measures %}
    or parent_{{ measure }} is null or parent_{{ measure }} <> {{ measure }}
    {%- endfor %}
{% endtest %}
