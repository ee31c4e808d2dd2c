{#- Premium subsidy compliance (分类资助参保, A1.3, H2, S5.2.1, S5.2.3, W), one row per payment
    row of the tax bureau: the subsidy the rules give for the categories held on the payment
    date (int_premium_subsidy_expected, 就高) against the 资助金额 paid, with the difference in
    yuan and the rule's document. Findings:
    - under_subsidised / over_subsidised: the amount differs from the rule's;
    - subsidised_without_category: a subsidy for someone who held no category that day;
    - subsidised_twice: a second standing subsidised payment for one person and insured year;
    - void_not_refunded: a void (冲红) whose amounts do not reverse the payment it voids.
    Each row is judged with what was delivered by its own delivery month, so loading a later
    month never changes it, and the model builds incrementally by month. No ID number or
    name. -#}
{{ config(**incremental_by_month()) }}

{#- expected (every month of the insured years) and voids are read more than once:
    not_materialized, so DuckDB reads them where they are used instead of buffering every
    column of them; buffered, the province tier's second month ran out of its 10 GB
    (macros/not_materialized.sql) -#}
with expected as {{ not_materialized() }} (
    select * from {{ ref('int_premium_subsidy_expected') }}
),

voids as {{ not_materialized() }} (
    select payment_id, delivery_month, source_file, source_row_number, subsidy_amount,
        premium_paid
    from {{ ref('stg_tax__premium_payments') }}
    where is_void
),

originals as (
    select payment_id, delivery_month, subsidy_amount, premium_paid
    from {{ ref('stg_tax__premium_payments') }}
    where not is_void
),

{#- As of the payment row's delivery month: a void delivered later shows as its own row in its
    month and leaves this month's row as it was published. -#}
standing as (
    select expected.*, voids.payment_id is not null as is_voided
    from expected
    left join voids
        on expected.payment_id = voids.payment_id
        and voids.delivery_month <= expected.delivery_month
    where {{ in_build_months('expected.delivery_month') }}
),

{#- For each standing subsidised payment, the standing subsidised payments of the same person
    and insured year before it, among those delivered by its month. -#}
earlier_subsidised as (
    select standing.source_file, standing.source_row_number, count(*) as payments_before
    from standing
    join expected as earlier
        on earlier.person_cluster_id = standing.person_cluster_id
        and earlier.insured_year = standing.insured_year
        and earlier.subsidy_amount > 0
        and earlier.delivery_month <= standing.delivery_month
        and (earlier.payment_date < standing.payment_date
            or (earlier.payment_date = standing.payment_date
                and (earlier.source_file < standing.source_file
                    or (earlier.source_file = standing.source_file
                        and earlier.source_row_number < standing.source_row_number))))
    left join voids
        on voids.payment_id = earlier.payment_id
        and voids.delivery_month <= standing.delivery_month
    where standing.subsidy_amount > 0 and not standing.is_voided and voids.payment_id is null
    group by standing.source_file, standing.source_row_number
),

ordered as (
    select standing.*,
        case when standing.subsidy_amount > 0 and not standing.is_voided
            then 1 + coalesce(earlier_subsidised.payments_before, 0)
        end as subsidised_order
    from standing
    left join earlier_subsidised
        on earlier_subsidised.source_file = standing.source_file
        and earlier_subsidised.source_row_number = standing.source_row_number
),

payment_checks as (
    select
        delivery_month, person_cluster_id, source_file, source_row_number, payment_id,
        insured_year, payment_date, county_code, subsidy_category, subsidy_basis_category,
        expected_subsidy, subsidy_amount as actual_subsidy,
        source_document, source_article, policy_ref, is_voided,
        case
            when subsidy_amount > 0 and subsidy_basis_category is null
                then 'subsidised_without_category'
            when subsidy_basis_category is not null and subsidy_amount < expected_subsidy
                then 'under_subsidised'
            when subsidy_basis_category is not null and subsidy_amount > expected_subsidy
                then 'over_subsidised'
            when subsidised_order > 1 then 'subsidised_twice'
        end as finding_category
    from ordered
),

void_checks as (
    select
        voids.delivery_month, links.person_cluster_id, voids.source_file,
        voids.source_row_number, voids.payment_id, cast(null as integer) as insured_year,
        cast(null as date) as payment_date, cast(null as string) as county_code,
        cast(null as string) as subsidy_category, cast(null as string) as subsidy_basis_category,
        {{ money('-originals.subsidy_amount') }} as expected_subsidy,
        voids.subsidy_amount as actual_subsidy,
        cast(null as string) as source_document, cast(null as string) as source_article,
        cast(null as string) as policy_ref, true as is_voided,
        case when originals.payment_id is null
            or voids.subsidy_amount <> -originals.subsidy_amount
            or voids.premium_paid <> -originals.premium_paid
            then 'void_not_refunded' end as finding_category
    from voids
    join {{ ref('int_person_links') }} as links
        on voids.source_file = links.source_file
        and voids.source_row_number = links.source_row_number
    left join originals
        on voids.payment_id = originals.payment_id
        and originals.delivery_month <= voids.delivery_month
    where {{ in_build_months('voids.delivery_month') }}
        and {{ in_build_months('links.delivery_month') }}
),

checks as (
    select * from payment_checks
    union all
    select * from void_checks
)

select
    checks.delivery_month,
    persons.person_key,
    checks.payment_id,
    checks.insured_year,
    checks.payment_date,
    checks.county_code,
    checks.subsidy_category,
    checks.subsidy_basis_category,
    case when checks.finding_category = 'subsidised_twice' then {{ money('0') }}
        else checks.expected_subsidy end as expected_subsidy,
    checks.actual_subsidy,
    {{ money("checks.actual_subsidy - case when checks.finding_category = 'subsidised_twice'
        then 0 else checks.expected_subsidy end") }} as difference_yuan,
    checks.is_voided,
    checks.finding_category,
    'premium_subsidy' as rule_id,
    checks.source_document,
    checks.source_article,
    checks.policy_ref,
    checks.source_file,
    checks.source_row_number
from checks
join {{ ref('int_persons') }} as persons
    on checks.person_cluster_id = persons.person_cluster_id
