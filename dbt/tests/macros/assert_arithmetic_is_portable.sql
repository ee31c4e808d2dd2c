-- The arithmetic macros give the expected digits on the engine at hand; every row returned is
-- a case that does not. It runs in every `dbt build`, on DuckDB and on Spark.
-- depends_on: {{ ref('code_person_statuses') }}
{{ config(tags=['macros']) }}

with cases as (
    select 'integer_divide(7, 2)' as case_name,
        cast({{ integer_divide(7, 2) }} as decimal(18, 4)) as actual,
        cast(3 as decimal(18, 4)) as expected
    union all select 'integer_divide(-7, 2) truncates toward zero',
        cast({{ integer_divide(-7, 2) }} as decimal(18, 4)), cast(-3 as decimal(18, 4))
    union all select 'integer_divide(7, 0) is null',
        cast({{ integer_divide(7, 0) }} as decimal(18, 4)), cast(null as decimal(18, 4))
    union all select 'ratio(1, 8, 2) rounds half up',
        cast({{ ratio(1, 8, 2) }} as decimal(18, 4)), cast(0.13 as decimal(18, 4))
    union all select 'ratio(2, 3)',
        cast({{ ratio(2, 3) }} as decimal(18, 4)), cast(0.6667 as decimal(18, 4))
    union all select 'ratio of yuan amounts',
        cast({{ ratio('cast(100.50 as decimal(12, 2))', 'cast(201.00 as decimal(12, 2))') }}
            as decimal(18, 4)),
        cast(0.5 as decimal(18, 4))
    union all select 'ratio(201, 200, 2): 1.005 rounds up, where the double 1.005 rounds down',
        cast({{ ratio(201, 200, 2) }} as decimal(18, 4)), cast(1.01 as decimal(18, 4))
    union all select 'ratio(5, 5) is one',
        cast({{ ratio(5, 5) }} as decimal(18, 4)), cast(1 as decimal(18, 4))
    union all select 'ratio(5, 0) is null',
        cast({{ ratio(5, 0) }} as decimal(18, 4)), cast(null as decimal(18, 4))
    union all select 'money(280.00 * 0.9)',
        cast({{ money('cast(280.00 as decimal(12, 2)) * 0.9') }} as decimal(18, 4)),
        cast(252 as decimal(18, 4))
    union all select 'money rounds half away from zero',
        cast({{ money('cast(0.05 as decimal(12, 2)) * 0.5') }} as decimal(18, 4)),
        cast(0.03 as decimal(18, 4))
    union all select 'money rounds negative half away from zero',
        cast({{ money('cast(-0.05 as decimal(12, 2)) * 0.5') }} as decimal(18, 4)),
        cast(-0.03 as decimal(18, 4))
)

select case_name, actual, expected
from cases
where actual <> expected or (actual is null) <> (expected is null)
