{#- An ID number as written, normalised: full-width digits and X to ASCII, lower-case x to X,
    spaces and zero-width characters removed; blank becomes null. Length, 15-digit conversion
    and check digits are rules of the intermediate layer, not of staging. -#}
{% macro normalise_id(expr) -%}
    nullif(
        upper(translate(
            replace(replace(trim({{ expr }}), ' ', ''), '​', ''),
            '０１２３４５６７８９Ｘｘ',
            '0123456789Xx'
        )),
        ''
    )
{%- endmacro %}
