{#- Arithmetic that must give the same digits on DuckDB and Spark. Division is where the
    engines part: DuckDB's `/` on decimals returns a double, Spark's a decimal whose scale
    follows its own precision rules, and a double rounded to a few places can round the other
    way on the other engine (1.005). These macros stay in integers and decimals throughout. -#}

{#- The integer quotient, truncated toward zero; null when the denominator is 0. -#}
{% macro integer_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('integer_divide', 'yibao')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) // nullif({{ denominator }}, 0))
{%- endmacro %}

{% macro spark__integer_divide(numerator, denominator) -%}
    (({{ numerator }}) div nullif({{ denominator }}, 0))
{%- endmacro %}

{#- numerator / denominator as decimal(12, scale), rounded half up; null when the denominator
    is 0. For non-negative counts or yuan amounts (at most two decimals): both are taken to
    integer fen, so the quotient is exact integer arithmetic on every engine. Coverage and
    payment rates, reimbursement ratios. -#}
{% macro ratio(numerator, denominator, scale=4) -%}
    {%- set fen_n = "cast(round((" ~ numerator ~ ") * 100, 0) as bigint)" -%}
    {%- set fen_d = "cast(round((" ~ denominator ~ ") * 100, 0) as bigint)" -%}
    {%- set quotient = integer_divide(
        fen_n ~ " * " ~ (2 * 10 ** scale) ~ " + " ~ fen_d, "2 * " ~ fen_d) -%}
    cast(cast({{ quotient }} as decimal(18, 0)) * {{ "%.*f" | format(scale, 10 ** -scale) }}
        as decimal(12, {{ scale }}))
{%- endmacro %}

{#- A yuan amount from decimal arithmetic (a premium times a subsidy share, a cost times a
    ratio), rounded half away from zero to the fen as both engines round decimals. Pass
    decimals, not doubles: a double can round the other way on the other engine. -#}
{% macro money(expr) -%}
    cast(round({{ expr }}, 2) as decimal(18, 2))
{%- endmacro %}

{#- The median of `expr` (exact, interpolated between the two middle values), as an aggregate
    or window function: DuckDB's median, Spark's percentile (not percentile_approx). -#}
{% macro median(expr) -%}
    {{ return(adapter.dispatch('median', 'yibao')(expr)) }}
{%- endmacro %}

{% macro default__median(expr) -%}
    median({{ expr }})
{%- endmacro %}

{% macro spark__median(expr) -%}
    percentile({{ expr }}, 0.5)
{%- endmacro %}

{#- The delivered months of `relation` numbered 1, 2, ... in order (month_index), so that "the
    previous month" and "the last n months" are index arithmetic on both engines. -#}
{% macro delivered_months(relation) -%}
    select delivery_month, dense_rank() over (order by delivery_month) as month_index
    from (select distinct delivery_month from {{ relation }}) as delivered
{%- endmacro %}
