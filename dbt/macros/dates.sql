{#- Date arithmetic both engines agree on. -#}

{#- Whole days from `start` to `finish` (negative when finish is earlier). -#}
{% macro days_between(start, finish) -%}
    {{ dbt.datediff(start, finish, 'day') }}
{%- endmacro %}

{#- Age in whole years on `on_date` for someone born on `birth` (0 = under one): the years
    between, less one if the birthday of that year is still ahead. -#}
{% macro age_in_years(birth, on_date) -%}
    (extract(year from {{ on_date }}) - extract(year from {{ birth }})
        - case when extract(month from {{ on_date }}) * 100 + extract(day from {{ on_date }})
                    < extract(month from {{ birth }}) * 100 + extract(day from {{ birth }})
               then 1 else 0 end)
{%- endmacro %}

{#- Great-circle distance in whole km between two points given in decimal degrees
    (haversine, earth radius 6371 km). -#}
{% macro distance_km(lat1, lon1, lat2, lon2) -%}
    cast(round(2 * 6371 * asin(sqrt(
        power(sin(radians({{ lat2 }} - {{ lat1 }}) / 2), 2)
        + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }}))
            * power(sin(radians({{ lon2 }} - {{ lon1 }}) / 2), 2))), 0) as integer)
{%- endmacro %}
